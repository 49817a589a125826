# The translations: embedded in lifeline_ui, checked against a real server's connection.
lifeline_add_test(tst_translations LIBS lifeline_ui lifeline_core Qt::Widgets)
add_dependencies(tst_translations lifeline-server)
target_compile_definitions(tst_translations PRIVATE
    LIFELINE_TRANSLATIONS_DIR="${PROJECT_SOURCE_DIR}/translations")
