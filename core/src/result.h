#pragma once

#include <lifeline/chaterror.h>

#include <optional>
#include <utility>

namespace lifeline {

// What an operation inside the SDK gives back: its value, or the ChatError that says why there
// is none (code, sentence, what to do). The one way to fail inside core: the stores, the settings
// checks and the managers all return it, and the public API hands its error to the caller's
// Failure callback unchanged.
template<typename T = void> class [[nodiscard]] Result
{
public:
    Result(T value)
        : m_value(std::move(value))
    { }
    Result(ChatError error)
        : m_error(std::move(error))
    {
        Q_ASSERT(!m_error.isNull());
    }

    bool isOk() const { return m_value.has_value(); }
    explicit operator bool() const { return isOk(); }
    const T &value() const
    {
        Q_ASSERT(isOk());
        return *m_value;
    }
    T takeValue()
    {
        Q_ASSERT(isOk());
        return std::move(*m_value);
    }
    // Null when the operation succeeded.
    const ChatError &error() const { return m_error; }

private:
    std::optional<T> m_value;
    ChatError m_error;
};

// An operation that gives back nothing but success or its error.
template<> class [[nodiscard]] Result<void>
{
public:
    Result() = default;
    Result(ChatError error)
        : m_error(std::move(error))
    {
        Q_ASSERT(!m_error.isNull());
    }

    bool isOk() const { return m_error.isNull(); }
    explicit operator bool() const { return isOk(); }
    const ChatError &error() const { return m_error; }

private:
    ChatError m_error;
};

} // namespace lifeline
