# The chat area of the window: the message list, the composer, the room panel and presence.
target_sources(lifeline_ui PRIVATE
    messagelistmodel.h messagelistmodel.cpp
    messagedelegate.h messagedelegate.cpp
    composerwidget.h composerwidget.cpp
    chatpanel.h chatpanel.cpp
    presencepanel.h presencepanel.cpp
)
