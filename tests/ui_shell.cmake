# The app shell's tests.
lifeline_add_test(tst_appconfig LIBS lifeline_ui lifeline_core)
lifeline_add_test(tst_settingspanel LIBS lifeline_ui)
# These start the real server next to themselves (BundledServer::defaultProgram()).
lifeline_add_test(tst_simulatemenu LIBS lifeline_ui lifeline_core)
add_dependencies(tst_simulatemenu lifeline-server)
lifeline_add_test(tst_mainwindow LIBS lifeline_ui lifeline_core)
add_dependencies(tst_mainwindow lifeline-server)
