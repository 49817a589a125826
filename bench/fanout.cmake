# bench_fanout: lifeline-server against the Node.js ws peer in peer/ (fan-out latency, capacity).
# The peer needs `npm ci --prefix bench/peer` once; bench_fanout says so if it is missing.
qt_add_executable(bench_fanout
    fanoutbench.cpp
    fanoutclock.h
    fanouthistogram.h fanouthistogram.cpp
    fanouttext.h fanouttext.cpp
    fanoutworker.h fanoutworker.cpp
    fanoutworkerpool.h fanoutworkerpool.cpp
)
target_link_libraries(bench_fanout PRIVATE lifeline_protocol lifeline_bench_support lifeline_ui
                                           Qt::WebSockets)
target_compile_definitions(bench_fanout PRIVATE LIFELINE_PEER_DIR="${CMAKE_CURRENT_SOURCE_DIR}/peer")
add_dependencies(bench_fanout lifeline-server)
