<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE">
<context>
    <name>AppConfig</name>
    <message>
        <location filename="../ui/appconfig.cpp" line="90"/>
        <source>must be ws:// or wss:// URLs with a host, separated by commas, e.g. ws://127.0.0.1:8080, or empty for the bundled server</source>
        <translation>müssen ws://- oder wss://-URLs mit Host sein, durch Kommas getrennt, z. B. ws://127.0.0.1:8080, oder leer für den mitgelieferten Server</translation>
    </message>
    <message>
        <location filename="../ui/appconfig.cpp" line="96"/>
        <source>must not be empty</source>
        <translation>darf nicht leer sein</translation>
    </message>
    <message>
        <location filename="../ui/appconfig.cpp" line="98"/>
        <source>must not start or end with a space</source>
        <translation>darf nicht mit einem Leerzeichen beginnen oder enden</translation>
    </message>
    <message>
        <location filename="../ui/appconfig.cpp" line="100"/>
        <source>must not be empty (any token works with the bundled server)</source>
        <translation>darf nicht leer sein (beim mitgelieferten Server funktioniert jedes Token)</translation>
    </message>
    <message>
        <location filename="../ui/appconfig.cpp" line="102"/>
        <source>must be 0 or more seconds (got %1)</source>
        <translation>muss 0 Sekunden oder mehr betragen (erhalten: %1)</translation>
    </message>
    <message>
        <location filename="../ui/appconfig.cpp" line="104"/>
        <location filename="../ui/appconfig.cpp" line="114"/>
        <location filename="../ui/appconfig.cpp" line="116"/>
        <location filename="../ui/appconfig.cpp" line="118"/>
        <source>must be at least 1 second (got %1)</source>
        <translation>muss mindestens 1 Sekunde betragen (erhalten: %1)</translation>
    </message>
    <message>
        <location filename="../ui/appconfig.cpp" line="109"/>
        <source>must be shorter than the background grace period (%1 s), or the link closes before the first ping</source>
        <translation>muss kürzer als die Schonfrist im Hintergrund (%1 s) sein, sonst schließt die Verbindung vor dem ersten Ping</translation>
    </message>
    <message>
        <location filename="../ui/appconfig.cpp" line="121"/>
        <source>must not be less than the first delay (%1 s)</source>
        <translation>darf nicht kleiner als die erste Wartezeit (%1 s) sein</translation>
    </message>
    <message>
        <location filename="../ui/appconfig.cpp" line="123"/>
        <source>must be 0 (never give up) or more (got %1)</source>
        <translation>muss 0 (nie aufgeben) oder mehr sein (erhalten: %1)</translation>
    </message>
    <message>
        <location filename="../ui/appconfig.cpp" line="125"/>
        <source>must be between 0 and 1 (got %1)</source>
        <translation>muss zwischen 0 und 1 liegen (erhalten: %1)</translation>
    </message>
    <message>
        <location filename="../ui/appconfig.cpp" line="129"/>
        <source>must be a language code such as de or en_GB, or empty for the system&apos;s</source>
        <translation>muss ein Sprachcode wie de oder en_GB sein, oder leer für die Systemsprache</translation>
    </message>
</context>
<context>
    <name>lifeline::harness::BundledServer</name>
    <message>
        <location filename="../harness/bundledserver.cpp" line="344"/>
        <source>lifeline-server crashed before it listened; its messages above say why (%1).</source>
        <translation>lifeline-server ist abgestürzt, bevor er Verbindungen annahm; seine Meldungen weiter oben nennen den Grund (%1).</translation>
    </message>
    <message>
        <location filename="../harness/bundledserver.cpp" line="347"/>
        <source>lifeline-server exited with code %1 before it listened; its messages above say why (%2).</source>
        <translation>lifeline-server wurde mit Code %1 beendet, bevor er Verbindungen annahm; seine Meldungen weiter oben nennen den Grund (%2).</translation>
    </message>
    <message>
        <location filename="../harness/bundledserver.cpp" line="352"/>
        <source>lifeline-server crashed unexpectedly.</source>
        <translation>lifeline-server ist unerwartet abgestürzt.</translation>
    </message>
    <message>
        <location filename="../harness/bundledserver.cpp" line="353"/>
        <source>lifeline-server exited with code %1 unexpectedly.</source>
        <translation>lifeline-server wurde unerwartet mit Code %1 beendet.</translation>
    </message>
    <message>
        <location filename="../harness/bundledserver.cpp" line="370"/>
        <source>Cannot start the bundled server %1: %2. Build the lifeline-server target (it belongs next to the app, in %3) or choose the program with setProgram().</source>
        <translation>Der mitgelieferte Server %1 lässt sich nicht starten: %2. Bauen Sie das Ziel lifeline-server (es gehört neben die App, nach %3) oder wählen Sie das Programm mit setProgram().</translation>
    </message>
