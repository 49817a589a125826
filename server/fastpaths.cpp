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

// Whether the fast path named fastName is chosen (the alternative is always Qt's, "qt"): by
// flagValue if given, else by the environment variable, else by default on the checked Qt
// version only. Nothing, and the reason in *error, for a value that names neither.
std::optional<bool> choosesFastPath(const QString &flag, const QString &flagValue,
                                    const char *variable, const QString &fastName, QString *error)
{
    QString from = flag;
    QString name = flagValue;
    if (name.isEmpty() && qEnvironmentVariableIsSet(variable)) {
        from = QString::fromLatin1(variable);
        name = qEnvironmentVariable(variable);
    }
    if (name.isEmpty())
        return FastPaths::onCheckedQtVersion();
    if (name == fastName)
        return true;
    if (name == QLatin1String("qt"))
        return false;
    *error
        = QStringLiteral("%1 \"%2\" is neither %3 nor qt (see --help)").arg(from, name, fastName);
    return std::nullopt;
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
    const std::optional<bool> fast
        = choosesFastPath(QStringLiteral("--event-loop"),
                          QString::fromLocal8Bit(rawOptionValue(argc, argv, "event-loop")),
                          EventLoopVariable, nameOf(EventLoop::Epoll), error);
    if (!fast)
        return std::nullopt;
    return *fast ? EventLoop::Epoll : EventLoop::Qt;
}

std::optional<FrameTransport::Kind> FastPaths::transport(const QString &option, QString *error)
{
    const std::optional<bool> fast
        = choosesFastPath(QStringLiteral("--transport"), option, TransportVariable,
                          nameOf(FrameTransport::Kind::Raw), error);
    if (!fast)
        return std::nullopt;
    return *fast ? FrameTransport::Kind::Raw : FrameTransport::Kind::Qt;
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
