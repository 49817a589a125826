#include "fanoutworker.h"

#include "fanoutcpu.h"
#include "fanouttext.h"
#include "monotonicclock.h"
#include "parentchannel.h"
#include "processcpu.h"

#include <protocol.h>

#include <QAbstractEventDispatcher>
#include <QCoreApplication>
#include <QTimer>

#include <algorithm>

using namespace lifeline;
using namespace lifeline::testkit;

namespace lifeline::bench {

namespace {

const QString AppId = QStringLiteral("bench-fanout");
const QString Room = QStringLiteral("lobby");
// Often enough to see a stall of a few milliseconds, rarely enough to cost nothing.
constexpr int LagIntervalMs = 10;
// How long the event loop keeps looking for frames after the last one before it sleeps.
constexpr qint64 LingerUs = 50;

} // namespace

FanoutWorker::FanoutWorker(const QList<QUrl> &urls, int connectBurst, QObject *parent)
    : QObject(parent)
    , m_parent(new ParentChannel(this))
    , m_share(static_cast<LoadShare::Owner *>(this), urls, QStringLiteral("u"), connectBurst)
    , m_lagTimer(new QTimer(this))
{
    connect(m_parent, &ParentChannel::lineReceived, this, &FanoutWorker::readCommand);
    // The coordinator is done with us, or gone.
    connect(m_parent, &ParentChannel::closed, qApp, &QCoreApplication::quit);
    m_lagTimer->setSingleShot(true);
    m_lagTimer->setTimerType(Qt::PreciseTimer);
    connect(m_lagTimer, &QTimer::timeout, this, [this] {
        m_lagUs.push_back(std::max<qint64>(monotonicNowUs() - m_lagDueUs, 0));
        armLagTimer();
    });
    armLagTimer();
    connect(QAbstractEventDispatcher::instance(), &QAbstractEventDispatcher::aboutToBlock, this,
            &FanoutWorker::lingerBeforeSleeping);
}

FanoutWorker::~FanoutWorker() = default;

void FanoutWorker::readCommand(const QByteArray &text)
{
    const QByteArray line = text.trimmed();
    if (!line.isEmpty())
        handleCommand(line.split(' '));
}

void FanoutWorker::handleCommand(const QList<QByteArray> &fields)
{
    const QByteArray &command = fields.constFirst();
    if (command == "connect" && fields.size() == 4) {
        startConnecting(fields.at(1).toInt(), fields.at(2).toInt(), fields.at(3).toLongLong());
    } else if (command == "latency" && fields.size() == 7) {
        startLatency(fields);
    } else if (command == "expect" && fields.size() == 2) {
        expectMeasured(fields.at(1).toLongLong());
    } else if (command == "report") {
        report();
    } else if (command == "begin-step" && fields.size() == 2) {
        beginStep(fields.at(1).toInt());
    } else if (command == "bcast" && fields.size() == 4) {
        broadcastSample(fields.at(1).toInt(), fields.at(2).toInt(), fields.at(3).toInt());
    } else if (command == "status") {
        sayStatus();
    } else {
        // The coordinator and the worker are the same program: this is a bug, not bad input.
        qFatal("bench_fanout worker: unknown command \"%s\"", fields.join(' ').constData());
    }
}

void FanoutWorker::startConnecting(int first, int count, qint64 since)
{
    // Numbered as the share numbers its clients: in the order asked for.
    if (m_share.endpointError().isEmpty()) {
        for (int index = first; index < first + count; ++index) {
            Client &client = m_clients.emplace_back();
            client.id = int(m_clients.size()) - 1;
            client.index = index;
            m_byIndex.insert(index, &client);
        }
    }
    m_share.open(first, count, {AppId, since, 0});
}

void FanoutWorker::settled(int live, int failed, const QString &firstError)
{
    QByteArray line = "connected " + QByteArray::number(live) + ' ' + QByteArray::number(failed);
    if (!firstError.isEmpty())
        line += ' ' + firstError.simplified().toUtf8();
    ParentChannel::send(line);
}

void FanoutWorker::frameReceived(LoadClient &connection, QByteArrayView frame, qint64 receivedUs)
{
    ++m_frames;
    FanoutText text;
    if (!FanoutText::find(frame, &text)) {
        handleOtherLiveFrame(frame);
        return;
    }
    Client *client = &m_clients[size_t(connection.id())];
    switch (text.kind) {
    case FanoutText::Kind::Latency:
        receiveLatency(client, text, receivedUs);
        return;
    case FanoutText::Kind::Capacity:
        receiveSample(client, text, receivedUs);
        return;
    }
}

void FanoutWorker::allAcknowledged(LoadClient &)
{
    // Never asked for: the benchmark's senders send one message at a time.
}

void FanoutWorker::ended(LoadClient &connection, RawWebSocketPeer::End end, int closeCode,
                         const QString &why)
{
    // One that never was live is in the connect command's answer.
    if (connection.state() != LoadClient::State::Lost)
        return;
    const Client &client = m_clients[size_t(connection.id())];
    ++m_lost;
    // A server that broke the protocol fails the phase with its words, not just as a loss.
    if (end == RawWebSocketPeer::End::ProtocolError) {
        ++m_errorFrames;
        if (m_firstErrorFrame.isEmpty())
            m_firstErrorFrame = QStringLiteral("u%1: %2").arg(client.index).arg(why);
    }
    ParentChannel::send("lost " + QByteArray::number(client.index) + ' '
                        + QByteArray::number(closeCode));
}

bool FanoutWorker::isLive(const Client &client)
{
    return m_share.clients()[size_t(client.id)].state() == LoadClient::State::Live;
}

void FanoutWorker::handleOtherLiveFrame(QByteArrayView frame)
{
    if (frame.size() > LoadClient::LargestParsedFrame)
        return;
    protocol::DecodeError problem;
    const protocol::Frame decoded = protocol::Frame::decode(frame.toByteArray(), &problem);
    const QString type = decoded.type();
    if (type == protocol::type::Ack) {
        m_maxSeq = std::max(m_maxSeq, decoded.integer(QStringLiteral("seq")));
    } else if (!decoded.isValid() || type == protocol::type::Error || type == protocol::type::Nack
               || type == protocol::type::Retry) {
        // A refused or deferred message will be missing; the coordinator says why.
        ++m_errorFrames;
        if (m_firstErrorFrame.isEmpty())
            m_firstErrorFrame = decoded.isValid() ? QString::fromUtf8(frame) : problem.reason;
    } else if (type == protocol::type::Message) {
        ++m_stray;
    }
}

void FanoutWorker::receiveLatency(Client *client, const FanoutText &text, qint64 nowUs)
{
    if (text.first >= m_slots) {
        ++m_stray;
        return;
    }
    int &last = client->lastFromSlot[size_t(text.first)];
    // Both servers keep a sender's order, so anything not newer came twice.
    if (text.second <= last) {
        ++m_duplicates;
        return;
    }
    last = text.second;
    if (!text.measured)
        return;
    ++client->measuredReceived;
    ++m_received;
    // The sender's own copy counts for completeness, but it is no fan-out.
    const qint64 senderIndex = qint64(text.first) * m_totalClients / m_slots;
    if (client->index != senderIndex) {
        // Client INDEX is on instance INDEX % instances, the sender too.
        const bool across
            = client->index % m_share.instances() != senderIndex % m_share.instances();
        (across ? m_latencyAcross : m_latencyOwn).add(nowUs - text.sentUs);
    }
    if (m_expected >= 0 && client->measuredReceived == m_expected) {
        ++m_completeClients;
        checkComplete();
    }
}

void FanoutWorker::receiveSample(Client *client, const FanoutText &text, qint64 nowUs)
{
    if (text.first != m_step || text.second < 0 || text.second >= 64) {
        ++m_stray;
        return;
    }
    const quint64 bit = quint64(1) << text.second;
    if (client->samplesReceived & bit) {
        ++m_duplicates;
        return;
    }
    client->samplesReceived |= bit;
    Sample &sample = m_samples[text.second];
    ++sample.received;
    sample.lastUs = std::max(sample.lastUs, nowUs);
    if (sample.received == m_share.live())
        ParentChannel::send("got " + QByteArray::number(m_step) + ' '
                            + QByteArray::number(text.second) + ' '
                            + QByteArray::number(sample.lastUs));
}

void FanoutWorker::sendText(Client *client, const QString &id, const QString &text)
{
    // Out now, not at the next turn of the event loop: the send time is in the text already.
    m_share.clients()[size_t(client->id)].sendMessage(id, Room, text);
}

void FanoutWorker::startLatency(const QList<QByteArray> &fields)
{
    m_slots = fields.at(1).toInt();
    const int rate = fields.at(2).toInt();
    m_startUs = fields.at(3).toLongLong();
    m_measureFromUs = m_startUs + fields.at(4).toLongLong();
    m_endUs = m_measureFromUs + fields.at(5).toLongLong();
    m_totalClients = fields.at(6).toInt();
    m_periodUs = 1'000'000 / std::max(rate, 1);
    for (Client &client : m_clients) {
        client.lastFromSlot.assign(size_t(m_slots), -1);
        client.measuredReceived = 0;
    }
    m_latencyOwn.clear();
    m_latencyAcross.clear();
    m_received = 0;
    m_expected = -1;
    m_completeClients = 0;
    m_completeSaid = false;
    resetCounters();

    // A load sweep sends again and again from the same clients: the ids stay new, since the
    // server takes a known id for a client's retry and does not broadcast it again.
    ++m_latencyRound;
    for (const Sender &sender : std::as_const(m_senders))
        delete sender.timer;
    m_senders.clear();
    for (int slot = 0; slot < m_slots; ++slot) {
        Client *client = m_byIndex.value(int(qint64(slot) * m_totalClients / m_slots));
        if (!client || !isLive(*client))
            continue;
        Sender sender;
        sender.slot = slot;
        sender.client = client;
        sender.timer = new QTimer(this);
        sender.timer->setSingleShot(true);
        // A coarse timer may fire 5 % late or early: the pace would not be even.
        sender.timer->setTimerType(Qt::PreciseTimer);
        const int at = int(m_senders.size());
        connect(sender.timer, &QTimer::timeout, this, [this, at] {
            Sender &s = m_senders[at];
            const qint64 dueUs
                = m_startUs + qint64(s.slot) * m_periodUs / m_slots + s.next * m_periodUs;
            FanoutText text;
            text.kind = FanoutText::Kind::Latency;
            text.first = s.slot;
            text.second = int(s.next);
            text.measured = dueUs >= m_measureFromUs;
            text.sentUs = monotonicNowUs();
            sendText(s.client,
                     QStringLiteral("l%1-%2-%3").arg(m_latencyRound).arg(s.slot).arg(s.next),
                     text.toText());
            if (text.measured)
                ++s.measured;
            ++s.next;
            scheduleLatencySend(at);
        });
        m_senders.append(sender);
    }
    m_sendersRunning = int(m_senders.size());
    if (m_sendersRunning == 0)
        ParentChannel::send("senders-done");
    for (int at = 0; at < m_senders.size(); ++at)
        scheduleLatencySend(at);
}

void FanoutWorker::scheduleLatencySend(int at)
{
    Sender &sender = m_senders[at];
    // Evenly paced from the common start, the senders spread over one period.
    const qint64 dueUs
        = m_startUs + qint64(sender.slot) * m_periodUs / m_slots + sender.next * m_periodUs;
    if (dueUs >= m_endUs) {
        ParentChannel::send("sender-done " + QByteArray::number(sender.slot) + ' '
                            + QByteArray::number(sender.measured));
        if (--m_sendersRunning == 0)
            ParentChannel::send("senders-done");
        return;
    }
    // Whole milliseconds, rounded up: a precise timer never fires early.
    const qint64 waitUs = std::max<qint64>(dueUs - monotonicNowUs(), 0);
    sender.timer->start(int((waitUs + 999) / 1000));
}

void FanoutWorker::expectMeasured(qint64 count)
{
    m_expected = count;
    m_completeClients = int(
        std::count_if(m_clients.cbegin(), m_clients.cend(), [this, count](const Client &client) {
            return isLive(client) && client.measuredReceived == count;
        }));
    checkComplete();
}

void FanoutWorker::checkComplete()
{
    if (m_completeSaid || m_completeClients < m_share.live())
        return;
    m_completeSaid = true;
    ParentChannel::send("complete");
}

void FanoutWorker::report()
{
    const qint64 incomplete
        = std::count_if(m_clients.cbegin(), m_clients.cend(), [this](const Client &client) {
              return isLive(client) && client.measuredReceived != m_expected;
          });
    ParentChannel::send("hist own " + m_latencyOwn.toLine());
    ParentChannel::send("hist across " + m_latencyAcross.toLine());
    ParentChannel::send("report received=" + QByteArray::number(m_received)
                        + " incomplete=" + QByteArray::number(incomplete) + ' ' + counterFields());
}

void FanoutWorker::beginStep(int step)
{
    m_step = step;
    m_samples.clear();
    for (Client &client : m_clients)
        client.samplesReceived = 0;
    resetCounters();
    ParentChannel::send("began " + QByteArray::number(step));
}

void FanoutWorker::broadcastSample(int step, int sample, int index)
{
    Client *client = m_byIndex.value(index);
    if (!client || !isLive(*client)) {
        ParentChannel::send("sent " + QByteArray::number(step) + ' ' + QByteArray::number(sample)
                            + " -1");
        return;
    }
    FanoutText text;
    text.kind = FanoutText::Kind::Capacity;
    text.first = step;
    text.second = sample;
    text.sentUs = monotonicNowUs();
    sendText(client, QStringLiteral("c%1-%2").arg(step).arg(sample), text.toText());
    ParentChannel::send("sent " + QByteArray::number(step) + ' ' + QByteArray::number(sample) + ' '
                        + QByteArray::number(text.sentUs));
}

void FanoutWorker::sayStatus()
{
    ParentChannel::send("status " + counterFields());
}

QByteArray FanoutWorker::counterFields() const
{
    std::vector<qint64> lags = m_lagUs;
    std::sort(lags.begin(), lags.end());
    const qint64 worst = lags.empty() ? 0 : lags.back();
    const qint64 p99
        = lags.empty() ? 0 : lags.at(std::min(lags.size() - 1, lags.size() * 99 / 100));
    QByteArray fields = "live=" + QByteArray::number(m_share.live())
        + " lost=" + QByteArray::number(m_lost) + " duplicates=" + QByteArray::number(m_duplicates)
        + " stray=" + QByteArray::number(m_stray) + " errors=" + QByteArray::number(m_errorFrames)
        + " maxseq=" + QByteArray::number(m_maxSeq) + " lagmax=" + QByteArray::number(worst)
        + " lagp99=" + QByteArray::number(p99)
        + " frames=" + QByteArray::number(m_frames - m_framesAtStart) + " cpuus="
        + QByteArray::number(qint64(
            1e6
            * (lifeline::bench::processCpuSeconds(QCoreApplication::applicationPid())
               - m_cpuAtStart)));
    if (!m_firstErrorFrame.isEmpty())
        fields += " error=" + m_firstErrorFrame.toUtf8().toPercentEncoding();
    return fields;
}

void FanoutWorker::lingerBeforeSleeping()
{
    // Over loopback the server pays for its clients' sleep: each frame it sends to a process
    // asleep in epoll_wait() costs it a wake-up of that process, in its own system call. A real
    // client's sleep costs the server nothing. So while frames keep coming, the worker keeps
    // looking for the next one a little longer before it sleeps; a turn that read none sleeps
    // at once, so an idle worker costs nothing. The processEvents() below never waits, so the
    // dispatcher does not emit aboutToBlock() from inside it and this does not recurse.
    if (m_frames == m_framesAtSleep)
        return;
    qint64 frames = m_frames;
    qint64 lastFrameUs = monotonicNowUs();
    for (;;) {
        QCoreApplication::processEvents();
        const qint64 nowUs = monotonicNowUs();
        if (m_frames != frames) {
            frames = m_frames;
            lastFrameUs = nowUs;
        } else if (nowUs - lastFrameUs >= LingerUs) {
            break;
        }
    }
    m_framesAtSleep = m_frames;
}

void FanoutWorker::armLagTimer()
{
    m_lagDueUs = monotonicNowUs() + LagIntervalMs * 1000;
    m_lagTimer->start(LagIntervalMs);
}

void FanoutWorker::resetCounters()
{
    m_duplicates = 0;
    m_stray = 0;
    m_errorFrames = 0;
    m_firstErrorFrame.clear();
    m_lagUs.clear();
    m_framesAtStart = m_frames;
    m_cpuAtStart = lifeline::bench::processCpuSeconds(QCoreApplication::applicationPid());
}

} // namespace lifeline::bench
