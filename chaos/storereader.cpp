#include "storereader.h"

#include "sessionclient.h"
#include "waitfor.h"

using namespace lifeline;
using lifeline::testkit::SessionClient;

namespace lifeline::chaos {

bool StoreReader::fetch(const QUrl &serverUrl, int timeoutMs, QString *error)
{
    m_messages.clear();
    error->clear();
    SessionClient session;
    bool synced = false;
    const auto finish = [error](const QString &reason) {
        if (error->isEmpty())
            *error = reason;
    };
    QObject::connect(&session, &SessionClient::welcomed, &session, [&session] { session.sync(0); });
    QObject::connect(&session, &SessionClient::synced, &session, [&synced] { synced = true; });
    QObject::connect(&session, &SessionClient::lost, &session, finish);
    QObject::connect(&session, &SessionClient::frameRefused, &session, [&](const QString &reason) {
        finish(QStringLiteral("the server sent a frame the codec refuses: %1").arg(reason));
    });
    QObject::connect(
        &session, &SessionClient::frameReceived, &session, [&](const protocol::Frame &frame) {
            const QString type = frame.type();
            if (type == protocol::type::Message) {
                m_messages.append(
                    {frame.text(QStringLiteral("id")), frame.text(QStringLiteral("sender")),
                     frame.text(QStringLiteral("text")), frame.integer(QStringLiteral("seq"))});
            } else if (type == protocol::type::Gap) {
                finish(QStringLiteral("the server no longer has messages %1 to %2")
                           .arg(frame.integer(QStringLiteral("from")))
                           .arg(frame.integer(QStringLiteral("to"))));
            }
        });
    session.limitIncomingToTheApps();
    session.helloWhenConnected(QStringLiteral("lifeline-chaos"), QStringLiteral("chaos-verifier"),
                               QStringLiteral("chaos-token"));
    session.open(serverUrl);
    if (!testkit::waitFor([&] { return synced || !error->isEmpty(); }, timeoutMs))
        finish(QStringLiteral("no complete catch-up within %1 ms").arg(timeoutMs));
    session.disconnect();
    session.socket().abort();
    return synced && error->isEmpty();
}

} // namespace lifeline::chaos
