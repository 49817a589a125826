# One minute of the chaos soak (chaos/, docs/reliability.md): every message checked after
# server kills and freezes, link resets, black holes, refused connections and client kills.
# The run itself takes 60 s; settling, draining and checking take a few more.
add_test(NAME chaos_soak COMMAND lifeline-chaos --duration 60)
set_tests_properties(chaos_soak PROPERTIES TIMEOUT 600)
# The same minute against three instances on PostgreSQL (docs/scaling.md): instances killed and
# frozen one at a time, their LISTEN connections terminated, PostgreSQL restarted.
add_test(NAME chaos_soak_cluster COMMAND lifeline-chaos --cluster --duration 60)
set_tests_properties(chaos_soak_cluster PROPERTIES TIMEOUT 600)