</context>
<context>
    <name>lifeline::ui::AppStateController</name>
    <message>
        <location filename="../ui/appstatecontroller.cpp" line="94"/>
        <source>Foreground</source>
        <translation>Vordergrund</translation>
    </message>
    <message>
        <location filename="../ui/appstatecontroller.cpp" line="99"/>
        <source>Background: closing in %1 s</source>
        <translation>Hintergrund: Verbindung schließt in %1 s</translation>
    </message>
    <message>
        <location filename="../ui/appstatecontroller.cpp" line="105"/>
        <source>Background</source>
        <translation>Hintergrund</translation>
    </message>
    <message>
        <location filename="../ui/appstatecontroller.cpp" line="139"/>
        <source>Ping answered in %1 ms</source>
        <translation>Ping in %1 ms beantwortet</translation>
    </message>
</context>
<context>
    <name>lifeline::ui::ChatPanel</name>
    <message>
        <location filename="../ui/chatpanel.cpp" line="122"/>
        <source>Dismiss</source>
        <translation>Ausblenden</translation>
    </message>
    <message>
        <location filename="../ui/chatpanel.cpp" line="123"/>
        <source>Hide this notice</source>
        <translation>Diesen Hinweis ausblenden</translation>
    </message>
    <message>
        <location filename="../ui/chatpanel.cpp" line="143"/>
        <source>Retry</source>
        <translation>Erneut versuchen</translation>
    </message>
    <message>
        <location filename="../ui/chatpanel.cpp" line="144"/>
        <source>Send this message again</source>
        <translation>Diese Nachricht erneut senden</translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/chatpanel.cpp" line="155"/>
        <source>%n message(s) waiting to send</source>
        <translation>
            <numerusform>%n Nachricht wartet auf den Versand</numerusform>
            <numerusform>%n Nachrichten warten auf den Versand</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../ui/chatpanel.cpp" line="168"/>
        <source>%1 is typing…</source>
        <translation>%1 schreibt…</translation>
    </message>
    <message>
        <location filename="../ui/chatpanel.cpp" line="171"/>
        <source>%1 and %2 are typing…</source>
        <translation>%1 und %2 schreiben…</translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/chatpanel.cpp" line="174"/>
        <source>%n people are typing…</source>
        <translation>
            <numerusform>%n Person schreibt…</numerusform>
            <numerusform>%n Personen schreiben…</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../ui/chatpanel.cpp" line="192"/>
        <source>Messages %1 to %2 are no longer on the server and cannot be shown.</source>
        <translation>Die Nachrichten %1 bis %2 sind nicht mehr auf dem Server und können nicht angezeigt werden.</translation>
    </message>
</context>
<context>
    <name>lifeline::ui::ComposerWidget</name>
    <message>
        <location filename="../ui/composerwidget.cpp" line="116"/>
        <source>Write a message…</source>
        <translation>Nachricht schreiben…</translation>
    </message>
    <message>
        <location filename="../ui/composerwidget.cpp" line="128"/>
        <location filename="../ui/composerwidget.cpp" line="140"/>
        <source>Send</source>
        <translation>Senden</translation>
    </message>
    <message>
        <location filename="../ui/composerwidget.cpp" line="129"/>
        <source>Send the message now (Enter)</source>
        <translation>Die Nachricht jetzt senden (Eingabetaste)</translation>
    </message>
    <message>
        <location filename="../ui/composerwidget.cpp" line="133"/>
        <source>Queue</source>
        <translation>Einreihen</translation>
    </message>
    <message>
        <location filename="../ui/composerwidget.cpp" line="134"/>
        <source>Goes out as soon as the connection is back</source>
        <translation>Wird gesendet, sobald die Verbindung wieder steht</translation>
    </message>
    <message>
        <location filename="../ui/composerwidget.cpp" line="142"/>
        <source>Offline — connect first</source>
        <translation>Offline – zuerst verbinden</translation>
    </message>
    <message>
        <location filename="../ui/composerwidget.cpp" line="144"/>
        <source>Log in first</source>
        <translation>Zuerst anmelden</translation>
    </message>
    <message>
        <location filename="../ui/composerwidget.cpp" line="146"/>
        <source>Too many messages are waiting to be sent</source>
        <translation>Zu viele Nachrichten warten auf den Versand</translation>
    </message>
    <message>
        <location filename="../ui/composerwidget.cpp" line="170"/>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
