#include "storereader.h"

#include "protocol.h"

#include <QEventLoop>
#include <QTimer>
#include <QWebSocket>

using namespace lifeline;

bool StoreReader::fetch(const QUrl &serverUrl, int timeoutMs, QString *error)
{
    m_messages.clear();
    QWebSocket socket;
    socket.setMaxAllowedIncomingMessageSize(protocol::MaxClientIncomingBytes);
    QEventLoop loop;
    bool synced = false;
    const auto finish = [&loop, error](const QString &reason) {
        if (error->isEmpty())
            *error = reason;
        loop.quit();
    };
    QObject::connect(&socket, &QWebSocket::connected, &loop, [&socket] {
        socket.sendTextMessage(protocol::hello(QStringLiteral("lifeline-chaos"),
                                               QStringLiteral("chaos-verifier"),
                                               QStringLiteral("chaos-token")));
    });
    QObject::connect(&socket, &QWebSocket::disconnected, &loop, [&finish, &socket] {
        finish(QStringLiteral("the server closed the link (%1)").arg(socket.closeReason()));
    });
    QObject::connect(&socket, &QWebSocket::textMessageReceived, &loop, [&](const QString &text) {
        protocol::DecodeError decodeError;
        const protocol::Frame frame = protocol::Frame::decode(text, &decodeError);
        const QString type = frame.type();
        if (!frame.isValid()) {
            finish(
                QStringLiteral("the server sent a frame the codec refuses: %1").arg(decodeError.reason));
        } else if (type == protocol::type::Welcome) {
            socket.sendTextMessage(protocol::sync(0));
        } else if (type == protocol::type::Message) {
            m_messages.append(
                {frame.text(QStringLiteral("id")), frame.text(QStringLiteral("sender")),
                 frame.text(QStringLiteral("text")), frame.integer(QStringLiteral("seq"))});
        } else if (type == protocol::type::Gap) {
            finish(QStringLiteral("the server no longer has messages %1 to %2")
                       .arg(frame.integer(QStringLiteral("from")))
                       .arg(frame.integer(QStringLiteral("to"))));
        } else if (type == protocol::type::Error) {
            finish(QStringLiteral("the server answered %1: %2")
                       .arg(frame.text(QStringLiteral("code")),
                            frame.text(QStringLiteral("message"))));
        } else if (type == protocol::type::Synced) {
            synced = true;
            loop.quit();
        }
    });
    QTimer::singleShot(timeoutMs, &loop, [&finish, timeoutMs] {
        finish(QStringLiteral("no complete catch-up within %1 ms").arg(timeoutMs));
    });
    error->clear();
    socket.open(serverUrl);
    loop.exec();
    socket.disconnect(&loop);
    socket.abort();
    return synced && error->isEmpty();
}
