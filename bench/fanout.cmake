# bench_fanout: lifeline-server against the Node.js ws peer in peer/ (fan-out latency, capacity).
# The peer needs `npm ci --prefix bench/peer` once; bench_fanout says so if it is missing.

qt_add_executable(bench_fanout
    fanoutbench.cpp
    fanoutcpu.h fanoutcpu.cpp
    fanouthistogram.h fanouthistogram.cpp
    fanoutreceivecost.h fanoutreceivecost.cpp
    fanouttext.h fanouttext.cpp
    fanoutworker.h fanoutworker.cpp
)
target_link_libraries(bench_fanout PRIVATE lifeline_protocol
                                           lifeline_bench_support lifeline_bench_peer
                                           lifeline_harness lifeline_testkit lifeline_server_lib
                                           Qt::WebSockets)
add_dependencies(bench_fanout lifeline-server)

