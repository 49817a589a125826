#pragma once

#include <lifeline/chaterror.h>

namespace lifeline::protocol {
struct DecodeError;
}

// Every error the SDK reports is made here, so that each code always comes with the same
// one-sentence message and details that say what to do.
namespace lifeline::errors {

ChatError notInitialized();
ChatError chatApiFailure(const QString &details);
ChatError invalidArgument(const QString &details);
enum class LoggedInAction { Connect, Disconnect, Ping, Logout, Send };

ChatError notLoggedIn(LoggedInAction action);
ChatError notConnected();
ChatError inBackground();
ChatError storage(const QString &details);
ChatError connectionFailed(const QString &details);
ChatError connectionLost(const QString &details);
ChatError connectTimeout(int timeoutMs);
ChatError heartbeatTimeout(int timeoutMs);
ChatError pingTimeout(int timeoutMs);
ChatError authFailed(const QString &serverDetails);
ChatError reconnectFailed(int attempts);
ChatError protocol(const QString &details);
// A frame broke the protocol: the link is dropped and made again, which starts both ends afresh.
ChatError protocolViolation(const QString &details);
// The codec refused a frame from the server: a broken one breaks the protocol, and so does one
// of a type this client does not know unless the session is up; then it comes from a newer
// server and is reported and skipped. The one place where the codec's errors become ChatErrors.
ChatError fromDecodeError(const protocol::DecodeError &error, bool sessionUp);
// problems: what failed, e.g. the certificate errors, each naming the certificate.
ChatError tls(const QString &problems);
ChatError cancelled(const QString &why);
ChatError queueFull(int limit);
ChatError messageTooLarge(int bytes, int limit);
// The text is within its limit, but escaped for the wire it makes a frame over the server's.
ChatError messageFrameTooLarge(int frameBytes, int limit);
ChatError refusedByServer(const QString &code, const QString &message);

} // namespace lifeline::errors
