#include "fastpaths.h"

#include <QByteArray>
#include <QLatin1String>

namespace lifeline::server {

namespace {

const char EventLoopVariable[] = "LIFELINE_EVENT_LOOP";
const char TransportVariable[] = "LIFELINE_TRANSPORT";

// The value of --name in argv, as "--name value" or "--name=value"; null when not given.
QByteArray rawOptionValue(int argc, char **argv, const QByteArray &name)
{
    const QByteArray flag = "--" + name;
    QByteArray value;
    for (int i = 1; i < argc; ++i) {
        const QByteArray argument(argv[i]);
        if (argument == flag && i + 1 < argc)
            value = argv[++i];
        else if (argument.startsWith(flag + '='))
            value = argument.mid(flag.size() + 1);
        else if (argument == "--")
            break;
    }
    return value;
}

// The flag's value, else the environment variable's, else fastDefault on the checked Qt
// version and qtDefault on any other; *from says where it came from, for errors.
QString chosen(const QString &flagValue, const char *variable, const QString &fastDefault,
               const QString &qtDefault, QString *from)
{
    if (!flagValue.isEmpty())
        return flagValue;
    if (qEnvironmentVariableIsSet(variable)) {
        *from = QString::fromLatin1(variable);
        return qEnvironmentVariable(variable);
    }
    return FastPaths::onCheckedQtVersion() ? fastDefault : qtDefault;
}

} // namespace

QString FastPaths::checkedQtVersion()
{
    return QStringLiteral(LIFELINE_FAST_PATHS_QT_VERSION);
}

bool FastPaths::onCheckedQtVersion()
{
    return qstrcmp(QT_VERSION_STR, LIFELINE_FAST_PATHS_QT_VERSION) == 0
        && qstrcmp(qVersion(), LIFELINE_FAST_PATHS_QT_VERSION) == 0;
}

std::optional<FastPaths::EventLoop> FastPaths::eventLoop(int argc, char **argv, QString *error)
{
    QString from = QStringLiteral("--event-loop");
    const QString name
        = chosen(QString::fromLocal8Bit(rawOptionValue(argc, argv, "event-loop")),
                 EventLoopVariable, nameOf(EventLoop::Epoll), nameOf(EventLoop::Qt), &from);
    if (name == nameOf(EventLoop::Epoll))
        return EventLoop::Epoll;
    if (name == nameOf(EventLoop::Qt))
        return EventLoop::Qt;
    *error = QStringLiteral("%1 \"%2\" is neither epoll nor qt (see --help)").arg(from, name);
    return std::nullopt;
}

std::optional<FrameTransport::Kind> FastPaths::transport(const QString &option, QString *error)
{
    QString from = QStringLiteral("--transport");
    const QString name = chosen(option, TransportVariable, nameOf(FrameTransport::Kind::Raw),
                                nameOf(FrameTransport::Kind::Qt), &from);
    if (name == nameOf(FrameTransport::Kind::Raw))
        return FrameTransport::Kind::Raw;
    if (name == nameOf(FrameTransport::Kind::Qt))
        return FrameTransport::Kind::Qt;
    *error = QStringLiteral("%1 \"%2\" is neither raw nor qt (see --help)").arg(from, name);
    return std::nullopt;
}

QString FastPaths::nameOf(EventLoop loop)
{
    return loop == EventLoop::Epoll ? QStringLiteral("epoll") : QStringLiteral("qt");
}

QString FastPaths::nameOf(FrameTransport::Kind kind)
{
    return kind == FrameTransport::Kind::Raw ? QStringLiteral("raw") : QStringLiteral("qt");
}

} // namespace lifeline::server
