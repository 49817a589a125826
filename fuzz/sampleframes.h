#pragma once

#include <QStringList>

// Valid frames of every type, written by the protocol's own encoders (core/protocol): the seed
// corpus of the fuzzer, and its source for which fields a receiver reads from each type. Made
// from the encoders so that neither goes stale when the protocol changes.
QStringList sampleFrames();
