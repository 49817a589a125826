# bench_client: filled in by the client-cost work.
