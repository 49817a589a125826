// Screenshots of the Lifeline window in its main states, for docs/screenshots/ (run by
// tools/screenshots). Not a benchmark: it lives here because it links what the benchmarks link.
//
//   lifeline_screenshots --state NAME --out FILE.png [--lang de]
//
// It builds the window exactly as app/main.cpp does (real lifeline-server through
// BundledServer, the fault proxy, a ConnectionManager, a Messenger, MainWindow) and brings it
// into the state through the window's own Simulate menu and manual controls, then grabs it.
// A second user ("bob") is a second ConnectionManager + Messenger on the server itself.
#include "appconfig.h"
#include "chatclient.h"
#include "clientserverfixture.h"
#include "commandline.h"
#include "mainwindow.h"
#include "manualcontrols.h"
#include "serverwaits.h"
#include "simulatemenu.h"
#include "translations.h"
#include "waitfor.h"
#include "windowpart.h"

#include <lifeline/connectionmanager.h>
#include <lifeline/messenger.h>

#include <QAction>
#include <QApplication>
#include <QDockWidget>
#include <QLoggingCategory>
#include <QPushButton>

#include <cstdio>

using namespace lifeline;
using namespace lifeline::testkit;
using namespace lifeline::ui;

namespace {

const QString Room = QStringLiteral("lobby");

[[noreturn]] void fail(const char *what)
{
    std::fprintf(stderr, "lifeline_screenshots: %s\n", what);
    std::exit(1);
}

// Lets the window repaint (countdowns tick, badges appear) for a while.
void settle(int ms)
{
    waitFor([] { return false; }, ms);
}

void require(bool ok, const char *what)
{
    if (!ok)
        fail(what);
}

class Scene
{
public:
    // On the fixture's server and proxy, which app/main.cpp would start itself.
    Scene(ClientServerFixture &fixture, const AppConfig &config)
        : m_fixture(fixture)
    {
        m_window.setDataDirectory(fixture.filePath(QStringLiteral("client")));
        m_window.applyConfig(config);
        m_window.resize(1100, 750);
        m_window.show();
    }

    bool waitForStatus(ConnectionStatus status, int timeoutMs = 10000)
    {
        return waitFor([this, status] { return m_connection.connectionStatus() == status; },
                       timeoutMs);
    }

    // Alice sends two, Bob answers once; everything delivered and shown.
    void exchangeMessages()
    {
        require(waitForStatus(ConnectionStatus::Connected), "alice did not connect");
        // Another user on the bundled server, as a second app joining with the shown command
        // would be.
        m_bob = std::make_unique<ChatClient>(QStringLiteral("bob"), m_fixture.serverUrl(),
                                             m_fixture.filePath(QStringLiteral("bob")));
        require(m_bob->waitConnected(), "bob did not connect");
        int received = 0;
        QObject::connect(&m_messenger, &Messenger::messageReceived, &m_messenger,
                         [&received] { ++received; });
        m_messenger.sendMessage(Room, QStringLiteral("Morning! Is the build green again?"));
        require(waitFor([this] { return m_messenger.pendingCount() == 0; }, 10000),
                "alice's first message was not delivered");
        m_bob->messenger.sendMessage(Room, QStringLiteral("Yes, since the flaky test was fixed."));
        require(waitFor([&received] { return received >= 1; }, 10000),
                "bob's message did not arrive");
        m_messenger.sendMessage(Room, QStringLiteral("Great, then I'll tag the release."));
        require(waitFor([this] { return m_messenger.pendingCount() == 0; }, 10000),
                "alice's second message was not delivered");
    }

    bool grab(const QString &file)
    {
        settle(300);
        return m_window.grab().save(file, "PNG");
    }

    ClientServerFixture &m_fixture;
    std::unique_ptr<ChatClient> m_bob;
    ConnectionManager m_connection;
    Messenger m_messenger {&m_connection};
    MainWindow m_window {&m_connection, &m_messenger, m_fixture.server(), m_fixture.proxy()};
};

} // namespace

