#include "errors.h"

#include <QCoreApplication>

namespace lifeline::errors {

namespace {
QString tr(const char *text, int n = -1)
{
    return QCoreApplication::translate("lifeline::ChatError", text, nullptr, n);
}
} // namespace

ChatError notInitialized()
{
    return {QStringLiteral("ERR_NOT_INITIALIZED"), tr("The SDK is not initialised."),
            tr("Call ConnectionManager::init() with an app id and settings first.")};
}

ChatError chatApiFailure(const QString &details)
{
    return {QStringLiteral("ERR_CHAT_API_FAILURE"), tr("SDK initialisation failed."), details};
}

ChatError invalidArgument(const QString &details)
{
    return {QStringLiteral("ERR_INVALID_ARGUMENT"), tr("An argument is not valid."), details};
}

ChatError notLoggedIn(const QString &action)
{
    return {QStringLiteral("ERR_NOT_LOGGED_IN"), tr("No active user session."),
            tr("Please log in before %1.").arg(action)};
}

ChatError notConnected()
{
    return {QStringLiteral("ERR_NOT_CONNECTED"), tr("There is no connection to the server."),
            tr("Wait for the connected() signal, or call connectToServer() first.")};
}

ChatError inBackground()
{
    return {QStringLiteral("ERR_IN_BACKGROUND"), tr("The app is in the background."),
            tr("In auto mode the connection opens when the app returns to the foreground; "
               "use manual mode to connect from the background.")};
}

ChatError storage(const QString &details)
{
    return {QStringLiteral("ERR_STORAGE"), tr("The session could not be stored."), details};
}

ChatError connectionFailed(const QString &details)
{
    return {QStringLiteral("ERR_CONNECTION_FAILED"), tr("Could not connect to the server."),
            details};
}

ChatError connectionLost(const QString &details)
{
    return {QStringLiteral("ERR_CONNECTION_LOST"), tr("The connection to the server was lost."),
            details};
}

ChatError connectTimeout(int timeoutMs)
{
    return {QStringLiteral("ERR_CONNECT_TIMEOUT"),
            tr("The server did not accept the connection in time."),
            tr("No session after %1 ms. Check that the server is running and reachable; "
               "a longer connect timeout helps on slow networks.")
                .arg(timeoutMs)};
}

ChatError heartbeatTimeout(int timeoutMs)
{
    return {QStringLiteral("ERR_HEARTBEAT_TIMEOUT"), tr("The server stopped answering."),
            tr("No frame arrived within %1 ms of a heartbeat ping, so the link was dropped. "
               "The server or the network in between is down or frozen.")
                .arg(timeoutMs)};
}

ChatError pingTimeout(int timeoutMs)
{
    return {QStringLiteral("ERR_PING_TIMEOUT"), tr("The server did not answer the ping."),
            tr("No pong within %1 ms. The link may be dead; the heartbeat will confirm it.")
                .arg(timeoutMs)};
}

ChatError authFailed(const QString &serverDetails)
{
    const QString what = tr("Log in again with a valid token; nothing retries until then.");
    return {QStringLiteral("ERR_AUTH_FAILED"), tr("The server rejected the token."),
            serverDetails.isEmpty() ? what : serverDetails + QLatin1Char(' ') + what};
}

ChatError reconnectFailed(int attempts)
{
    return {QStringLiteral("ERR_RECONNECT_FAILED"),
            tr("Connection failed after %n attempts.", attempts),
            tr("Call connectToServer() to try again once the server is reachable.")};
}

ChatError protocol(const QString &details)
{
    return {QStringLiteral("ERR_PROTOCOL"), tr("The server sent something this client cannot use."),
            details};
}

ChatError cancelled(const QString &why)
{
    return {QStringLiteral("ERR_CANCELLED"), tr("The connection attempt was cancelled."), why};
}

} // namespace lifeline::errors
