# What durability costs (bench_outbox, defined in CMakeLists.txt; bench_store) and what an idle
# connection costs the server (bench_memory).
target_link_libraries(bench_outbox PRIVATE lifeline_bench_support)

# The server's acknowledged-and-stored messages a second, with and without batched commits.
qt_add_executable(bench_store storebench.cpp)
target_link_libraries(bench_store PRIVATE lifeline_harness lifeline_testkit lifeline_protocol lifeline_bench_support
                                          Qt::WebSockets)
add_dependencies(bench_store lifeline-server)

# Server memory per idle connection (on SQLite and on PostgreSQL), against the Node.js peer in
# peer/ when it is installed.
qt_add_executable(bench_memory memorybench.cpp)
target_link_libraries(bench_memory PRIVATE lifeline_harness lifeline_testkit lifeline_protocol lifeline_bench_support
                                           lifeline_bench_peer
                                           Qt::WebSockets)
add_dependencies(bench_memory lifeline-server)
