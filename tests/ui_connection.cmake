# The connection panels, each against the real server (BundledServer) through the fault proxy.
lifeline_add_test(tst_statusindicator LIBS lifeline_ui lifeline_core Qt::Widgets)
lifeline_add_test(tst_manualcontrols LIBS lifeline_ui lifeline_core Qt::Widgets)
lifeline_add_test(tst_appstatecontroller LIBS lifeline_ui lifeline_core)
lifeline_add_test(tst_eventlog LIBS lifeline_ui lifeline_core)
lifeline_add_test(tst_timelinewidget LIBS lifeline_ui lifeline_core Qt::Widgets)
lifeline_add_test(tst_traynotifier LIBS lifeline_ui lifeline_core Qt::Widgets)
foreach(test tst_statusindicator tst_manualcontrols tst_appstatecontroller tst_eventlog
        tst_timelinewidget tst_traynotifier)
    add_dependencies(${test} lifeline-server)
endforeach()
