# bench_fanout: lifeline-server against the Node.js ws peer in peer/ (fan-out latency, capacity).
# The peer needs `npm ci --prefix bench/peer` once; bench_fanout says so if it is missing.

# The load generator's WebSocket client: raw sockets in one epoll set per worker process.
qt_add_library(lifeline_fanout_client STATIC
    fanoutclock.h
    fanoutconnection.h fanoutconnection.cpp
    fanoutpoller.h fanoutpoller.cpp
)
target_include_directories(lifeline_fanout_client PUBLIC ${CMAKE_CURRENT_SOURCE_DIR})
target_link_libraries(lifeline_fanout_client PUBLIC Qt::Core PRIVATE lifeline_protocol)

qt_add_executable(bench_fanout
    fanoutbench.cpp
    fanoutcpu.h fanoutcpu.cpp
    fanouthistogram.h fanouthistogram.cpp
    fanoutreceivecost.h fanoutreceivecost.cpp
    fanouttext.h fanouttext.cpp
    fanoutworker.h fanoutworker.cpp
    fanoutworkerpool.h fanoutworkerpool.cpp
)
target_link_libraries(bench_fanout PRIVATE lifeline_fanout_client lifeline_protocol
                                           lifeline_bench_support lifeline_ui Qt::WebSockets)
target_compile_definitions(bench_fanout PRIVATE LIFELINE_PEER_DIR="${CMAKE_CURRENT_SOURCE_DIR}/peer")
add_dependencies(bench_fanout lifeline-server)

# Its test lives with the others in tests/; it is registered here, next to the library it
# needs, as lifeline_add_test() takes a test's source from the directory that calls it and
# tests/ comes before bench/. The same settings as lifeline_add_test().
if(LIFELINE_BUILD_TESTS)
    qt_add_executable(tst_fanoutconnection ${PROJECT_SOURCE_DIR}/tests/tst_fanoutconnection.cpp)
    target_link_libraries(tst_fanoutconnection PRIVATE Qt::Test Qt::Network lifeline_ui
                                                       lifeline_test_support lifeline_fanout_client
                                                       lifeline_protocol)
    add_dependencies(tst_fanoutconnection lifeline-server)
    add_test(NAME tst_fanoutconnection COMMAND tst_fanoutconnection)
    set_tests_properties(tst_fanoutconnection PROPERTIES
        ENVIRONMENT "QT_QPA_PLATFORM=offscreen;QT_LOGGING_RULES=lifeline.*.debug=true"
        TIMEOUT 120)
endif()