</context>
<context>
    <name>lifeline::ui::EventLog</name>
    <message>
        <location filename="../ui/eventlog.cpp" line="213"/>
        <source>Attempt %1 in %2 ms</source>
        <translation>Versuch %1 in %2 ms</translation>
    </message>
    <message>
        <location filename="../ui/eventlog.cpp" line="129"/>
        <source>Time</source>
        <translation>Zeit</translation>
    </message>
    <message>
        <location filename="../ui/eventlog.cpp" line="131"/>
        <source>Kind</source>
        <translation>Art</translation>
    </message>
    <message>
        <location filename="../ui/eventlog.cpp" line="133"/>
        <source>Text</source>
        <translation>Text</translation>
    </message>
    <message>
        <location filename="../ui/eventlog.cpp" line="187"/>
        <source>status</source>
        <comment>event log kind</comment>
        <translation>Status</translation>
    </message>
    <message>
        <location filename="../ui/eventlog.cpp" line="189"/>
        <source>error</source>
        <comment>event log kind</comment>
        <translation>Fehler</translation>
    </message>
    <message>
        <location filename="../ui/eventlog.cpp" line="191"/>
        <source>reconnecting</source>
        <comment>event log kind</comment>
        <translation>Wiederverbindung</translation>
    </message>
    <message>
        <location filename="../ui/eventlog.cpp" line="193"/>
        <source>appState</source>
        <comment>event log kind</comment>
        <translation>App-Zustand</translation>
    </message>
    <message>
        <location filename="../ui/eventlog.cpp" line="195"/>
        <source>ping</source>
        <comment>event log kind</comment>
        <translation>Ping</translation>
    </message>
    <message>
        <location filename="../ui/eventlog.cpp" line="197"/>
        <source>manual</source>
        <comment>event log kind</comment>
        <translation>Manuell</translation>
    </message>
    <message>
        <location filename="../ui/eventlog.cpp" line="199"/>
        <source>simulate</source>
        <comment>event log kind</comment>
        <translation>Simulation</translation>
    </message>
    <message>
        <location filename="../ui/eventlog.cpp" line="201"/>
        <source>settings</source>
        <comment>event log kind</comment>
        <translation>Einstellungen</translation>
    </message>
    <message>
        <location filename="../ui/eventlog.cpp" line="211"/>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <location filename="../ui/eventlog.cpp" line="217"/>
        <source>Foreground</source>
        <translation>Vordergrund</translation>
    </message>
    <message>
        <location filename="../ui/eventlog.cpp" line="219"/>
        <source>Background</source>
        <translation>Hintergrund</translation>
    </message>
    <message>
        <location filename="../ui/eventlog.cpp" line="234"/>
        <source>Disconnected: %1</source>
        <translation>Getrennt: %1</translation>
    </message>
    <message>
        <location filename="../ui/eventlog.cpp" line="236"/>
        <source>Connecting</source>
        <translation>Verbindungsaufbau</translation>
    </message>
    <message>
        <location filename="../ui/eventlog.cpp" line="238"/>
        <source>Connected</source>
        <translation>Verbunden</translation>
    </message>
    <message>
        <location filename="../ui/eventlog.cpp" line="239"/>
        <source>Connected to %1</source>
        <translation>Verbunden mit %1</translation>
    </message>
    <message>
        <location filename="../ui/eventlog.cpp" line="241"/>
        <source>Reconnecting</source>
        <translation>Erneuter Verbindungsaufbau</translation>
    </message>
    <message>
        <location filename="../ui/eventlog.cpp" line="244"/>
        <location filename="../ui/eventlog.cpp" line="246"/>
        <source>, </source>
        <translation>, </translation>
    </message>
    <message>
        <location filename="../ui/eventlog.cpp" line="244"/>
        <source>Connected, %1 paused by the server</source>
        <translation>Verbunden, %1 vom Server pausiert</translation>
    </message>
    <message>
        <location filename="../ui/eventlog.cpp" line="245"/>
        <source>Connected to %1, %2 paused by the server</source>
        <translation>Verbunden mit %1, %2 vom Server pausiert</translation>
    </message>
    <message>
        <location filename="../ui/eventlog.cpp" line="255"/>
        <source>not started yet</source>
        <translation>noch nicht gestartet</translation>
    </message>
    <message>
        <location filename="../ui/eventlog.cpp" line="257"/>
        <source>you disconnected</source>
        <translation>von Ihnen getrennt</translation>
    </message>
    <message>
        <location filename="../ui/eventlog.cpp" line="259"/>
        <source>logged out</source>
        <translation>abgemeldet</translation>
    </message>
    <message>
        <location filename="../ui/eventlog.cpp" line="261"/>
        <source>in background</source>
        <translation>im Hintergrund</translation>
    </message>
    <message>
        <location filename="../ui/eventlog.cpp" line="263"/>
        <source>every reconnect attempt failed</source>
        <translation>jeder Verbindungsversuch ist fehlgeschlagen</translation>
    </message>
    <message>
        <location filename="../ui/eventlog.cpp" line="265"/>
        <source>token rejected</source>
        <translation>Token abgelehnt</translation>
    </message>
    <message>
        <location filename="../ui/eventlog.cpp" line="267"/>
        <source>the server speaks another protocol version</source>
        <translation>der Server spricht eine andere Protokollversion</translation>
    </message>
    <message>
        <location filename="../ui/eventlog.cpp" line="269"/>
        <source>the secure connection failed</source>
        <translation>die sichere Verbindung ist gescheitert</translation>
    </message>
    <message>
        <location filename="../ui/eventlog.cpp" line="280"/>
        <location filename="../ui/eventlog.cpp" line="309"/>
        <source>Cannot write %1: %2</source>
        <translation>%1 kann nicht geschrieben werden: %2</translation>
    </message>
