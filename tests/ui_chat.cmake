# The chat area's tests; each starts the real lifeline-server next to itself.
lifeline_add_test(tst_messagelistmodel LIBS lifeline_ui lifeline_core Qt::Widgets)
add_dependencies(tst_messagelistmodel lifeline-server)
lifeline_add_test(tst_composerwidget LIBS lifeline_ui lifeline_core Qt::Widgets)
add_dependencies(tst_composerwidget lifeline-server)
lifeline_add_test(tst_chatpanel LIBS lifeline_ui lifeline_core Qt::Widgets)
add_dependencies(tst_chatpanel lifeline-server)
