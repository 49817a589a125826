#pragma once

#include "frametransport.h"

#include <QString>

#include <optional>

namespace lifeline::server {

// Where the server goes around Qt for speed, each with Qt's own path beside it: how text frames
// reach a socket (--transport raw|qt, FrameTransport) and which event loop runs (--event-loop
// epoll|qt, EpollEventDispatcher). The fast paths rely on how Qt behaves inside, checked on one
// Qt version (LIFELINE_FAST_PATHS_QT_VERSION, set in server/CMakeLists.txt); they are the
// default only there. Built against or running on another Qt, the server takes Qt's paths
// unless the fast ones are asked for by flag or by LIFELINE_TRANSPORT / LIFELINE_EVENT_LOOP,
// which the test suite sets to run every server test on all four combinations.
class FastPaths
{
public:
    enum class EventLoop { Qt, Epoll };

    // The Qt version the fast paths were checked against.
    static QString checkedQtVersion();
    // Whether the server was built against that version and runs on it.
    static bool onCheckedQtVersion();

    // The event loop asked for by --event-loop in the raw command line (read before the
    // application object exists, since the loop must be installed first), else by
    // LIFELINE_EVENT_LOOP, else the default. Nothing, and the reason in *error, for a value
    // that names no loop.
    static std::optional<EventLoop> eventLoop(int argc, char **argv, QString *error);
    // The transport asked for by the --transport value given (empty when not given), else by
    // LIFELINE_TRANSPORT, else the default. Nothing, and the reason in *error, for a value that
    // names no transport.
    static std::optional<FrameTransport::Kind> transport(const QString &option, QString *error);

    static QString nameOf(EventLoop loop);
    static QString nameOf(FrameTransport::Kind kind);
};

} // namespace lifeline::server
