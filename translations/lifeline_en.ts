<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US">
<context>
    <name>AppConfig</name>
    <message>
        <location filename="../ui/appconfig.cpp" line="89"/>
        <source>must be a ws:// or wss:// URL with a host, e.g. ws://127.0.0.1:8080, or empty for the bundled server</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/appconfig.cpp" line="93"/>
        <source>must not be empty</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/appconfig.cpp" line="95"/>
        <source>must not start or end with a space</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/appconfig.cpp" line="97"/>
        <source>must not be empty (any token works with the bundled server)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/appconfig.cpp" line="99"/>
        <source>must be 0 or more seconds (got %1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/appconfig.cpp" line="101"/>
        <location filename="../ui/appconfig.cpp" line="111"/>
        <location filename="../ui/appconfig.cpp" line="113"/>
        <location filename="../ui/appconfig.cpp" line="115"/>
        <source>must be at least 1 second (got %1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/appconfig.cpp" line="106"/>
        <source>must be shorter than the background grace period (%1 s), or the link closes before the first ping</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/appconfig.cpp" line="118"/>
        <source>must not be less than the first delay (%1 s)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/appconfig.cpp" line="120"/>
        <source>must be 0 (never give up) or more (got %1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/appconfig.cpp" line="122"/>
        <source>must be between 0 and 1 (got %1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/appconfig.cpp" line="126"/>
        <source>must be a language code such as de or en_GB, or empty for the system&apos;s</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>AppStateController</name>
    <message>
        <location filename="../ui/appstatecontroller.cpp" line="87"/>
        <source>Foreground</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/appstatecontroller.cpp" line="92"/>
        <source>Background: closing in %1 s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/appstatecontroller.cpp" line="98"/>
        <source>Background</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/appstatecontroller.cpp" line="132"/>
        <source>Ping answered in %1 ms</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>BundledServer</name>
    <message>
        <location filename="../ui/bundledserver.cpp" line="347"/>
        <source>lifeline-server %1 before it listened; its messages above say why (%2).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/bundledserver.cpp" line="351"/>
        <source>lifeline-server %1 unexpectedly.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/bundledserver.cpp" line="366"/>
        <source>Cannot start the bundled server %1: %2. Build the lifeline-server target (it belongs next to the app, in %3) or choose the program with setProgram().</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ChatPanel</name>
    <message>
        <location filename="../ui/chatpanel.cpp" line="67"/>
        <source>Dismiss</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/chatpanel.cpp" line="68"/>
        <source>Hide this notice</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/chatpanel.cpp" line="123"/>
        <source>Retry</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/chatpanel.cpp" line="124"/>
        <source>Send this message again</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/chatpanel.cpp" line="135"/>
        <source>%n message(s) waiting to send</source>
        <translation>
            <numerusform>%n message waiting to send</numerusform>
            <numerusform>%n messages waiting to send</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../ui/chatpanel.cpp" line="148"/>
        <source>%1 is typing…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/chatpanel.cpp" line="151"/>
        <source>%1 and %2 are typing…</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/chatpanel.cpp" line="154"/>
        <source>%n people are typing…</source>
        <translation>
            <numerusform>%n person is typing…</numerusform>
            <numerusform>%n people are typing…</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../ui/chatpanel.cpp" line="162"/>
        <source>Messages %1 to %2 are no longer on the server and cannot be shown.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ComposerWidget</name>
    <message>
        <location filename="../ui/composerwidget.cpp" line="28"/>
        <source>Write a message…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/composerwidget.cpp" line="112"/>
        <location filename="../ui/composerwidget.cpp" line="124"/>
        <source>Send</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/composerwidget.cpp" line="113"/>
        <source>Send the message now (Enter)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/composerwidget.cpp" line="117"/>
        <source>Queue</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/composerwidget.cpp" line="118"/>
        <source>Goes out as soon as the connection is back</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/composerwidget.cpp" line="126"/>
        <source>Offline — connect first</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/composerwidget.cpp" line="128"/>
        <source>Log in first</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/composerwidget.cpp" line="130"/>
        <source>Too many messages are waiting to be sent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/composerwidget.cpp" line="136"/>
        <source>%1: %2</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>EventLog</name>
    <message>
        <location filename="../ui/eventlog.cpp" line="34"/>
        <location filename="../ui/eventlog.cpp" line="36"/>
        <source>%1 (%2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/eventlog.cpp" line="47"/>
        <source>Attempt %1 in %2 ms</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/eventlog.cpp" line="93"/>
        <source>Time</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/eventlog.cpp" line="95"/>
        <source>Kind</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/eventlog.cpp" line="97"/>
        <source>Text</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/eventlog.cpp" line="128"/>
        <location filename="../ui/eventlog.cpp" line="157"/>
        <source>Cannot write %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>EventLogDock</name>
    <message>
        <location filename="../ui/eventlogdock.cpp" line="16"/>
        <source>Event log</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/eventlogdock.cpp" line="19"/>
        <source>Export…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/eventlogdock.cpp" line="63"/>
        <source>Export event log</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/eventlogdock.cpp" line="65"/>
        <source>JSON lines (*.jsonl);;All files (*)</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/eventlogdock.cpp" line="71"/>
        <source>Exported %n events to %1</source>
        <translation>
            <numerusform>Exported %n event to %1</numerusform>
            <numerusform>Exported %n events to %1</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../ui/mainwindow.cpp" line="61"/>
        <source>Settings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="68"/>
        <source>Lifeline</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="132"/>
        <source>&amp;File</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="133"/>
        <source>&amp;Export event log…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="136"/>
        <source>&amp;Quit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="142"/>
        <source>&amp;View</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="143"/>
        <source>Simulate &amp;background</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="146"/>
        <source>Behave as if the window were in the background, as a phone app would be.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="153"/>
        <source>&amp;Settings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="156"/>
        <source>&amp;Event log</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="208"/>
        <source>Lifeline — %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="224"/>
        <source>Could not save the settings to %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="226"/>
        <source>Settings applied</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="233"/>
        <source>Export event log</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="235"/>
        <source>JSON Lines (*.jsonl);;All files (*)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="240"/>
        <source>Event log exported to %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="242"/>
        <source>Export failed: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="250"/>
        <source>Bundled server starting…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="256"/>
        <source>Bundled server at %1 — others join with: lifeline --server %1 --user bob --data-dir %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="263"/>
        <source>Server: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ManualControls</name>
    <message>
        <location filename="../ui/manualcontrols.cpp" line="19"/>
        <source>Connect</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/manualcontrols.cpp" line="20"/>
        <source>Disconnect</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/manualcontrols.cpp" line="21"/>
        <source>Ping</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/manualcontrols.cpp" line="51"/>
        <source>Web socket connection successful</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/manualcontrols.cpp" line="66"/>
        <source>Web socket disconnection successful</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/manualcontrols.cpp" line="83"/>
        <source>Ping answered in %1 ms</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>MessageListModel</name>
    <message>
        <location filename="../ui/messagelistmodel.cpp" line="48"/>
        <source>From %1, %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/messagelistmodel.cpp" line="52"/>
        <source>Waiting to send</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/messagelistmodel.cpp" line="54"/>
        <source>Sent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/messagelistmodel.cpp" line="56"/>
        <source>Delivered</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/messagelistmodel.cpp" line="58"/>
        <source>Not delivered: %1 — right-click to retry</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>PresencePanel</name>
    <message>
        <location filename="../ui/presencepanel.cpp" line="16"/>
        <source>Nobody — offline</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/presencepanel.cpp" line="54"/>
        <source>Online (%1)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SettingsPanel</name>
    <message>
        <location filename="../ui/settingspanel.cpp" line="32"/>
        <source>Ping in background to keep the link</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/settingspanel.cpp" line="41"/>
        <source>Apply</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/settingspanel.cpp" line="49"/>
        <source>empty: the bundled server</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/settingspanel.cpp" line="52"/>
        <source>Automatic</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/settingspanel.cpp" line="53"/>
        <source>Manual</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/settingspanel.cpp" line="58"/>
        <source>System language</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/settingspanel.cpp" line="64"/>
        <source>Server URL</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/settingspanel.cpp" line="65"/>
        <source>ws:// or wss://; empty starts the bundled server.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/settingspanel.cpp" line="66"/>
        <source>User</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/settingspanel.cpp" line="67"/>
        <source>Token</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/settingspanel.cpp" line="68"/>
        <source>Connection</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/settingspanel.cpp" line="69"/>
        <source>Automatic connects in foreground and disconnects in background; manual leaves it to you.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/settingspanel.cpp" line="71"/>
        <source>Background grace</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/settingspanel.cpp" line="72"/>
        <source>Manual mode: how long the link stays up in background without a ping.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/settingspanel.cpp" line="74"/>
        <source>Keep-alive ping every</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/settingspanel.cpp" line="76"/>
        <source>Heartbeat every</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/settingspanel.cpp" line="78"/>
        <source>Heartbeat timeout</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/settingspanel.cpp" line="79"/>
        <source>No answer within this time means the link is dead.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/settingspanel.cpp" line="80"/>
        <source>First reconnect after</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/settingspanel.cpp" line="82"/>
        <source>Longest reconnect delay</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/settingspanel.cpp" line="84"/>
        <source>Reconnect attempts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/settingspanel.cpp" line="85"/>
        <source>0: never give up.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/settingspanel.cpp" line="86"/>
        <source>Jitter</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/settingspanel.cpp" line="87"/>
        <source>0 to 1: delays are drawn from (1 - jitter) x nominal to nominal.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/settingspanel.cpp" line="88"/>
        <source>Language</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/settingspanel.cpp" line="89"/>
        <source>Takes effect at the next start.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/settingspanel.cpp" line="121"/>
        <source> s</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SimulateMenu</name>
    <message>
        <location filename="../ui/simulatemenu.cpp" line="17"/>
        <source>&amp;Simulate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/simulatemenu.cpp" line="20"/>
        <source>Stop server</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/simulatemenu.cpp" line="21"/>
        <source>Shut the server down cleanly; clients get a close frame.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/simulatemenu.cpp" line="22"/>
        <source>Start server</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/simulatemenu.cpp" line="22"/>
        <source>Start the server again, same port.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/simulatemenu.cpp" line="23"/>
        <source>Freeze server</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/simulatemenu.cpp" line="24"/>
        <source>SIGSTOP: the server keeps the link open and answers nothing, a real half-open link.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/simulatemenu.cpp" line="26"/>
        <source>Thaw server</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/simulatemenu.cpp" line="26"/>
        <source>SIGCONT: the server answers again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/simulatemenu.cpp" line="27"/>
        <source>Kick all connections</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/simulatemenu.cpp" line="28"/>
        <source>The server drops every client without a close frame.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/simulatemenu.cpp" line="29"/>
        <source>Throttle typing and presence</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/simulatemenu.cpp" line="30"/>
        <source>The server stops sending typing and presence updates.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/simulatemenu.cpp" line="31"/>
        <source>Lift throttling</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/simulatemenu.cpp" line="31"/>
        <source>The server lifts the throttle.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/simulatemenu.cpp" line="32"/>
        <source>Cut network</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/simulatemenu.cpp" line="33"/>
        <source>Nothing gets through either way, yet the link stays open.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/simulatemenu.cpp" line="34"/>
        <source>Restore network</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/simulatemenu.cpp" line="34"/>
        <source>Bytes flow again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/simulatemenu.cpp" line="44"/>
        <source>Simulation needs the bundled server; the app was started with --server and connects to a server it does not control.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/simulatemenu.cpp" line="55"/>
        <source>Server stopped</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/simulatemenu.cpp" line="59"/>
        <source>Server starting</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/simulatemenu.cpp" line="63"/>
        <source>Server frozen (SIGSTOP)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/simulatemenu.cpp" line="67"/>
        <source>Server thawed (SIGCONT)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/simulatemenu.cpp" line="71"/>
        <source>Server kicks all connections</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/simulatemenu.cpp" line="75"/>
        <source>Server throttles typing and presence</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/simulatemenu.cpp" line="79"/>
        <source>Server lifts throttling</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/simulatemenu.cpp" line="91"/>
        <source>The server refused &quot;%1&quot;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/simulatemenu.cpp" line="100"/>
        <source>Network cut</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/simulatemenu.cpp" line="105"/>
        <source>Network restored</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/simulatemenu.cpp" line="108"/>
        <source>Cutting the network needs the fault proxy in front of the bundled server.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>StatusIndicator</name>
    <message>
        <location filename="../ui/statusindicator.cpp" line="204"/>
        <location filename="../ui/statusindicator.cpp" line="209"/>
        <source>Connected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/statusindicator.cpp" line="211"/>
        <source>Connected, typing paused by the server</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/statusindicator.cpp" line="213"/>
        <source>Connected, %1 paused by the server</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/statusindicator.cpp" line="213"/>
        <source>, </source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/statusindicator.cpp" line="217"/>
        <source>Connecting…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/statusindicator.cpp" line="226"/>
        <source>Reconnecting in %1 s (attempt %2 of %3)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/statusindicator.cpp" line="230"/>
        <source>Reconnecting in %1 s (attempt %2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/statusindicator.cpp" line="237"/>
        <source>Reconnecting (attempt %1 of %2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/statusindicator.cpp" line="238"/>
        <source>Reconnecting (attempt %1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/statusindicator.cpp" line="243"/>
        <source>Retry now</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/statusindicator.cpp" line="247"/>
        <source>Offline</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/statusindicator.cpp" line="249"/>
        <source>Connect</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/statusindicator.cpp" line="282"/>
        <source>Not connected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/statusindicator.cpp" line="284"/>
        <source>You disconnected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/statusindicator.cpp" line="286"/>
        <source>Logged out</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/statusindicator.cpp" line="288"/>
        <source>Disconnected in background</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/statusindicator.cpp" line="290"/>
        <source>Connection failed after %n attempts</source>
        <translation>
            <numerusform>Connection failed after %n attempt</numerusform>
            <numerusform>Connection failed after %n attempts</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../ui/statusindicator.cpp" line="293"/>
        <source>Token rejected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/statusindicator.cpp" line="295"/>
        <source>The server speaks another protocol version</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>TimelineWidget</name>
    <message>
        <location filename="../ui/timelinewidget.cpp" line="33"/>
        <source>Connection over the last 10 minutes: solid green connected, dotted yellow connecting, cross-hatched red offline; red triangles are errors</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>TrayNotifier</name>
    <message>
        <location filename="../ui/traynotifier.cpp" line="51"/>
        <source>Connection is back</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/traynotifier.cpp" line="68"/>
        <source>Connection lost — Lifeline keeps trying</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/traynotifier.cpp" line="73"/>
        <source>Lifeline</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/traynotifier.cpp" line="96"/>
        <source>Lifeline: connected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/traynotifier.cpp" line="99"/>
        <source>Lifeline: connecting</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/traynotifier.cpp" line="102"/>
        <source>Lifeline: offline</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>lifeline::ChatError</name>
    <message>
        <location filename="../core/src/errors.cpp" line="10"/>
        <source>The SDK is not initialised.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/src/errors.cpp" line="11"/>
        <source>Call ConnectionManager::init() with an app id and settings first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/src/errors.cpp" line="19"/>
        <source>SDK initialisation failed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/src/errors.cpp" line="26"/>
        <source>An argument is not valid.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/src/errors.cpp" line="35"/>
        <source>Please log in before establishing a WebSocket connection.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/src/errors.cpp" line="39"/>
        <source>Please log in before disconnecting the WebSocket connection.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/src/errors.cpp" line="43"/>
        <source>Please log in before sending a ping to the server.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/src/errors.cpp" line="47"/>
        <source>Please log in before sending a message.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/src/errors.cpp" line="51"/>
        <source>Log in first; there is no session to log out of.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/src/errors.cpp" line="56"/>
        <source>No active user session.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/src/errors.cpp" line="63"/>
        <source>There is no connection to the server.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/src/errors.cpp" line="64"/>
        <source>Wait for the connected() signal, or call connectToServer() first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/src/errors.cpp" line="72"/>
        <source>The app is in the background.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/src/errors.cpp" line="73"/>
        <source>In auto mode the connection opens when the app returns to the foreground; use manual mode to connect from the background.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/src/errors.cpp" line="82"/>
        <source>The session could not be stored.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/src/errors.cpp" line="89"/>
        <source>Could not connect to the server.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/src/errors.cpp" line="96"/>
        <source>The connection to the server was lost.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/src/errors.cpp" line="104"/>
        <source>The server did not accept the connection in time.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/src/errors.cpp" line="106"/>
        <source>No session after %1 ms. Check that the server is running and reachable; a longer connect timeout helps on slow networks.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/src/errors.cpp" line="116"/>
        <source>The server stopped answering.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/src/errors.cpp" line="117"/>
        <source>No frame arrived within %1 ms of a heartbeat ping, so the link was dropped. The server or the network in between is down or frozen.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/src/errors.cpp" line="128"/>
        <source>The server did not answer the ping.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/src/errors.cpp" line="129"/>
        <source>No pong within %1 ms. The link may be dead; the heartbeat will confirm it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/src/errors.cpp" line="137"/>
        <source>Log in again with a valid token; nothing retries until then.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/src/errors.cpp" line="140"/>
        <source>The server rejected the token.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location filename="../core/src/errors.cpp" line="147"/>
        <source>Connection failed after %n attempts.</source>
        <translation>
            <numerusform>Connection failed after %n attempt.</numerusform>
            <numerusform>Connection failed after %n attempts.</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../core/src/errors.cpp" line="149"/>
        <source>Call connectToServer() to try again once the server is reachable.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/src/errors.cpp" line="157"/>
        <source>The server sent something this client cannot use.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/src/errors.cpp" line="166"/>
        <source>The connection attempt was cancelled.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/src/errors.cpp" line="173"/>
        <source>Too many messages are waiting to be sent.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/src/errors.cpp" line="175"/>
        <source>%1 messages are waiting already. Reconnect so they can go out, then send again; nothing was queued.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/src/errors.cpp" line="184"/>
        <source>The message is too long.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/src/errors.cpp" line="185"/>
        <source>It has %1 bytes of UTF-8; at most %2 can be sent. Shorten it or split it into several messages.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/src/errors.cpp" line="195"/>
        <source>The server refused the message for good.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>main</name>
    <message>
        <location filename="../app/main.cpp" line="40"/>
        <source>Lifeline</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/main.cpp" line="161"/>
        <source>The bundled server did not start. Start lifeline with --server URL to use another server.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/main.cpp" line="167"/>
        <source>Could not listen on a loopback port for the bundled server&apos;s proxy.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
