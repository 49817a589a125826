#include <lifeline/connectionlistener.h>

namespace lifeline {

void ConnectionListener::onConnecting() { }
void ConnectionListener::onConnected() { }
void ConnectionListener::onDisconnected() { }
void ConnectionListener::onReconnecting(int, int) { }
void ConnectionListener::onFeatureThrottled(const QStringList &) { }
void ConnectionListener::onConnectionError(const ChatError &) { }

} // namespace lifeline
