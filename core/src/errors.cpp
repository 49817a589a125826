#include "errors.h"

#include "protocol.h"

#include <QCoreApplication>

namespace lifeline::errors {

ChatError notInitialized()
{
    return {QStringLiteral("ERR_NOT_INITIALIZED"),
            QCoreApplication::translate("lifeline::ChatError", "The SDK is not initialised."),
            QCoreApplication::translate(
                "lifeline::ChatError",
                "Call ConnectionManager::init() with an app id and settings first.")};
}

ChatError chatApiFailure(const QString &details)
{
    return {QStringLiteral("ERR_CHAT_API_FAILURE"),
            QCoreApplication::translate("lifeline::ChatError", "SDK initialisation failed."),
            details};
}

ChatError invalidArgument(const QString &details)
{
    return {QStringLiteral("ERR_INVALID_ARGUMENT"),
            QCoreApplication::translate("lifeline::ChatError", "An argument is not valid."),
            details};
}

ChatError notLoggedIn(LoggedInAction action)
{
    QString details;
    switch (action) {
    case LoggedInAction::Connect:
        details = QCoreApplication::translate(
            "lifeline::ChatError", "Please log in before establishing a WebSocket connection.");
        break;
    case LoggedInAction::Disconnect:
        details = QCoreApplication::translate(
            "lifeline::ChatError", "Please log in before disconnecting the WebSocket connection.");
        break;
    case LoggedInAction::Ping:
        details = QCoreApplication::translate("lifeline::ChatError",
                                              "Please log in before sending a ping to the server.");
        break;
    case LoggedInAction::Send:
        details = QCoreApplication::translate("lifeline::ChatError",
                                              "Please log in before sending a message.");
        break;
    case LoggedInAction::Logout:
        details = QCoreApplication::translate("lifeline::ChatError",
                                              "Log in first; there is no session to log out of.");
        break;
    }
    return {QStringLiteral("ERR_NOT_LOGGED_IN"),
            QCoreApplication::translate("lifeline::ChatError", "No active user session."), details};
}

ChatError notConnected()
{
    return {
        QStringLiteral("ERR_NOT_CONNECTED"),
        QCoreApplication::translate("lifeline::ChatError", "There is no connection to the server."),
        QCoreApplication::translate(
            "lifeline::ChatError",
            "Wait for the connected() signal, or call connectToServer() first.")};
}

ChatError inBackground()
{
    return {QStringLiteral("ERR_IN_BACKGROUND"),
            QCoreApplication::translate("lifeline::ChatError", "The app is in the background."),
            QCoreApplication::translate(
                "lifeline::ChatError",
                "In auto mode the connection opens when the app returns to the foreground; "
                "use manual mode to connect from the background.")};
}

ChatError storage(const QString &details)
{
    return {QStringLiteral("ERR_STORAGE"),
            QCoreApplication::translate("lifeline::ChatError", "The session could not be stored."),
            details};
}

ChatError connectionFailed(const QString &details)
{
    return {QStringLiteral("ERR_CONNECTION_FAILED"),
            QCoreApplication::translate("lifeline::ChatError", "Could not connect to the server."),
            details};
}

ChatError connectionLost(const QString &details)
{
    return {QStringLiteral("ERR_CONNECTION_LOST"),
            QCoreApplication::translate("lifeline::ChatError",
                                        "The connection to the server was lost."),
            details};
}

ChatError connectTimeout(int timeoutMs)
{
    return {QStringLiteral("ERR_CONNECT_TIMEOUT"),
            QCoreApplication::translate("lifeline::ChatError",
                                        "The server did not accept the connection in time."),
            QCoreApplication::translate(
                "lifeline::ChatError",
                "No session after %1 ms. Check that the server is running and reachable; "
                "a longer connect timeout helps on slow networks.")
                .arg(timeoutMs)};
}

ChatError heartbeatTimeout(int timeoutMs)
{
    return {QStringLiteral("ERR_HEARTBEAT_TIMEOUT"),
            QCoreApplication::translate("lifeline::ChatError", "The server stopped answering."),
            QCoreApplication::translate(
                "lifeline::ChatError",
                "No frame arrived within %1 ms of a heartbeat ping, so the link was dropped. "
                "The server or the network in between is down or frozen.")
                .arg(timeoutMs)};
}

ChatError pingTimeout(int timeoutMs)
{
    return {
        QStringLiteral("ERR_PING_TIMEOUT"),
        QCoreApplication::translate("lifeline::ChatError", "The server did not answer the ping."),
        QCoreApplication::translate(
            "lifeline::ChatError",
            "No pong within %1 ms. The link may be dead; the heartbeat will confirm it.")
            .arg(timeoutMs)};
}

ChatError authFailed(const QString &serverDetails)
{
    const QString what = QCoreApplication::translate(
        "lifeline::ChatError", "Log in again with a valid token; nothing retries until then.");
    return {QStringLiteral("ERR_AUTH_FAILED"),
            QCoreApplication::translate("lifeline::ChatError", "The server rejected the token."),
            serverDetails.isEmpty() ? what : serverDetails + QLatin1Char(' ') + what};
}

ChatError reconnectFailed(int attempts)
{
    return {QStringLiteral("ERR_RECONNECT_FAILED"),
            QCoreApplication::translate("lifeline::ChatError",
                                        "Connection failed after %n attempts.", nullptr, attempts),
            QCoreApplication::translate(
                "lifeline::ChatError",
                "Call connectToServer() to try again once the server is reachable.")};
}

ChatError protocol(const QString &details)
{
    return {QStringLiteral("ERR_PROTOCOL"),
            QCoreApplication::translate("lifeline::ChatError",
                                        "The server sent something this client cannot use."),
            details};
}

ChatError protocolViolation(const QString &details)
{
    // The two ends no longer agree on the state of this link (what was sent, acknowledged,
    // seen): only a new link, which starts both afresh, can fix that.
    return protocol(details
                    + QStringLiteral(" The link was dropped; reconnecting by the retry "
                                     "policy."));
}

ChatError fromDecodeError(const lifeline::protocol::DecodeError &error, bool sessionUp)
{
    if (error.isNull())
        return {};
    if (sessionUp && error.kind == lifeline::protocol::DecodeError::Kind::UnknownType)
        return protocol(QStringLiteral("The server sent a frame this client does not know (%1); "
                                       "it was ignored and the link stays up. The server may be "
                                       "newer than this app: update the app if something seems "
                                       "missing.")
                            .arg(error.reason));
    return protocolViolation(
        QStringLiteral("The server sent a frame this client cannot read: %1.").arg(error.reason));
}

ChatError tls(const QString &problems)
{
    return {QStringLiteral("ERR_TLS"),
            QCoreApplication::translate("lifeline::ChatError",
                                        "The secure connection to the server failed."),
            problems + QLatin1Char(' ')
                + QCoreApplication::translate(
                    "lifeline::ChatError",
                    "Check the server's certificate and the trusted certificates in the "
                    "settings, then connect again; nothing retries until then.")};
}

ChatError cancelled(const QString &why)
{
    return {
        QStringLiteral("ERR_CANCELLED"),
        QCoreApplication::translate("lifeline::ChatError", "The connection attempt was cancelled."),
        why};
}

ChatError queueFull(int limit)
{
    return {QStringLiteral("ERR_QUEUE_FULL"),
            QCoreApplication::translate("lifeline::ChatError",
                                        "Too many messages are waiting to be sent."),
            QCoreApplication::translate("lifeline::ChatError",
                                        "%1 messages are waiting already. Reconnect so they can "
                                        "go out, then send again; nothing was queued.")
                .arg(limit)};
}

ChatError messageTooLarge(int bytes, int limit)
{
    return {QStringLiteral("ERR_MESSAGE_TOO_LARGE"),
            QCoreApplication::translate("lifeline::ChatError", "The message is too long."),
            QCoreApplication::translate("lifeline::ChatError",
                                        "It has %1 bytes of UTF-8; at most %2 can be sent. "
                                        "Shorten it or split it into several messages.")
                .arg(bytes)
                .arg(limit)};
}

ChatError messageFrameTooLarge(int frameBytes, int limit)
{
    return {QStringLiteral("ERR_MESSAGE_TOO_LARGE"),
            QCoreApplication::translate("lifeline::ChatError", "The message is too long."),
            QCoreApplication::translate("lifeline::ChatError",
                                        "Written for the server it takes %1 bytes; at most %2 "
                                        "fit. Control characters take 6 bytes each: remove them "
                                        "or shorten the message.")
                .arg(frameBytes)
                .arg(limit)};
}

ChatError refusedByServer(const QString &code, const QString &message)
{
    return {code,
            QCoreApplication::translate("lifeline::ChatError",
                                        "The server refused the message for good."),
            message};
}

} // namespace lifeline::errors
