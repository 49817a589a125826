# bench_fanout: lifeline-server against the Node.js ws peer in peer/ and the Go peer in peer-go/
# (fan-out latency, capacity, shutdown). The Node peer needs `npm ci --prefix bench/peer` once,
# the Go peer Go to build it; bench_fanout says so if either is missing.

qt_add_executable(bench_fanout
    fanoutbench.cpp
    fanoutcpu.h fanoutcpu.cpp
    fanoutfloor.h fanoutfloor.cpp
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
if(TARGET bench_peer_go)
    add_dependencies(bench_fanout bench_peer_go)
endif()

