#include "chatclient.h"

#include "testsetup.h"
#include "waitfor.h"

using namespace std::chrono_literals;
using namespace lifeline;

namespace lifeline::testkit {

ChatClient::ChatClient(const QString &uid, const QUrl &url, const QString &dataDir, bool automatic,
                       int maxPendingMessages)
    : uid(uid)
{
    start(settings(url, dataDir, automatic, maxPendingMessages));
}

ChatClient::ChatClient(const QString &uid, const QList<QUrl> &urls, const QString &dataDir)
    : uid(uid)
{
    start(settings(urls, dataDir));
}

void ChatClient::start(const AppSettings &settings)
{
    QObject::connect(&messenger, &Messenger::messageReceived, &messenger,
                     [this](const ChatMessage &m) { received.append(m); });
    QObject::connect(&messenger, &Messenger::messageQueued, &messenger,
                     [this](const ChatMessage &m) { untold.insert(m.id); });
    QObject::connect(&messenger, &Messenger::deliveryStateChanged, &messenger,
                     [this](const QString &id, DeliveryState state) {
                         if (state == DeliveryState::Delivered || state == DeliveryState::Failed)
                             untold.remove(id);
                     });
    bool ok = false;
    connection.init(QStringLiteral("lifeline-test"), settings,
                    [&ok](const QString &) { ok = true; });
    if (!ok)
        qWarning("ChatClient: init failed");
    connection.login(uid, QStringLiteral("token-") + uid);
}

AppSettings ChatClient::settings(const QUrl &url, const QString &dataDir, bool automatic,
                                 int maxPendingMessages)
{
    return settings(QList<QUrl> {url}, dataDir, automatic, maxPendingMessages);
}

AppSettings ChatClient::settings(const QList<QUrl> &urls, const QString &dataDir, bool automatic,
                                 int maxPendingMessages)
{
    return fastSettings(urls.value(0), dataDir)
        .setServerUrls(urls)
        .setAutoEstablishSocketConnection(automatic)
        .setReconnectDelay(50ms, 400ms)
        .setMaxReconnectAttempts(0)
        .setMaxPendingMessages(maxPendingMessages)
        .build();
}

bool ChatClient::waitConnected(int timeoutMs)
{
    return waitFor([this] { return messenger.sendAvailability() == SendAvailability::SendNow; },
                   timeoutMs, "a connection");
}

bool ChatClient::waitAllDelivered(int timeoutMs)
{
    // The messenger tells of deliveries on the turn after the acks, when they are committed.
    return waitFor([this] { return messenger.pendingCount() == 0 && untold.isEmpty(); }, timeoutMs,
                   "every message to be delivered");
}

QStringList ChatClient::receivedTexts() const
{
    QStringList texts;
    for (const ChatMessage &m : received)
        texts.append(m.text);
    return texts;
}

} // namespace lifeline::testkit
