# bench_fanout: filled in by the fan-out work.
