# The server's defences (docs/security.md), each against the real lifeline-server.
lifeline_add_test(tst_servertls LIBS lifeline_protocol Qt::Network Qt::WebSockets)
lifeline_add_test(tst_serverprotections LIBS lifeline_core lifeline_protocol Qt::Network
                  Qt::WebSockets)
lifeline_add_test(tst_hostileclient LIBS lifeline_core lifeline_protocol Qt::Network)
foreach(test tst_servertls tst_serverprotections tst_hostileclient)
    add_dependencies(${test} lifeline-server)
endforeach()
