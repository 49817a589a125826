# The connection panels: status, manual controls, app state, event log, timeline, tray.
target_sources(lifeline_ui PRIVATE
    statusindicator.h statusindicator.cpp
    manualcontrols.h manualcontrols.cpp
    appstatecontroller.h appstatecontroller.cpp
    eventlog.h eventlog.cpp
    eventlogdock.h eventlogdock.cpp
    timelinewidget.h timelinewidget.cpp
    traynotifier.h traynotifier.cpp
)