</context>
<context>
    <name>lifeline::ui::EventLogDock</name>
    <message>
        <location filename="../ui/eventlogdock.cpp" line="74"/>
        <source>Event log</source>
        <translation>Ereignisprotokoll</translation>
    </message>
    <message>
        <location filename="../ui/eventlogdock.cpp" line="76"/>
        <source>&amp;Event log</source>
        <translation>E&amp;reignisprotokoll</translation>
    </message>
    <message>
        <location filename="../ui/eventlogdock.cpp" line="77"/>
        <source>Export…</source>
        <translation>Exportieren…</translation>
    </message>
    <message>
        <location filename="../ui/eventlogdock.cpp" line="84"/>
        <source>Export event log</source>
        <translation>Ereignisprotokoll exportieren</translation>
    </message>
    <message>
        <location filename="../ui/eventlogdock.cpp" line="86"/>
        <source>JSON lines (*.jsonl);;All files (*)</source>
        <translation>JSON Lines (*.jsonl);;Alle Dateien (*)</translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/eventlogdock.cpp" line="101"/>
        <source>Exported %n events to %1</source>
        <translation>
            <numerusform>%n Ereignis nach %1 exportiert</numerusform>
            <numerusform>%n Ereignisse nach %1 exportiert</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>lifeline::ui::MainWindow</name>
    <message>
        <location filename="../ui/mainwindow.cpp" line="202"/>
        <source>Settings</source>
        <translation>Einstellungen</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="309"/>
        <source>Lifeline</source>
        <translation>Lifeline</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="195"/>
        <source>&amp;File</source>
        <translation>&amp;Datei</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="196"/>
        <source>&amp;Export event log…</source>
        <translation>Ereignisprotokoll &amp;exportieren…</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="197"/>
        <source>&amp;Quit</source>
        <translation>&amp;Beenden</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="198"/>
        <source>&amp;View</source>
        <translation>&amp;Ansicht</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="199"/>
        <source>Simulate &amp;background</source>
        <translation>&amp;Hintergrund simulieren</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="201"/>
        <source>Behave as if the window were in the background, as a phone app would be.</source>
        <translation>Verhalten, als wäre das Fenster im Hintergrund, wie es bei einer Handy-App der Fall wäre.</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="204"/>
        <source>&amp;Settings</source>
        <translation>&amp;Einstellungen</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="307"/>
        <source>Lifeline — %1</source>
        <translation>Lifeline – %1</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="280"/>
        <source>Could not save the settings to %1</source>
        <translation>Die Einstellungen konnten nicht in %1 gespeichert werden</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="285"/>
        <source>Settings applied</source>
        <translation>Einstellungen übernommen</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="292"/>
        <source>Export event log</source>
        <translation>Ereignisprotokoll exportieren</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="294"/>
        <source>JSON Lines (*.jsonl);;All files (*)</source>
        <translation>JSON Lines (*.jsonl);;Alle Dateien (*)</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="299"/>
        <source>Event log exported to %1</source>
        <translation>Ereignisprotokoll nach %1 exportiert</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="301"/>
        <source>Export failed: %1</source>
        <translation>Export fehlgeschlagen: %1</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="317"/>
        <source>Bundled server starting…</source>
        <translation>Mitgelieferter Server startet…</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="323"/>
        <source>Bundled server at %1 — others join with: lifeline --server %1 --user bob --data-dir %2</source>
        <translation>Mitgelieferter Server unter %1 – andere verbinden sich mit: lifeline --server %1 --user bob --data-dir %2</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="330"/>
        <source>Servers: %1</source>
        <translation>Server: %1</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="331"/>
        <source>Server: %1</source>
        <translation>Server: %1</translation>
    </message>
</context>
<context>
    <name>lifeline::ui::ManualControls</name>
    <message>
        <location filename="../ui/manualcontrols.cpp" line="51"/>
        <source>Connect</source>
        <translation>Verbinden</translation>
    </message>
    <message>
        <location filename="../ui/manualcontrols.cpp" line="52"/>
        <source>Disconnect</source>
        <translation>Trennen</translation>
    </message>
    <message>
        <location filename="../ui/manualcontrols.cpp" line="53"/>
        <source>Ping</source>
        <translation>Ping</translation>
    </message>
    <message>
        <location filename="../ui/manualcontrols.cpp" line="138"/>
        <source>Web socket connection successful</source>
        <translation>WebSocket-Verbindung hergestellt</translation>
    </message>
    <message>
        <location filename="../ui/manualcontrols.cpp" line="140"/>
        <source>Web socket disconnection successful</source>
        <translation>WebSocket-Verbindung getrennt</translation>
    </message>
    <message>
        <location filename="../ui/manualcontrols.cpp" line="142"/>
        <source>Ping answered in %1 ms</source>
        <translation>Ping in %1 ms beantwortet</translation>
    </message>
