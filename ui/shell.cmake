# The app shell: the settings, the Simulate menu and the main window that assembles the panels
# of the chat and connection areas.
target_sources(lifeline_ui PRIVATE
    appconfig.h appconfig.cpp
    settingspanel.h settingspanel.cpp
    simulatemenu.h simulatemenu.cpp
    mainwindow.h mainwindow.cpp
    cursorblinktimeout.h cursorblinktimeout.cpp
)