int main(int argc, char *argv[])
{
    if (!qEnvironmentVariableIsSet("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("lifeline"));
    QGuiApplication::setApplicationDisplayName(QStringLiteral("Lifeline"));
    QLoggingCategory::setFilterRules(QStringLiteral("lifeline.*.info=false"));

    CommandLine commandLine(QStringLiteral("The Lifeline window in one of its main states, as a "
                                           "PNG for docs/screenshots/."));
    commandLine.addOption(
        {QStringLiteral("state"),
         QStringLiteral("connected, reconnecting, offline, throttled, manual or queued."),
         QStringLiteral("name")});
    commandLine.addOption(
        {QStringLiteral("out"), QStringLiteral("PNG to write."), QStringLiteral("file")});
    commandLine.addOption({QStringLiteral("lang"),
                           QStringLiteral("Language code, as lifeline --lang."),
                           QStringLiteral("code")});
    commandLine.process(app);
    const QString state = commandLine.value(QStringLiteral("state"));
    const QString out = commandLine.value(QStringLiteral("out"));
    if (out.isEmpty()
        || !QStringLiteral("connected reconnecting offline throttled manual queued")
                .split(u' ')
                .contains(state))
        fail("--out FILE and --state with one of the states are required (see --help)");

    // As app/main.cpp does it, before any widget exists; English too, for its plural forms.
    const bool langGiven = commandLine.isSet(QStringLiteral("lang"));
    const QString language
        = langGiven ? commandLine.value(QStringLiteral("lang")) : QStringLiteral("en");
    if (!Translations::install(&app, Translations::localeFor(language)) && langGiven)
        fail("no translation for --lang");

    // The window applies the config's language; it must be the one installed above.
    AppConfig config;
    config.setUser(QStringLiteral("alice"));
    config.setToken(QStringLiteral("dev-token"));
    config.setLanguage(language);
    if (state == QLatin1String("offline")) {
        config.setMaxAttempts(2);
        config.setJitter(0.0);
    }
    if (state == QLatin1String("reconnecting")) {
        // A long enough first delay that the countdown is on screen when grabbed.
        config.setReconnectInitialS(5);
        config.setJitter(0.0);
    }
    if (state == QLatin1String("manual"))
        config.setMode(AppConfig::Mode::Manual);
    if (state == QLatin1String("queued")) {
        // The cut is noticed within 2 s, so the messages are queued, not sent into the void.
        config.setHeartbeatIntervalS(1);
        config.setHeartbeatTimeoutS(1);
    }

    ClientServerFixture fixture;
    require(fixture.start(ClientServerFixture::Layer::Proxy),
            "the server or the fault proxy did not start");
    Scene scene(fixture, config);
    SimulateMenu *simulate = windowPart<SimulateMenu>(scene.m_window, "simulateMenu");

    if (state == QLatin1String("manual")) {
        windowPart<QDockWidget>(scene.m_window, "settingsDock")->show();
        // Manual mode does not connect by itself: press the window's own Connect button.
        QPushButton *connectButton
            = windowPart<ManualControls>(scene.m_window, "manualControls")->connectButton();
        connectButton->click();
        require(scene.waitForStatus(ConnectionStatus::Connected), "manual connect failed");
    }
    scene.exchangeMessages();
    if (state == QLatin1String("reconnecting") || state == QLatin1String("offline")) {
        simulate->stopServerAction()->trigger();
        require(scene.waitForStatus(ConnectionStatus::Reconnecting), "not reconnecting");
        if (state == QLatin1String("reconnecting"))
            settle(1200);
        else
            require(scene.waitForStatus(ConnectionStatus::Disconnected, 30000),
                    "did not give up reconnecting");
    } else if (state == QLatin1String("throttled")) {
        simulate->throttleAction()->trigger();
        require(waitForCommand(*fixture.server()), "the server refused to throttle");
        require(scene.waitForStatus(ConnectionStatus::FeatureThrottled),
                "the client did not hear of the throttle");
    } else if (state == QLatin1String("queued")) {
        simulate->cutNetworkAction()->trigger();
        require(scene.waitForStatus(ConnectionStatus::Reconnecting), "the cut went unnoticed");
        // The indicator hides a drop for its blip delay (1.5 s) before it shows it.
        settle(2000);
        scene.m_messenger.sendMessage(Room, QStringLiteral("Is anyone still there?"));
        scene.m_messenger.sendMessage(Room, QStringLiteral("The wifi on the train is gone."));
        scene.m_messenger.sendMessage(Room, QStringLiteral("I'll send the notes later."));
        require(waitFor([&scene] { return scene.m_messenger.pendingCount() == 3; }, 5000),
                "the messages were not queued");
    }

    if (!scene.grab(out))
        fail("could not save the PNG");
    std::printf("%s: %s\n", qPrintable(state), qPrintable(out));
    return 0;
}
