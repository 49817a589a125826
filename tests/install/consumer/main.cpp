// Compiles against the SDK contract exactly as it is written in the issue, so that renaming or
// changing a public signature breaks this build, then uses the installed library for real.
#include <lifeline/connectionmanager.h>
#include <lifeline/translations.h>

#include <QCoreApplication>
#include <QTemporaryDir>

#include <cstdio>
#include <type_traits>

using namespace lifeline;
using ms = std::chrono::milliseconds;

template<typename Actual, typename Expected> constexpr bool same = std::is_same_v<Actual, Expected>;

using CM = ConnectionManager;
using B = AppSettingsBuilder;
static_assert(same<decltype(&B::setServerUrl), B &(B::*)(const QUrl &)>);
static_assert(same<decltype(&B::setRegion), B &(B::*)(const QString &)>);
static_assert(same<decltype(&B::setAutoEstablishSocketConnection), B &(B::*)(bool)>);
static_assert(same<decltype(&B::setBackgroundGrace), B &(B::*)(ms)>);
static_assert(same<decltype(&B::setHeartbeatInterval), B &(B::*)(ms)>);
static_assert(same<decltype(&B::setHeartbeatTimeout), B &(B::*)(ms)>);
static_assert(same<decltype(&B::setConnectTimeout), B &(B::*)(ms)>);
static_assert(same<decltype(&B::setReconnectDelay), B &(B::*)(ms, ms)>);
static_assert(same<decltype(&B::setReconnectJitter), B &(B::*)(double)>);
static_assert(same<decltype(&B::setMaxReconnectAttempts), B &(B::*)(int)>);
static_assert(same<decltype(&B::setDataDirectory), B &(B::*)(const QString &)>);
static_assert(same<decltype(&B::setTrustedCertificates), B &(B::*)(const QString &)>);
static_assert(same<decltype(&AppSettings::trustedCertificates), QString (AppSettings::*)() const>);
static_assert(same<decltype(&B::build), AppSettings (B::*)() const>);

static_assert(same<CM::Success, std::function<void(const QString &)>>);
static_assert(same<CM::Failure, std::function<void(const ChatError &)>>);
static_assert(same<decltype(&CM::init),
                   void (CM::*)(const QString &, const AppSettings &, CM::Success, CM::Failure)>);
static_assert(same<decltype(&CM::login),
                   void (CM::*)(const QString &, const QString &, CM::Success, CM::Failure)>);
static_assert(same<decltype(&CM::logout), void (CM::*)(CM::Success, CM::Failure)>);
static_assert(same<decltype(&CM::loggedInUser), QString (CM::*)() const>);
static_assert(same<decltype(&CM::connectToServer), void (CM::*)(CM::Success, CM::Failure)>);
static_assert(same<decltype(&CM::disconnectFromServer), void (CM::*)(CM::Success, CM::Failure)>);
static_assert(same<decltype(&CM::ping), void (CM::*)(std::function<void()>, CM::Failure)>);
static_assert(same<decltype(&CM::connectionStatus), ConnectionStatus (CM::*)() const>);
static_assert(same<decltype(&CM::throttledFeatures), QStringList (CM::*)() const>);
static_assert(same<decltype(&CM::setAppState), void (CM::*)(AppState)>);
static_assert(same<decltype(&CM::appState), AppState (CM::*)() const>);
static_assert(same<decltype(&CM::addConnectionListener),
                   void (CM::*)(const QString &, ConnectionListener *)>);
static_assert(same<decltype(&CM::removeConnectionListener), void (CM::*)(const QString &)>);
static_assert(same<decltype(&CM::connectionStatusChanged), void (CM::*)(ConnectionStatus)>);
static_assert(same<decltype(&CM::connecting), void (CM::*)()>);
static_assert(same<decltype(&CM::connected), void (CM::*)()>);
static_assert(same<decltype(&CM::disconnected), void (CM::*)()>);
static_assert(same<decltype(&CM::reconnecting), void (CM::*)(int, int)>);
static_assert(same<decltype(&CM::featureThrottled), void (CM::*)(const QStringList &)>);
static_assert(same<decltype(&CM::connectionError), void (CM::*)(const ChatError &)>);
static_assert(std::is_base_of_v<QObject, CM>);
static_assert(same<decltype(&lifeline::installTranslations), bool (*)(const QLocale &)>);
static_assert(same<decltype(&lifeline::removeTranslations), void (*)()>);

using L = ConnectionListener;
static_assert(std::has_virtual_destructor_v<L>);
static_assert(same<decltype(&L::onReconnecting), void (L::*)(int, int)>);
static_assert(same<decltype(&L::onFeatureThrottled), void (L::*)(const QStringList &)>);
static_assert(same<decltype(&L::onConnectionError), void (L::*)(const ChatError &)>);

// Every enumerator of the contract, by name.
static_assert(int(ConnectionStatus::Disconnected) != int(ConnectionStatus::Connecting));
[[maybe_unused]] constexpr ConnectionStatus allStatuses[]
    = {ConnectionStatus::Disconnected, ConnectionStatus::Connecting, ConnectionStatus::Connected,
       ConnectionStatus::Reconnecting, ConnectionStatus::FeatureThrottled};
[[maybe_unused]] constexpr AppState allAppStates[] = {AppState::Foreground, AppState::Background};
[[maybe_unused]] constexpr DisconnectReason tlsFailed = DisconnectReason::TlsFailed;

// A listener that overrides only one method compiles: every method has a default.
class OnlyErrors : public ConnectionListener
{
public:
    void onConnectionError(const ChatError &error) override { last = error; }
    ChatError last;
};

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QTemporaryDir dir;
    ChatError aggregate {QStringLiteral("c"), QStringLiteral("m"), QStringLiteral("d")};
    const QVariant asVariant = QVariant::fromValue(aggregate);
    if (asVariant.value<ChatError>().details != QStringLiteral("d"))
        return 1;

    ConnectionManager manager;
    OnlyErrors listener;
    manager.addConnectionListener(QStringLiteral("consumer"), &listener);
    ChatError error;
    manager.init(QStringLiteral("app"),
                 AppSettingsBuilder()
                     .setServerUrl(QUrl(QStringLiteral("http://not-a-websocket")))
                     .setDataDirectory(dir.path())
                     .build(),
                 {}, [&error](const ChatError &e) { error = e; });
    std::printf("init with an http URL: %s (%s)\n", qPrintable(error.code),
                qPrintable(error.details));
    if (error.code != QStringLiteral("ERR_CHAT_API_FAILURE"))
        return 1;

    // The SDK's own translations come with the installed library: no file to find.
    if (!lifeline::installTranslations(QLocale(QLocale::German))) {
        std::printf("the SDK has no German translation\n");
        return 1;
    }
    ConnectionManager german;
    ChatError notInitialized;
    german.connectToServer({}, [&notInitialized](const ChatError &e) { notInitialized = e; });
    std::printf("in German: %s: %s %s\n", qPrintable(notInitialized.code),
                qUtf8Printable(notInitialized.message), qUtf8Printable(notInitialized.details));
    return notInitialized.message == QString::fromUtf8("Das SDK ist nicht initialisiert.") ? 0 : 1;
}
