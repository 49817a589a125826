# bench_fanout: lifeline-server against the Node.js ws peer in peer/ (fan-out latency, capacity).
# The peer needs `npm ci --prefix bench/peer` once; bench_fanout says so if it is missing.

# The load generator's WebSocket client: raw sockets in one epoll set per worker process.
qt_add_library(lifeline_fanout_client STATIC
    fanoutclock.h
    fanoutconnection.h fanoutconnection.cpp
    fanoutpoller.h fanoutpoller.cpp
)
target_include_directories(lifeline_fanout_client PUBLIC ${CMAKE_CURRENT_SOURCE_DIR})
target_link_libraries(lifeline_fanout_client PUBLIC Qt::Core PRIVATE lifeline_protocol lifeline_server_lib)

qt_add_executable(bench_fanout
    fanoutbench.cpp
    fanoutcpu.h fanoutcpu.cpp
    fanouthistogram.h fanouthistogram.cpp
    fanoutreceivecost.h fanoutreceivecost.cpp
    fanouttext.h fanouttext.cpp
    fanoutworker.h fanoutworker.cpp
)
target_link_libraries(bench_fanout PRIVATE lifeline_fanout_client lifeline_protocol
                                           lifeline_bench_support lifeline_bench_peer
                                           lifeline_harness lifeline_testkit lifeline_server_lib
                                           Qt::WebSockets)
add_dependencies(bench_fanout lifeline-server)

# Its test lives with the others in tests/, registered here next to the library it needs.
if(LIFELINE_BUILD_TESTS)
    lifeline_add_test(tst_fanoutconnection LIBS lifeline_fanout_client lifeline_protocol lifeline_server_lib
                                            Qt::Network)
    add_dependencies(tst_fanoutconnection lifeline-server)
endif()
