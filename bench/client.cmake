# What a connected, idle app costs (bench_client): the real lifeline app and a bare Qt window,
# side by side for a minute. It starts both next to itself, so it needs them built.
qt_add_executable(bench_client clientbench.cpp)
target_link_libraries(bench_client PRIVATE lifeline_harness lifeline_testkit lifeline_bench_support Qt::Widgets)
add_dependencies(bench_client lifeline lifeline-server)

# bench_connection (bench/CMakeLists.txt) writes its rows with the shared report.
target_link_libraries(bench_connection PRIVATE lifeline_bench_support)
