<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US">
<context>
    <name>AppConfig</name>
    <message>
        <location filename="../ui/appconfig.cpp" line="90"/>
        <source>must be ws:// or wss:// URLs with a host, separated by commas, e.g. ws://127.0.0.1:8080, or empty for the bundled server</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/appconfig.cpp" line="96"/>
        <source>must not be empty</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/appconfig.cpp" line="98"/>
        <source>must not start or end with a space</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/appconfig.cpp" line="100"/>
        <source>must not be empty (any token works with the bundled server)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/appconfig.cpp" line="102"/>
        <source>must be 0 or more seconds (got %1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/appconfig.cpp" line="104"/>
        <location filename="../ui/appconfig.cpp" line="114"/>
        <location filename="../ui/appconfig.cpp" line="116"/>
        <location filename="../ui/appconfig.cpp" line="118"/>
        <source>must be at least 1 second (got %1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/appconfig.cpp" line="109"/>
        <source>must be shorter than the background grace period (%1 s), or the link closes before the first ping</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/appconfig.cpp" line="121"/>
        <source>must not be less than the first delay (%1 s)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/appconfig.cpp" line="123"/>
        <source>must be 0 (never give up) or more (got %1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/appconfig.cpp" line="125"/>
        <source>must be between 0 and 1 (got %1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/appconfig.cpp" line="129"/>
        <source>must be a language code such as de or en_GB, or empty for the system&apos;s</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>lifeline::harness::BundledServer</name>
    <message>
        <location filename="../harness/bundledserver.cpp" line="344"/>
        <source>lifeline-server crashed before it listened; its messages above say why (%1).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../harness/bundledserver.cpp" line="347"/>
        <source>lifeline-server exited with code %1 before it listened; its messages above say why (%2).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../harness/bundledserver.cpp" line="352"/>
        <source>lifeline-server crashed unexpectedly.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../harness/bundledserver.cpp" line="353"/>
        <source>lifeline-server exited with code %1 unexpectedly.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../harness/bundledserver.cpp" line="370"/>
        <source>Cannot start the bundled server %1: %2. Build the lifeline-server target (it belongs next to the app, in %3) or choose the program with setProgram().</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>lifeline::ui::AppStateController</name>
    <message>
        <location filename="../ui/appstatecontroller.cpp" line="94"/>
        <source>Foreground</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/appstatecontroller.cpp" line="99"/>
        <source>Background: closing in %1 s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/appstatecontroller.cpp" line="105"/>
        <source>Background</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/appstatecontroller.cpp" line="139"/>
        <source>Ping answered in %1 ms</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>lifeline::ui::ChatPanel</name>
    <message>
        <location filename="../ui/chatpanel.cpp" line="122"/>
        <source>Dismiss</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/chatpanel.cpp" line="123"/>
        <source>Hide this notice</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/chatpanel.cpp" line="143"/>
        <source>Retry</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/chatpanel.cpp" line="144"/>
        <source>Send this message again</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/chatpanel.cpp" line="155"/>
        <source>%n message(s) waiting to send</source>
        <translation>
            <numerusform>%n message waiting to send</numerusform>
            <numerusform>%n messages waiting to send</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../ui/chatpanel.cpp" line="168"/>
        <source>%1 is typing…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/chatpanel.cpp" line="171"/>
        <source>%1 and %2 are typing…</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/chatpanel.cpp" line="174"/>
        <source>%n people are typing…</source>
        <translation>
            <numerusform>%n person is typing…</numerusform>
            <numerusform>%n people are typing…</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../ui/chatpanel.cpp" line="192"/>
        <source>Messages %1 to %2 are no longer on the server and cannot be shown.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>lifeline::ui::ComposerWidget</name>
    <message>
        <location filename="../ui/composerwidget.cpp" line="116"/>
        <source>Write a message…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/composerwidget.cpp" line="128"/>
        <location filename="../ui/composerwidget.cpp" line="140"/>
        <source>Send</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/composerwidget.cpp" line="129"/>
        <source>Send the message now (Enter)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/composerwidget.cpp" line="133"/>
        <source>Queue</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/composerwidget.cpp" line="134"/>
        <source>Goes out as soon as the connection is back</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/composerwidget.cpp" line="142"/>
        <source>Offline — connect first</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/composerwidget.cpp" line="144"/>
        <source>Log in first</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/composerwidget.cpp" line="146"/>
        <source>Too many messages are waiting to be sent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/composerwidget.cpp" line="170"/>
        <source>%1: %2</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>lifeline::ui::EventLog</name>
    <message>
        <location filename="../ui/eventlog.cpp" line="213"/>
        <source>Attempt %1 in %2 ms</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/eventlog.cpp" line="129"/>
        <source>Time</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/eventlog.cpp" line="131"/>
        <source>Kind</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/eventlog.cpp" line="133"/>
        <source>Text</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/eventlog.cpp" line="187"/>
        <source>status</source>
        <comment>event log kind</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/eventlog.cpp" line="189"/>
        <source>error</source>
        <comment>event log kind</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/eventlog.cpp" line="191"/>
        <source>reconnecting</source>
        <comment>event log kind</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/eventlog.cpp" line="193"/>
        <source>appState</source>
        <comment>event log kind</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/eventlog.cpp" line="195"/>
        <source>ping</source>
        <comment>event log kind</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/eventlog.cpp" line="197"/>
        <source>manual</source>
        <comment>event log kind</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/eventlog.cpp" line="199"/>
        <source>simulate</source>
        <comment>event log kind</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/eventlog.cpp" line="201"/>
        <source>settings</source>
        <comment>event log kind</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/eventlog.cpp" line="211"/>
        <source>%1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/eventlog.cpp" line="217"/>
        <source>Foreground</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/eventlog.cpp" line="219"/>
        <source>Background</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/eventlog.cpp" line="234"/>
        <source>Disconnected: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/eventlog.cpp" line="236"/>
        <source>Connecting</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/eventlog.cpp" line="238"/>
        <source>Connected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/eventlog.cpp" line="239"/>
        <source>Connected to %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/eventlog.cpp" line="241"/>
        <source>Reconnecting</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/eventlog.cpp" line="244"/>
        <location filename="../ui/eventlog.cpp" line="246"/>
        <source>, </source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/eventlog.cpp" line="244"/>
        <source>Connected, %1 paused by the server</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/eventlog.cpp" line="245"/>
        <source>Connected to %1, %2 paused by the server</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/eventlog.cpp" line="255"/>
        <source>not started yet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/eventlog.cpp" line="257"/>
        <source>you disconnected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/eventlog.cpp" line="259"/>
        <source>logged out</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/eventlog.cpp" line="261"/>
        <source>in background</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/eventlog.cpp" line="263"/>
        <source>every reconnect attempt failed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/eventlog.cpp" line="265"/>
        <source>token rejected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/eventlog.cpp" line="267"/>
        <source>the server speaks another protocol version</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/eventlog.cpp" line="269"/>
        <source>the secure connection failed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/eventlog.cpp" line="280"/>
        <location filename="../ui/eventlog.cpp" line="309"/>
        <source>Cannot write %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>lifeline::ui::EventLogDock</name>
    <message>
        <location filename="../ui/eventlogdock.cpp" line="74"/>
        <source>Event log</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/eventlogdock.cpp" line="76"/>
        <source>&amp;Event log</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/eventlogdock.cpp" line="77"/>
        <source>Export…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/eventlogdock.cpp" line="84"/>
        <source>Export event log</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/eventlogdock.cpp" line="86"/>
        <source>JSON lines (*.jsonl);;All files (*)</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/eventlogdock.cpp" line="101"/>
        <source>Exported %n events to %1</source>
        <translation>
            <numerusform>Exported %n event to %1</numerusform>
            <numerusform>Exported %n events to %1</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>lifeline::ui::MainWindow</name>
    <message>
        <location filename="../ui/mainwindow.cpp" line="202"/>
        <source>Settings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="309"/>
        <source>Lifeline</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="195"/>
        <source>&amp;File</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="196"/>
        <source>&amp;Export event log…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="197"/>
        <source>&amp;Quit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="198"/>
        <source>&amp;View</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="199"/>
        <source>Simulate &amp;background</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="201"/>
        <source>Behave as if the window were in the background, as a phone app would be.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="204"/>
        <source>&amp;Settings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="307"/>
        <source>Lifeline — %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="280"/>
        <source>Could not save the settings to %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="285"/>
        <source>Settings applied</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="292"/>
        <source>Export event log</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="294"/>
        <source>JSON Lines (*.jsonl);;All files (*)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="299"/>
        <source>Event log exported to %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="301"/>
        <source>Export failed: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="317"/>
        <source>Bundled server starting…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="323"/>
        <source>Bundled server at %1 — others join with: lifeline --server %1 --user bob --data-dir %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="330"/>
        <source>Servers: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="331"/>
        <source>Server: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>lifeline::ui::ManualControls</name>
    <message>
        <location filename="../ui/manualcontrols.cpp" line="51"/>
        <source>Connect</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/manualcontrols.cpp" line="52"/>
        <source>Disconnect</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/manualcontrols.cpp" line="53"/>
        <source>Ping</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/manualcontrols.cpp" line="138"/>
        <source>Web socket connection successful</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/manualcontrols.cpp" line="140"/>
        <source>Web socket disconnection successful</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/manualcontrols.cpp" line="142"/>
        <source>Ping answered in %1 ms</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>lifeline::ui::MessageListModel</name>
    <message>
        <location filename="../ui/messagelistmodel.cpp" line="52"/>
        <source>From %1, %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/messagelistmodel.cpp" line="56"/>
        <source>Waiting to send</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/messagelistmodel.cpp" line="58"/>
        <source>Sent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/messagelistmodel.cpp" line="60"/>
        <source>Delivered</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/messagelistmodel.cpp" line="62"/>
        <source>Not delivered: %1 — right-click to retry</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>lifeline::ui::PresencePanel</name>
    <message>
        <location filename="../ui/presencepanel.cpp" line="53"/>
        <source>Nobody — offline</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/presencepanel.cpp" line="81"/>
        <source>Online (%1)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>lifeline::ui::SettingsPanel</name>
    <message>
        <location filename="../ui/settingspanel.cpp" line="125"/>
        <source>Ping in background to keep the link</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/settingspanel.cpp" line="129"/>
        <source>Apply</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/settingspanel.cpp" line="119"/>
        <source>empty: the bundled server</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/settingspanel.cpp" line="121"/>
        <source>Automatic</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/settingspanel.cpp" line="123"/>
        <source>Manual</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/settingspanel.cpp" line="124"/>
        <source>System language</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/settingspanel.cpp" line="131"/>
        <source>Server URLs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/settingspanel.cpp" line="132"/>
        <source>ws:// or wss://; several instances of one service separated by commas (the app starts at one of them and moves on when it fails); empty starts the bundled server.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/settingspanel.cpp" line="135"/>
        <source>User</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/settingspanel.cpp" line="136"/>
        <source>Token</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/settingspanel.cpp" line="137"/>
        <source>Connection</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/settingspanel.cpp" line="138"/>
        <source>Automatic connects in foreground and disconnects in background; manual leaves it to you.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/settingspanel.cpp" line="140"/>
        <source>Background grace</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/settingspanel.cpp" line="141"/>
        <source>Manual mode: how long the link stays up in background without a ping.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/settingspanel.cpp" line="142"/>
        <source>Keep-alive ping every</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/settingspanel.cpp" line="143"/>
        <source>Heartbeat every</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/settingspanel.cpp" line="144"/>
        <source>Heartbeat timeout</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/settingspanel.cpp" line="145"/>
        <source>No answer within this time means the link is dead.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/settingspanel.cpp" line="146"/>
        <source>First reconnect after</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/settingspanel.cpp" line="147"/>
        <source>Longest reconnect delay</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/settingspanel.cpp" line="148"/>
        <source>Reconnect attempts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/settingspanel.cpp" line="148"/>
        <source>0: never give up.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/settingspanel.cpp" line="149"/>
        <source>Jitter</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/settingspanel.cpp" line="150"/>
        <source>0 to 1: delays are drawn from (1 - jitter) x nominal to nominal; the first after a lost link from 0 to nominal. 0: exact delays.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/settingspanel.cpp" line="152"/>
        <source>Language</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/settingspanel.cpp" line="153"/>
        <source>Applies at once, without a restart.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/settingspanel.cpp" line="128"/>
        <source> s</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>lifeline::ui::SimulateMenu</name>
    <message>
        <location filename="../ui/simulatemenu.cpp" line="125"/>
        <source>&amp;Simulate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/simulatemenu.cpp" line="126"/>
        <source>Stop server</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/simulatemenu.cpp" line="127"/>
        <source>Shut the server down cleanly; clients get a close frame.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/simulatemenu.cpp" line="128"/>
        <source>Start server</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/simulatemenu.cpp" line="128"/>
        <source>Start the server again, same port.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/simulatemenu.cpp" line="129"/>
        <source>Freeze server</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/simulatemenu.cpp" line="130"/>
        <source>SIGSTOP: the server keeps the link open and answers nothing, a real half-open link.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/simulatemenu.cpp" line="132"/>
        <source>Thaw server</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/simulatemenu.cpp" line="132"/>
        <source>SIGCONT: the server answers again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/simulatemenu.cpp" line="133"/>
        <source>Kick all connections</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/simulatemenu.cpp" line="134"/>
        <source>The server drops every client without a close frame.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/simulatemenu.cpp" line="135"/>
        <source>Throttle typing and presence</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/simulatemenu.cpp" line="136"/>
        <source>The server stops sending typing and presence updates.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/simulatemenu.cpp" line="137"/>
        <source>Lift throttling</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/simulatemenu.cpp" line="137"/>
        <source>The server lifts the throttle.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/simulatemenu.cpp" line="138"/>
        <source>Cut network</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/simulatemenu.cpp" line="139"/>
        <source>Nothing gets through either way, yet the link stays open.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/simulatemenu.cpp" line="140"/>
        <source>Restore network</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/simulatemenu.cpp" line="140"/>
        <source>Bytes flow again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/simulatemenu.cpp" line="144"/>
        <source>Simulation needs the bundled server; the app was started with --server and connects to a server it does not control.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/simulatemenu.cpp" line="58"/>
        <source>Server stopped</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/simulatemenu.cpp" line="62"/>
        <source>Server starting</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/simulatemenu.cpp" line="66"/>
        <source>Server frozen (SIGSTOP)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/simulatemenu.cpp" line="70"/>
        <source>Server thawed (SIGCONT)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/simulatemenu.cpp" line="74"/>
        <source>Server kicks all connections</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/simulatemenu.cpp" line="78"/>
        <source>Server throttles typing and presence</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/simulatemenu.cpp" line="82"/>
        <source>Server lifts throttling</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/simulatemenu.cpp" line="94"/>
        <source>The server refused &quot;%1&quot;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/simulatemenu.cpp" line="103"/>
        <source>Network cut</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/simulatemenu.cpp" line="108"/>
        <source>Network restored</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/simulatemenu.cpp" line="149"/>
        <source>Cutting the network needs the fault proxy in front of the bundled server.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>lifeline::ui::StatusIndicator</name>
    <message>
        <location filename="../ui/statusindicator.cpp" line="214"/>
        <source>Server: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/statusindicator.cpp" line="218"/>
        <location filename="../ui/statusindicator.cpp" line="223"/>
        <source>Connected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/statusindicator.cpp" line="225"/>
        <source>Connected, typing paused by the server</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/statusindicator.cpp" line="227"/>
        <source>Connected, %1 paused by the server</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/statusindicator.cpp" line="227"/>
        <source>, </source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/statusindicator.cpp" line="231"/>
        <source>Connecting…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/statusindicator.cpp" line="240"/>
        <source>Reconnecting in %1 s (attempt %2 of %3)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/statusindicator.cpp" line="244"/>
        <source>Reconnecting in %1 s (attempt %2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/statusindicator.cpp" line="251"/>
        <source>Reconnecting (attempt %1 of %2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/statusindicator.cpp" line="252"/>
        <source>Reconnecting (attempt %1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/statusindicator.cpp" line="257"/>
        <source>Retry now</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/statusindicator.cpp" line="261"/>
        <source>Offline</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/statusindicator.cpp" line="263"/>
        <source>Connect</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/statusindicator.cpp" line="296"/>
        <source>Not connected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/statusindicator.cpp" line="298"/>
        <source>You disconnected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/statusindicator.cpp" line="300"/>
        <source>Logged out</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/statusindicator.cpp" line="302"/>
        <source>Disconnected in background</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/statusindicator.cpp" line="304"/>
        <source>Connection failed after %n attempts</source>
        <translation>
            <numerusform>Connection failed after %n attempt</numerusform>
            <numerusform>Connection failed after %n attempts</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../ui/statusindicator.cpp" line="307"/>
        <source>Token rejected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/statusindicator.cpp" line="309"/>
        <source>The server speaks another protocol version</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/statusindicator.cpp" line="312"/>
        <source>Secure connection failed: the server&apos;s certificate was refused</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>lifeline::ui::TimelineWidget</name>
    <message>
        <location filename="../ui/timelinewidget.cpp" line="44"/>
        <source>Connection over the last 10 minutes: solid green connected, dotted yellow connecting, cross-hatched red offline; red triangles are errors</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>lifeline::ui::TrayNotifier</name>
    <message>
        <location filename="../ui/traynotifier.cpp" line="53"/>
        <source>Connection is back</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/traynotifier.cpp" line="70"/>
        <source>Connection lost — Lifeline keeps trying</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/traynotifier.cpp" line="75"/>
        <source>Lifeline</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/traynotifier.cpp" line="103"/>
        <source>Lifeline: connected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/traynotifier.cpp" line="106"/>
        <source>Lifeline: connecting</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/traynotifier.cpp" line="109"/>
        <source>Lifeline: offline</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>main</name>
    <message>
        <location filename="../app/main.cpp" line="43"/>
        <source>Lifeline</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/main.cpp" line="181"/>
        <source>The bundled server did not start. Start lifeline with --server URL to use another server.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/main.cpp" line="187"/>
        <source>Could not listen on a loopback port for the bundled server&apos;s proxy.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
