#pragma once

#include <QStringList>

#include <cstddef>
#include <cstdint>

// Mutates a frame as JSON rather than as bytes: drops a field, gives a field (a known one or one
// already there) a value of some kind, or changes the type. Byte-level mutations mostly break
// the JSON, and Qt's parser is not instrumented, so libFuzzer gets no guidance back into valid
// frames; these keep the input a JSON object and so reach the schema checks and the getters.
// Returns the new size, or 0 if data is not a JSON object or the result would not fit maxSize.
std::size_t mutateFrameAsJson(std::uint8_t *data, std::size_t size, std::size_t maxSize,
                              unsigned int seed, const QStringList &types,
                              const QStringList &fieldNames);
