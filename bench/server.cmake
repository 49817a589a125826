# bench_store and bench_memory: filled in by the server-cost work.
