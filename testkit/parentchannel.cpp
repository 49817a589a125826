#include "parentchannel.h"

#include <QSocketNotifier>

#include <cstdio>
#include <unistd.h>

namespace lifeline::testkit {

ParentChannel::ParentChannel(QObject *parent)
    : QObject(parent)
    , m_notifier(new QSocketNotifier(STDIN_FILENO, QSocketNotifier::Read, this))
{
    connect(m_notifier, &QSocketNotifier::activated, this, &ParentChannel::readInput);
}

ParentChannel::~ParentChannel() = default;

void ParentChannel::send(const QByteArray &line)
{
    std::fwrite(line.constData(), 1, size_t(line.size()), stdout);
    std::fputc('\n', stdout);
    std::fflush(stdout);
}

void ParentChannel::readInput()
{
    char buffer[4096];
    const ssize_t got = ::read(STDIN_FILENO, buffer, sizeof buffer);
    if (got <= 0) {
        m_notifier->setEnabled(false);
        Q_EMIT closed();
        return;
    }
    m_buffer.append(buffer, got);
    qsizetype end = 0;
    while ((end = m_buffer.indexOf('\n')) >= 0) {
        const QByteArray line = m_buffer.left(end);
        m_buffer.remove(0, end + 1);
        Q_EMIT lineReceived(line);
    }
}

} // namespace lifeline::testkit
