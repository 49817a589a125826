#include "windowedsender.h"

#include <QDateTime>

using namespace lifeline;

namespace lifeline::bench {

WindowedSender::WindowedSender(const QUrl &url, const QString &uid, int count, int window,
                               QObject *parent)
    : SessionClient(QString(), parent)
    , m_uid(uid)
    , m_count(count)
    , m_window(window)
{
    connect(this, &SessionClient::frameReceived, this, &WindowedSender::handleFrame);
    connect(this, &SessionClient::lost, this, &WindowedSender::fail);
    helloWhenConnected(QStringLiteral("bench"), m_uid, QStringLiteral("token"));
    open(url);
}

QString WindowedSender::text()
{
    return QStringLiteral(
        "On my way, about ten minutes late: the train stopped before the bridge.");
}

void WindowedSender::start()
{
    while (m_sent < m_count && m_sent - acks() < m_window)
        sendNext();
}

void WindowedSender::sendNext()
{
    sendMessage(QStringLiteral("%1-%2").arg(m_uid).arg(m_sent++), QStringLiteral("load"), text(),
                QDateTime::currentMSecsSinceEpoch());
}

void WindowedSender::handleFrame(const protocol::Frame &frame, const QString &text)
{
    const QString type = frame.type();
    if (type == protocol::type::Ack) {
        if (acks() == m_count)
            Q_EMIT finished();
        else if (m_sent < m_count)
            sendNext();
    } else if (type == protocol::type::Nack || type == protocol::type::Retry) {
        // With the rate limit off and ids of its own, a sender hears nothing but acks.
        fail(QStringLiteral("the server answered with %1: %2").arg(type, text.left(200)));
    }
}

void WindowedSender::fail(const QString &why)
{
    if (m_failed || acks() == m_count)
        return;
    m_failed = true;
    Q_EMIT failed(why);
}

} // namespace lifeline::bench