</context>
<context>
    <name>lifeline::ui::MessageListModel</name>
    <message>
        <location filename="../ui/messagelistmodel.cpp" line="52"/>
        <source>From %1, %2</source>
        <translation>Von %1, %2</translation>
    </message>
    <message>
        <location filename="../ui/messagelistmodel.cpp" line="56"/>
        <source>Waiting to send</source>
        <translation>Wartet auf den Versand</translation>
    </message>
    <message>
        <location filename="../ui/messagelistmodel.cpp" line="58"/>
        <source>Sent</source>
        <translation>Gesendet</translation>
    </message>
    <message>
        <location filename="../ui/messagelistmodel.cpp" line="60"/>
        <source>Delivered</source>
        <translation>Zugestellt</translation>
    </message>
    <message>
        <location filename="../ui/messagelistmodel.cpp" line="62"/>
        <source>Not delivered: %1 — right-click to retry</source>
        <translation>Nicht zugestellt: %1 – Rechtsklick zum erneuten Senden</translation>
    </message>
</context>
<context>
    <name>lifeline::ui::PresencePanel</name>
    <message>
        <location filename="../ui/presencepanel.cpp" line="53"/>
        <source>Nobody — offline</source>
        <translation>Niemand – offline</translation>
    </message>
    <message>
        <location filename="../ui/presencepanel.cpp" line="81"/>
        <source>Online (%1)</source>
        <translation>Online (%1)</translation>
    </message>
</context>
<context>
    <name>lifeline::ui::SettingsPanel</name>
    <message>
        <location filename="../ui/settingspanel.cpp" line="125"/>
        <source>Ping in background to keep the link</source>
        <translation>Im Hintergrund pingen, um die Verbindung zu halten</translation>
    </message>
    <message>
        <location filename="../ui/settingspanel.cpp" line="129"/>
        <source>Apply</source>
        <translation>Übernehmen</translation>
    </message>
    <message>
        <location filename="../ui/settingspanel.cpp" line="119"/>
        <source>empty: the bundled server</source>
        <translation>leer: der mitgelieferte Server</translation>
    </message>
    <message>
        <location filename="../ui/settingspanel.cpp" line="121"/>
        <source>Automatic</source>
        <translation>Automatisch</translation>
    </message>
    <message>
        <location filename="../ui/settingspanel.cpp" line="123"/>
        <source>Manual</source>
        <translation>Manuell</translation>
    </message>
    <message>
        <location filename="../ui/settingspanel.cpp" line="124"/>
        <source>System language</source>
        <translation>Systemsprache</translation>
    </message>
    <message>
        <location filename="../ui/settingspanel.cpp" line="131"/>
        <source>Server URLs</source>
        <translation>Server-URLs</translation>
    </message>
    <message>
        <location filename="../ui/settingspanel.cpp" line="132"/>
        <source>ws:// or wss://; several instances of one service separated by commas (the app starts at one of them and moves on when it fails); empty starts the bundled server.</source>
        <translation>ws:// oder wss://; mehrere Instanzen eines Dienstes durch Kommas getrennt (die App beginnt bei einer davon und wechselt zur nächsten, wenn sie ausfällt); leer startet den mitgelieferten Server.</translation>
    </message>
    <message>
        <location filename="../ui/settingspanel.cpp" line="135"/>
        <source>User</source>
        <translation>Benutzer</translation>
    </message>
    <message>
        <location filename="../ui/settingspanel.cpp" line="136"/>
        <source>Token</source>
        <translation>Token</translation>
    </message>
    <message>
        <location filename="../ui/settingspanel.cpp" line="137"/>
        <source>Connection</source>
        <translation>Verbindung</translation>
    </message>
    <message>
        <location filename="../ui/settingspanel.cpp" line="138"/>
        <source>Automatic connects in foreground and disconnects in background; manual leaves it to you.</source>
        <translation>Automatisch verbindet im Vordergrund und trennt im Hintergrund; manuell überlässt es Ihnen.</translation>
    </message>
    <message>
        <location filename="../ui/settingspanel.cpp" line="140"/>
        <source>Background grace</source>
        <translation>Schonfrist im Hintergrund</translation>
    </message>
    <message>
        <location filename="../ui/settingspanel.cpp" line="141"/>
        <source>Manual mode: how long the link stays up in background without a ping.</source>
        <translation>Manueller Modus: wie lange die Verbindung im Hintergrund ohne Ping bestehen bleibt.</translation>
    </message>
    <message>
        <location filename="../ui/settingspanel.cpp" line="142"/>
        <source>Keep-alive ping every</source>
        <translation>Keep-alive-Ping alle</translation>
    </message>
    <message>
        <location filename="../ui/settingspanel.cpp" line="143"/>
        <source>Heartbeat every</source>
        <translation>Heartbeat alle</translation>
    </message>
    <message>
        <location filename="../ui/settingspanel.cpp" line="144"/>
        <source>Heartbeat timeout</source>
        <translation>Heartbeat-Zeitlimit</translation>
    </message>
    <message>
        <location filename="../ui/settingspanel.cpp" line="145"/>
        <source>No answer within this time means the link is dead.</source>
        <translation>Keine Antwort in dieser Zeit bedeutet, dass die Verbindung tot ist.</translation>
    </message>
    <message>
        <location filename="../ui/settingspanel.cpp" line="146"/>
        <source>First reconnect after</source>
        <translation>Erster Verbindungsversuch nach</translation>
    </message>
    <message>
        <location filename="../ui/settingspanel.cpp" line="147"/>
        <source>Longest reconnect delay</source>
        <translation>Längste Wartezeit vor einem Verbindungsversuch</translation>
    </message>
    <message>
        <location filename="../ui/settingspanel.cpp" line="148"/>
        <source>Reconnect attempts</source>
        <translation>Verbindungsversuche</translation>
    </message>
    <message>
        <location filename="../ui/settingspanel.cpp" line="148"/>
        <source>0: never give up.</source>
        <translation>0: nie aufgeben.</translation>
    </message>
    <message>
        <location filename="../ui/settingspanel.cpp" line="149"/>
        <source>Jitter</source>
        <translation>Jitter</translation>
    </message>
    <message>
        <location filename="../ui/settingspanel.cpp" line="150"/>
        <source>0 to 1: delays are drawn from (1 - jitter) x nominal to nominal; the first after a lost link from 0 to nominal. 0: exact delays.</source>
        <translation>0 bis 1: Wartezeiten werden zufällig zwischen (1 - Jitter) x Nennwert und Nennwert gewählt, die erste nach einer verlorenen Verbindung zwischen 0 und Nennwert. 0: genaue Wartezeiten.</translation>
    </message>
    <message>
        <location filename="../ui/settingspanel.cpp" line="152"/>
        <source>Language</source>
        <translation>Sprache</translation>
    </message>
    <message>
        <location filename="../ui/settingspanel.cpp" line="153"/>
        <source>Applies at once, without a restart.</source>
        <translation>Wirkt sofort, ohne Neustart.</translation>
    </message>
    <message>
        <location filename="../ui/settingspanel.cpp" line="128"/>
        <source> s</source>
        <translation> s</translation>
    </message>
