#include "protocolclient.h"

#include <protocol.h>

#include <QElapsedTimer>
#include <QJsonDocument>

using namespace lifeline;

namespace lifeline::testkit {

namespace {

QJsonObject parseObject(const QString &text)
{
    return QJsonDocument::fromJson(text.toUtf8()).object();
}

} // namespace

QString typeOf(const QJsonObject &frame)
{
    return frame.value(QStringLiteral("type")).toString();
}

ProtocolClient::ProtocolClient(const QUrl &url, const QString &origin, const QSslConfiguration &tls)
    : ignored({protocol::type::Presence, protocol::type::PresenceDiff, protocol::type::Typists})
    , session(origin)
    , socket(session.socket())
    , connected(&socket, &QWebSocket::connected)
    , frames(&socket, &QWebSocket::textMessageReceived)
    , disconnected(&socket, &QWebSocket::disconnected)
{
    if (!tls.isNull())
        socket.setSslConfiguration(tls);
    session.open(url);
}

bool ProtocolClient::waitConnected()
{
    if (socket.state() != QAbstractSocket::ConnectedState && !connected.wait(TimeoutMs))
        return false;
    // The local port is gone once the socket closes, and log lines are checked after that.
    peerInServerLog = QStringLiteral("127.0.0.1:%1").arg(socket.localPort());
    return true;
}

QJsonObject ProtocolClient::next(int timeout)
{
    QElapsedTimer timer;
    timer.start();
    for (;;) {
        while (frames.size() <= read && timer.elapsed() < timeout)
            frames.wait(int(timeout - timer.elapsed()));
        if (frames.size() <= read)
            return {};
        const QJsonObject frame = parseObject(frames.at(read++).at(0).toString());
        if (!ignored.contains(typeOf(frame)))
            return frame;
    }
}

bool ProtocolClient::hasUnread() const
{
    for (qsizetype i = read; i < frames.size(); ++i) {
        if (!ignored.contains(typeOf(parseObject(frames.at(i).at(0).toString()))))
            return true;
    }
    return false;
}

QList<QJsonObject> ProtocolClient::framesBeforePong()
{
    const qint64 id = nextPingId++;
    socket.sendTextMessage(protocol::ping(id));
    QList<QJsonObject> before;
    for (;;) {
        while (frames.size() <= read && frames.wait(TimeoutMs)) { }
        if (frames.size() <= read)
            return before << QJsonObject {{QStringLiteral("type"), QStringLiteral("timeout")}};
        const QJsonObject frame = parseObject(frames.at(read++).at(0).toString());
        if (typeOf(frame) == protocol::type::Pong
            && frame.value(QStringLiteral("id")).toInteger() == id)
            return before;
        if (!ignored.contains(typeOf(frame)))
            before.append(frame);
    }
}

QJsonObject ProtocolClient::login(const QString &uid, const QString &token)
{
    if (!waitConnected())
        return {};
    return hello(uid, token);
}

void ProtocolClient::send(const QString &id, const QString &text, const QString &room,
                          qint64 sentAt)
{
    session.sendMessage(id, room, text, sentAt);
}

QList<QJsonObject> ProtocolClient::all() const
{
    QList<QJsonObject> result;
    for (const QList<QVariant> &arguments : frames)
        result.append(parseObject(arguments.at(0).toString()));
    return result;
}

qint64 ProtocolClient::catchUp(qint64 since, QList<QJsonObject> *received)
{
    session.sync(since);
    for (;;) {
        const QJsonObject frame = next();
        const QString type = typeOf(frame);
        if (type == protocol::type::Synced)
            return frame.value(QStringLiteral("seq")).toInteger();
        if (type != protocol::type::Message && type != protocol::type::Gap)
            return -1;
        if (received)
            received->append(frame);
    }
}

bool ProtocolClient::waitDisconnected(int timeout)
{
    return !disconnected.isEmpty() || disconnected.wait(timeout);
}

QJsonObject ProtocolClient::hello(const QString &uid, const QString &token)
{
    session.hello(QStringLiteral("protocolclient"), uid, token);
    return next();
}

bool ProtocolClient::pingPong(qint64 id)
{
    socket.sendTextMessage(protocol::ping(id));
    const QJsonObject answer = next();
    return answer.value(QStringLiteral("type")).toString() == protocol::type::Pong
        && answer.value(QStringLiteral("id")).toInteger() == id;
}

} // namespace lifeline::testkit
