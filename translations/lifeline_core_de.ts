<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE">
<context>
    <name>lifeline::ChatError</name>
    <message>
        <location filename="../core/src/errors.cpp" line="12"/>
        <source>The SDK is not initialised.</source>
        <translation>Das SDK ist nicht initialisiert.</translation>
    </message>
    <message>
        <location filename="../core/src/errors.cpp" line="13"/>
        <source>Call ConnectionManager::init() with an app id and settings first.</source>
        <translation>Rufen Sie zuerst ConnectionManager::init() mit einer App-ID und Einstellungen auf.</translation>
    </message>
    <message>
        <location filename="../core/src/errors.cpp" line="21"/>
        <source>SDK initialisation failed.</source>
        <translation>Die Initialisierung des SDK ist fehlgeschlagen.</translation>
    </message>
    <message>
        <location filename="../core/src/errors.cpp" line="28"/>
        <source>An argument is not valid.</source>
        <translation>Ein Argument ist ungültig.</translation>
    </message>
    <message>
        <location filename="../core/src/errors.cpp" line="37"/>
        <source>Please log in before establishing a WebSocket connection.</source>
        <translation>Bitte melden Sie sich an, bevor Sie eine WebSocket-Verbindung aufbauen.</translation>
    </message>
    <message>
        <location filename="../core/src/errors.cpp" line="41"/>
        <source>Please log in before disconnecting the WebSocket connection.</source>
        <translation>Bitte melden Sie sich an, bevor Sie die WebSocket-Verbindung trennen.</translation>
    </message>
    <message>
        <location filename="../core/src/errors.cpp" line="45"/>
        <source>Please log in before sending a ping to the server.</source>
        <translation>Bitte melden Sie sich an, bevor Sie einen Ping an den Server senden.</translation>
    </message>
    <message>
        <location filename="../core/src/errors.cpp" line="49"/>
        <source>Please log in before sending a message.</source>
        <translation>Bitte melden Sie sich an, bevor Sie eine Nachricht senden.</translation>
    </message>
    <message>
        <location filename="../core/src/errors.cpp" line="53"/>
        <source>Log in first; there is no session to log out of.</source>
        <translation>Melden Sie sich zuerst an; es gibt keine Sitzung, von der Sie sich abmelden könnten.</translation>
    </message>
    <message>
        <location filename="../core/src/errors.cpp" line="58"/>
        <source>No active user session.</source>
        <translation>Keine aktive Benutzersitzung.</translation>
    </message>
    <message>
        <location filename="../core/src/errors.cpp" line="65"/>
        <source>There is no connection to the server.</source>
        <translation>Es besteht keine Verbindung zum Server.</translation>
    </message>
    <message>
        <location filename="../core/src/errors.cpp" line="66"/>
        <source>Wait for the connected() signal, or call connectToServer() first.</source>
        <translation>Warten Sie auf das Signal connected() oder rufen Sie zuerst connectToServer() auf.</translation>
    </message>
    <message>
        <location filename="../core/src/errors.cpp" line="74"/>
        <source>The app is in the background.</source>
        <translation>Die App ist im Hintergrund.</translation>
    </message>
    <message>
        <location filename="../core/src/errors.cpp" line="75"/>
        <source>In auto mode the connection opens when the app returns to the foreground; use manual mode to connect from the background.</source>
        <translation>Im automatischen Modus wird die Verbindung aufgebaut, sobald die App wieder im Vordergrund ist; verwenden Sie den manuellen Modus, um aus dem Hintergrund zu verbinden.</translation>
    </message>
    <message>
        <location filename="../core/src/errors.cpp" line="84"/>
        <source>The session could not be stored.</source>
        <translation>Die Sitzung konnte nicht gespeichert werden.</translation>
    </message>
    <message>
        <location filename="../core/src/errors.cpp" line="91"/>
        <source>Could not connect to the server.</source>
        <translation>Die Verbindung zum Server konnte nicht hergestellt werden.</translation>
    </message>
    <message>
        <location filename="../core/src/errors.cpp" line="98"/>
        <source>The connection to the server was lost.</source>
        <translation>Die Verbindung zum Server wurde unterbrochen.</translation>
    </message>
    <message>
        <location filename="../core/src/errors.cpp" line="106"/>
        <source>The server did not accept the connection in time.</source>
        <translation>Der Server hat die Verbindung nicht rechtzeitig angenommen.</translation>
    </message>
    <message>
        <location filename="../core/src/errors.cpp" line="108"/>
        <source>No session after %1 ms. Check that the server is running and reachable; a longer connect timeout helps on slow networks.</source>
        <translation>Keine Sitzung nach %1 ms. Prüfen Sie, ob der Server läuft und erreichbar ist; in langsamen Netzen hilft ein längeres Verbindungs-Timeout.</translation>
    </message>
    <message>
        <location filename="../core/src/errors.cpp" line="118"/>
        <source>The server stopped answering.</source>
        <translation>Der Server antwortet nicht mehr.</translation>
    </message>
    <message>
        <location filename="../core/src/errors.cpp" line="119"/>
        <source>No frame arrived within %1 ms of a heartbeat ping, so the link was dropped. The server or the network in between is down or frozen.</source>
        <translation>Innerhalb von %1 ms nach einem Heartbeat-Ping kam kein Frame an, daher wurde die Verbindung getrennt. Der Server oder das Netz dazwischen ist ausgefallen oder hängt.</translation>
    </message>
    <message>
        <location filename="../core/src/errors.cpp" line="130"/>
        <source>The server did not answer the ping.</source>
        <translation>Der Server hat nicht auf den Ping geantwortet.</translation>
    </message>
    <message>
        <location filename="../core/src/errors.cpp" line="131"/>
        <source>No pong within %1 ms. The link may be dead; the heartbeat will confirm it.</source>
        <translation>Kein Pong innerhalb von %1 ms. Die Verbindung ist möglicherweise tot; der Heartbeat wird es bestätigen.</translation>
    </message>
    <message>
        <location filename="../core/src/errors.cpp" line="139"/>
        <source>Log in again with a valid token; nothing retries until then.</source>
        <translation>Melden Sie sich mit einem gültigen Token erneut an; bis dahin wird nichts wiederholt.</translation>
    </message>
    <message>
        <location filename="../core/src/errors.cpp" line="142"/>
        <source>The server rejected the token.</source>
        <translation>Der Server hat das Token abgelehnt.</translation>
    </message>
    <message numerus="yes">
        <location filename="../core/src/errors.cpp" line="149"/>
        <source>Connection failed after %n attempts.</source>
        <translation>
            <numerusform>Verbindung nach %n Versuch fehlgeschlagen.</numerusform>
            <numerusform>Verbindung nach %n Versuchen fehlgeschlagen.</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../core/src/errors.cpp" line="151"/>
        <source>Call connectToServer() to try again once the server is reachable.</source>
        <translation>Rufen Sie connectToServer() auf, um es erneut zu versuchen, sobald der Server erreichbar ist.</translation>
    </message>
    <message>
        <location filename="../core/src/errors.cpp" line="159"/>
        <source>The server sent something this client cannot use.</source>
        <translation>Der Server hat etwas gesendet, das dieser Client nicht verarbeiten kann.</translation>
    </message>
    <message>
        <location filename="../core/src/errors.cpp" line="190"/>
        <source>The secure connection to the server failed.</source>
        <translation>Die sichere Verbindung zum Server ist gescheitert.</translation>
    </message>
    <message>
        <location filename="../core/src/errors.cpp" line="193"/>
        <source>Check the server&apos;s certificate and the trusted certificates in the settings, then connect again; nothing retries until then.</source>
        <translation>Prüfen Sie das Zertifikat des Servers und die vertrauenswürdigen Zertifikate in den Einstellungen und verbinden Sie dann erneut; bis dahin wird es nicht von selbst wiederholt.</translation>
    </message>
    <message>
        <location filename="../core/src/errors.cpp" line="203"/>
        <source>The connection attempt was cancelled.</source>
        <translation>Der Verbindungsversuch wurde abgebrochen.</translation>
    </message>
    <message>
        <location filename="../core/src/errors.cpp" line="210"/>
        <source>Too many messages are waiting to be sent.</source>
        <translation>Zu viele Nachrichten warten auf den Versand.</translation>
    </message>
    <message>
        <location filename="../core/src/errors.cpp" line="212"/>
        <source>%1 messages are waiting already. Reconnect so they can go out, then send again; nothing was queued.</source>
        <translation>Es warten bereits %1 Nachrichten. Verbinden Sie sich neu, damit sie hinausgehen, und senden Sie dann erneut; nichts wurde eingereiht.</translation>
    </message>
    <message>
        <location filename="../core/src/errors.cpp" line="221"/>
        <location filename="../core/src/errors.cpp" line="232"/>
        <source>The message is too long.</source>
        <translation>Die Nachricht ist zu lang.</translation>
    </message>
    <message>
        <location filename="../core/src/errors.cpp" line="222"/>
        <source>It has %1 bytes of UTF-8; at most %2 can be sent. Shorten it or split it into several messages.</source>
        <translation>Sie hat %1 Byte in UTF-8; höchstens %2 können gesendet werden. Kürzen Sie sie oder teilen Sie sie auf mehrere Nachrichten auf.</translation>
    </message>
    <message>
        <location filename="../core/src/errors.cpp" line="233"/>
        <source>Written for the server it takes %1 bytes; at most %2 fit. Control characters take 6 bytes each: remove them or shorten the message.</source>
        <translation>Für den Server geschrieben braucht sie %1 Bytes; höchstens %2 passen. Steuerzeichen brauchen je 6 Bytes: Entfernen Sie sie oder kürzen Sie die Nachricht.</translation>
    </message>
    <message>
        <location filename="../core/src/errors.cpp" line="244"/>
        <source>The server refused the message for good.</source>
        <translation>Der Server hat die Nachricht endgültig abgelehnt.</translation>
    </message>
</context>
</TS>