</context>
<context>
    <name>lifeline::ui::SimulateMenu</name>
    <message>
        <location filename="../ui/simulatemenu.cpp" line="125"/>
        <source>&amp;Simulate</source>
        <translation>&amp;Simulieren</translation>
    </message>
    <message>
        <location filename="../ui/simulatemenu.cpp" line="126"/>
        <source>Stop server</source>
        <translation>Server stoppen</translation>
    </message>
    <message>
        <location filename="../ui/simulatemenu.cpp" line="127"/>
        <source>Shut the server down cleanly; clients get a close frame.</source>
        <translation>Den Server sauber herunterfahren; Clients erhalten einen Close-Frame.</translation>
    </message>
    <message>
        <location filename="../ui/simulatemenu.cpp" line="128"/>
        <source>Start server</source>
        <translation>Server starten</translation>
    </message>
    <message>
        <location filename="../ui/simulatemenu.cpp" line="128"/>
        <source>Start the server again, same port.</source>
        <translation>Den Server erneut starten, auf demselben Port.</translation>
    </message>
    <message>
        <location filename="../ui/simulatemenu.cpp" line="129"/>
        <source>Freeze server</source>
        <translation>Server einfrieren</translation>
    </message>
    <message>
        <location filename="../ui/simulatemenu.cpp" line="130"/>
        <source>SIGSTOP: the server keeps the link open and answers nothing, a real half-open link.</source>
        <translation>SIGSTOP: Der Server hält die Verbindung offen und antwortet nicht mehr – eine echte halboffene Verbindung.</translation>
    </message>
    <message>
        <location filename="../ui/simulatemenu.cpp" line="132"/>
        <source>Thaw server</source>
        <translation>Server auftauen</translation>
    </message>
    <message>
        <location filename="../ui/simulatemenu.cpp" line="132"/>
        <source>SIGCONT: the server answers again.</source>
        <translation>SIGCONT: Der Server antwortet wieder.</translation>
    </message>
    <message>
        <location filename="../ui/simulatemenu.cpp" line="133"/>
        <source>Kick all connections</source>
        <translation>Alle Verbindungen trennen</translation>
    </message>
    <message>
        <location filename="../ui/simulatemenu.cpp" line="134"/>
        <source>The server drops every client without a close frame.</source>
        <translation>Der Server wirft jeden Client ohne Close-Frame hinaus.</translation>
    </message>
    <message>
        <location filename="../ui/simulatemenu.cpp" line="135"/>
        <source>Throttle typing and presence</source>
        <translation>Tipp- und Anwesenheitsanzeige drosseln</translation>
    </message>
    <message>
        <location filename="../ui/simulatemenu.cpp" line="136"/>
        <source>The server stops sending typing and presence updates.</source>
        <translation>Der Server sendet keine Tipp- und Anwesenheitsmeldungen mehr.</translation>
    </message>
    <message>
        <location filename="../ui/simulatemenu.cpp" line="137"/>
        <source>Lift throttling</source>
        <translation>Drosselung aufheben</translation>
    </message>
    <message>
        <location filename="../ui/simulatemenu.cpp" line="137"/>
        <source>The server lifts the throttle.</source>
        <translation>Der Server hebt die Drosselung auf.</translation>
    </message>
    <message>
        <location filename="../ui/simulatemenu.cpp" line="138"/>
        <source>Cut network</source>
        <translation>Netzwerk kappen</translation>
    </message>
    <message>
        <location filename="../ui/simulatemenu.cpp" line="139"/>
        <source>Nothing gets through either way, yet the link stays open.</source>
        <translation>In keiner Richtung kommt etwas durch, doch die Verbindung bleibt offen.</translation>
    </message>
    <message>
        <location filename="../ui/simulatemenu.cpp" line="140"/>
        <source>Restore network</source>
        <translation>Netzwerk wiederherstellen</translation>
    </message>
    <message>
        <location filename="../ui/simulatemenu.cpp" line="140"/>
        <source>Bytes flow again.</source>
        <translation>Die Daten fließen wieder.</translation>
    </message>
    <message>
        <location filename="../ui/simulatemenu.cpp" line="144"/>
        <source>Simulation needs the bundled server; the app was started with --server and connects to a server it does not control.</source>
        <translation>Die Simulation braucht den mitgelieferten Server; die App wurde mit --server gestartet und verbindet sich mit einem Server, den sie nicht steuert.</translation>
    </message>
    <message>
        <location filename="../ui/simulatemenu.cpp" line="58"/>
        <source>Server stopped</source>
        <translation>Server gestoppt</translation>
    </message>
    <message>
        <location filename="../ui/simulatemenu.cpp" line="62"/>
        <source>Server starting</source>
        <translation>Server startet</translation>
    </message>
    <message>
        <location filename="../ui/simulatemenu.cpp" line="66"/>
        <source>Server frozen (SIGSTOP)</source>
        <translation>Server eingefroren (SIGSTOP)</translation>
    </message>
    <message>
        <location filename="../ui/simulatemenu.cpp" line="70"/>
        <source>Server thawed (SIGCONT)</source>
        <translation>Server aufgetaut (SIGCONT)</translation>
    </message>
    <message>
        <location filename="../ui/simulatemenu.cpp" line="74"/>
        <source>Server kicks all connections</source>
        <translation>Server trennt alle Verbindungen</translation>
    </message>
    <message>
        <location filename="../ui/simulatemenu.cpp" line="78"/>
        <source>Server throttles typing and presence</source>
        <translation>Server drosselt Tipp- und Anwesenheitsanzeige</translation>
    </message>
    <message>
        <location filename="../ui/simulatemenu.cpp" line="82"/>
        <source>Server lifts throttling</source>
        <translation>Server hebt die Drosselung auf</translation>
    </message>
    <message>
        <location filename="../ui/simulatemenu.cpp" line="94"/>
        <source>The server refused &quot;%1&quot;</source>
        <translation>Der Server hat „%1“ abgelehnt</translation>
    </message>
    <message>
        <location filename="../ui/simulatemenu.cpp" line="103"/>
        <source>Network cut</source>
        <translation>Netzwerk gekappt</translation>
    </message>
    <message>
        <location filename="../ui/simulatemenu.cpp" line="108"/>
        <source>Network restored</source>
        <translation>Netzwerk wiederhergestellt</translation>
    </message>
    <message>
        <location filename="../ui/simulatemenu.cpp" line="149"/>
        <source>Cutting the network needs the fault proxy in front of the bundled server.</source>
        <translation>Zum Kappen des Netzwerks braucht es den Fehler-Proxy vor dem mitgelieferten Server.</translation>
    </message>
