<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US">
<context>
    <name>lifeline::ChatError</name>
    <message>
        <location filename="../core/src/errors.cpp" line="12"/>
        <source>The SDK is not initialised.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/src/errors.cpp" line="13"/>
        <source>Call ConnectionManager::init() with an app id and settings first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/src/errors.cpp" line="21"/>
        <source>SDK initialisation failed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/src/errors.cpp" line="28"/>
        <source>An argument is not valid.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/src/errors.cpp" line="37"/>
        <source>Please log in before establishing a WebSocket connection.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/src/errors.cpp" line="41"/>
        <source>Please log in before disconnecting the WebSocket connection.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/src/errors.cpp" line="45"/>
        <source>Please log in before sending a ping to the server.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/src/errors.cpp" line="49"/>
        <source>Please log in before sending a message.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/src/errors.cpp" line="53"/>
        <source>Log in first; there is no session to log out of.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/src/errors.cpp" line="58"/>
        <source>No active user session.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/src/errors.cpp" line="65"/>
        <source>There is no connection to the server.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/src/errors.cpp" line="66"/>
        <source>Wait for the connected() signal, or call connectToServer() first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/src/errors.cpp" line="74"/>
        <source>The app is in the background.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/src/errors.cpp" line="75"/>
        <source>In auto mode the connection opens when the app returns to the foreground; use manual mode to connect from the background.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/src/errors.cpp" line="84"/>
        <source>The session could not be stored.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/src/errors.cpp" line="91"/>
        <source>Could not connect to the server.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/src/errors.cpp" line="98"/>
        <source>The connection to the server was lost.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/src/errors.cpp" line="106"/>
        <source>The server did not accept the connection in time.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/src/errors.cpp" line="108"/>
        <source>No session after %1 ms. Check that the server is running and reachable; a longer connect timeout helps on slow networks.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/src/errors.cpp" line="118"/>
        <source>The server stopped answering.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/src/errors.cpp" line="119"/>
        <source>No frame arrived within %1 ms of a heartbeat ping, so the link was dropped. The server or the network in between is down or frozen.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/src/errors.cpp" line="130"/>
        <source>The server did not answer the ping.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/src/errors.cpp" line="131"/>
        <source>No pong within %1 ms. The link may be dead; the heartbeat will confirm it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/src/errors.cpp" line="139"/>
        <source>Log in again with a valid token; nothing retries until then.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/src/errors.cpp" line="142"/>
        <source>The server rejected the token.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location filename="../core/src/errors.cpp" line="149"/>
        <source>Connection failed after %n attempts.</source>
        <translation>
            <numerusform>Connection failed after %n attempt.</numerusform>
            <numerusform>Connection failed after %n attempts.</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../core/src/errors.cpp" line="151"/>
        <source>Call connectToServer() to try again once the server is reachable.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/src/errors.cpp" line="159"/>
        <source>The server sent something this client cannot use.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/src/errors.cpp" line="190"/>
        <source>The secure connection to the server failed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/src/errors.cpp" line="193"/>
        <source>Check the server&apos;s certificate and the trusted certificates in the settings, then connect again; nothing retries until then.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/src/errors.cpp" line="203"/>
        <source>The connection attempt was cancelled.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/src/errors.cpp" line="210"/>
        <source>Too many messages are waiting to be sent.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/src/errors.cpp" line="212"/>
        <source>%1 messages are waiting already. Reconnect so they can go out, then send again; nothing was queued.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/src/errors.cpp" line="221"/>
        <location filename="../core/src/errors.cpp" line="232"/>
        <source>The message is too long.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/src/errors.cpp" line="222"/>
        <source>It has %1 bytes of UTF-8; at most %2 can be sent. Shorten it or split it into several messages.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/src/errors.cpp" line="233"/>
        <source>Written for the server it takes %1 bytes; at most %2 fit. Control characters take 6 bytes each: remove them or shorten the message.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/src/errors.cpp" line="244"/>
        <source>The server refused the message for good.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
