#pragma once

#include <lifeline/chaterror.h>

#include <QStringList>

namespace lifeline {

/// The CometChat-style callback interface. Every method has an empty default, so a listener
/// overrides only what it needs. ConnectionManager calls listeners right after emitting the
/// matching signal, and does not own them.
class ConnectionListener
{
public:
    virtual ~ConnectionListener() = default;
    virtual void onConnecting();
    virtual void onConnected();
    virtual void onDisconnected();
    virtual void onReconnecting(int attempt, int delayMs);
    virtual void onFeatureThrottled(const QStringList &features);
    virtual void onConnectionError(const ChatError &error);
};

} // namespace lifeline