</context>
<context>
    <name>lifeline::ui::StatusIndicator</name>
    <message>
        <location filename="../ui/statusindicator.cpp" line="214"/>
        <source>Server: %1</source>
        <translation>Server: %1</translation>
    </message>
    <message>
        <location filename="../ui/statusindicator.cpp" line="218"/>
        <location filename="../ui/statusindicator.cpp" line="223"/>
        <source>Connected</source>
        <translation>Verbunden</translation>
    </message>
    <message>
        <location filename="../ui/statusindicator.cpp" line="225"/>
        <source>Connected, typing paused by the server</source>
        <translation>Verbunden, Tippanzeige vom Server pausiert</translation>
    </message>
    <message>
        <location filename="../ui/statusindicator.cpp" line="227"/>
        <source>Connected, %1 paused by the server</source>
        <translation>Verbunden, %1 vom Server pausiert</translation>
    </message>
    <message>
        <location filename="../ui/statusindicator.cpp" line="227"/>
        <source>, </source>
        <translation>, </translation>
    </message>
    <message>
        <location filename="../ui/statusindicator.cpp" line="231"/>
        <source>Connecting…</source>
        <translation>Verbindung wird aufgebaut…</translation>
    </message>
    <message>
        <location filename="../ui/statusindicator.cpp" line="240"/>
        <source>Reconnecting in %1 s (attempt %2 of %3)</source>
        <translation>Neuer Verbindungsversuch in %1 s (Versuch %2 von %3)</translation>
    </message>
    <message>
        <location filename="../ui/statusindicator.cpp" line="244"/>
        <source>Reconnecting in %1 s (attempt %2)</source>
        <translation>Neuer Verbindungsversuch in %1 s (Versuch %2)</translation>
    </message>
    <message>
        <location filename="../ui/statusindicator.cpp" line="251"/>
        <source>Reconnecting (attempt %1 of %2)</source>
        <translation>Verbindung wird erneut aufgebaut (Versuch %1 von %2)</translation>
    </message>
    <message>
        <location filename="../ui/statusindicator.cpp" line="252"/>
        <source>Reconnecting (attempt %1)</source>
        <translation>Verbindung wird erneut aufgebaut (Versuch %1)</translation>
    </message>
    <message>
        <location filename="../ui/statusindicator.cpp" line="257"/>
        <source>Retry now</source>
        <translation>Jetzt erneut versuchen</translation>
    </message>
    <message>
        <location filename="../ui/statusindicator.cpp" line="261"/>
        <source>Offline</source>
        <translation>Offline</translation>
    </message>
    <message>
        <location filename="../ui/statusindicator.cpp" line="263"/>
        <source>Connect</source>
        <translation>Verbinden</translation>
    </message>
    <message>
        <location filename="../ui/statusindicator.cpp" line="296"/>
        <source>Not connected</source>
        <translation>Nicht verbunden</translation>
    </message>
    <message>
        <location filename="../ui/statusindicator.cpp" line="298"/>
        <source>You disconnected</source>
        <translation>Von Ihnen getrennt</translation>
    </message>
    <message>
        <location filename="../ui/statusindicator.cpp" line="300"/>
        <source>Logged out</source>
        <translation>Abgemeldet</translation>
    </message>
    <message>
        <location filename="../ui/statusindicator.cpp" line="302"/>
        <source>Disconnected in background</source>
        <translation>Im Hintergrund getrennt</translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/statusindicator.cpp" line="304"/>
        <source>Connection failed after %n attempts</source>
        <translation>
            <numerusform>Verbindung nach %n Versuch fehlgeschlagen</numerusform>
            <numerusform>Verbindung nach %n Versuchen fehlgeschlagen</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../ui/statusindicator.cpp" line="307"/>
        <source>Token rejected</source>
        <translation>Token abgelehnt</translation>
    </message>
    <message>
        <location filename="../ui/statusindicator.cpp" line="309"/>
        <source>The server speaks another protocol version</source>
        <translation>Der Server spricht eine andere Protokollversion</translation>
    </message>
    <message>
        <location filename="../ui/statusindicator.cpp" line="312"/>
        <source>Secure connection failed: the server&apos;s certificate was refused</source>
        <translation>Sichere Verbindung gescheitert: das Zertifikat des Servers wurde abgelehnt</translation>
    </message>
