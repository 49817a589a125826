#include "windowedsender.h"

#include <QDateTime>

using namespace lifeline;

namespace lifeline::bench {

WindowedSender::WindowedSender(const QUrl &url, const QString &uid, int count, int window,
                               QObject *parent)
    : QObject(parent)
    , m_uid(uid)
    , m_count(count)
    , m_window(window)
{
    connect(&m_session, &testkit::SessionClient::welcomed, this, &WindowedSender::welcomed);
    connect(&m_session, &testkit::SessionClient::frameReceived, this, &WindowedSender::handleFrame);
    connect(&m_session, &testkit::SessionClient::lost, this, &WindowedSender::fail);
    m_session.limitIncomingToTheApps();
    m_session.helloWhenConnected(QStringLiteral("bench"), m_uid, QStringLiteral("token"));
    m_session.open(url);
}

QString WindowedSender::text()
{
    return QStringLiteral(
        "On my way, about ten minutes late: the train stopped before the bridge.");
}

void WindowedSender::start()
{
    while (m_sent < m_count && m_sent - m_session.acks() < m_window)
        sendNext();
}

void WindowedSender::sendNext()
{
    m_session.sendMessage(QStringLiteral("%1-%2").arg(m_uid).arg(m_sent++), QStringLiteral("load"),
                          text(), QDateTime::currentMSecsSinceEpoch());
}

void WindowedSender::handleFrame(const protocol::Frame &frame, const QString &text)
{
    const QString type = frame.type();
    if (type == protocol::type::Ack) {
        if (m_session.acks() == m_count)
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
    if (m_failed || m_session.acks() == m_count)
        return;
    m_failed = true;
    Q_EMIT failed(why);
}

} // namespace lifeline::bench
