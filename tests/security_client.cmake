# The client SDK under a misbehaving server and over TLS.
lifeline_add_test(tst_hostileserver LIBS lifeline_core lifeline_protocol Qt::WebSockets)
# Against lifeline-server --tls-cert/--tls-key, with certificates made by the openssl tool.
lifeline_add_test(tst_clienttls LIBS lifeline_core Qt::Network)
add_dependencies(tst_clienttls lifeline-server)