</context>
<context>
    <name>lifeline::ui::TimelineWidget</name>
    <message>
        <location filename="../ui/timelinewidget.cpp" line="44"/>
        <source>Connection over the last 10 minutes: solid green connected, dotted yellow connecting, cross-hatched red offline; red triangles are errors</source>
        <translation>Verbindung in den letzten 10 Minuten: durchgehend grün verbunden, gepunktet gelb verbindend, kreuzschraffiert rot offline; rote Dreiecke sind Fehler</translation>
    </message>
</context>
<context>
    <name>lifeline::ui::TrayNotifier</name>
    <message>
        <location filename="../ui/traynotifier.cpp" line="53"/>
        <source>Connection is back</source>
        <translation>Die Verbindung ist wieder da</translation>
    </message>
    <message>
        <location filename="../ui/traynotifier.cpp" line="70"/>
        <source>Connection lost — Lifeline keeps trying</source>
        <translation>Verbindung verloren – Lifeline versucht es weiter</translation>
    </message>
    <message>
        <location filename="../ui/traynotifier.cpp" line="75"/>
        <source>Lifeline</source>
        <translation>Lifeline</translation>
    </message>
    <message>
        <location filename="../ui/traynotifier.cpp" line="103"/>
        <source>Lifeline: connected</source>
        <translation>Lifeline: verbunden</translation>
    </message>
    <message>
        <location filename="../ui/traynotifier.cpp" line="106"/>
        <source>Lifeline: connecting</source>
        <translation>Lifeline: Verbindung wird aufgebaut</translation>
    </message>
    <message>
        <location filename="../ui/traynotifier.cpp" line="109"/>
        <source>Lifeline: offline</source>
        <translation>Lifeline: offline</translation>
    </message>
</context>
<context>
    <name>main</name>
    <message>
        <location filename="../app/main.cpp" line="43"/>
        <source>Lifeline</source>
        <translation>Lifeline</translation>
    </message>
    <message>
        <location filename="../app/main.cpp" line="181"/>
        <source>The bundled server did not start. Start lifeline with --server URL to use another server.</source>
        <translation>Der mitgelieferte Server ist nicht gestartet. Starten Sie lifeline mit --server URL, um einen anderen Server zu verwenden.</translation>
    </message>
    <message>
        <location filename="../app/main.cpp" line="187"/>
        <source>Could not listen on a loopback port for the bundled server&apos;s proxy.</source>
        <translation>Für den Proxy des mitgelieferten Servers konnte kein Loopback-Port geöffnet werden.</translation>
    </message>
</context>
</TS>
