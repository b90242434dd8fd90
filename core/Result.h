#pragma once

#include <QString>

#include <optional>
#include <utility>

// A value or an error message, for code paths that report failure without exceptions.
// The error text is meant for people: it says where and why, never a secret.
template <typename T> class Result {
public:
    Result(T value)
        : m_value(std::move(value)) {} // NOLINT(google-explicit-constructor)

    static Result failure(QString message) {
        Result r;
        r.m_error = std::move(message);
        return r;
    }

    bool ok() const { return m_value.has_value(); }
    explicit operator bool() const { return ok(); }

    const T& value() const& { return *m_value; }
    T& value() & { return *m_value; }
    T&& value() && { return std::move(*m_value); }
    const T* operator->() const { return &*m_value; }
    T* operator->() { return &*m_value; }
    const T& operator*() const& { return *m_value; }

    const QString& error() const { return m_error; }

private:
    Result() = default;
    std::optional<T> m_value;
    QString m_error;
};

// Result for operations that return nothing but may fail.
class Status {
public:
    Status() = default;
    static Status success() { return Status(); }
    static Status failure(QString message) {
        Status s;
        s.m_failed = true;
        s.m_error = std::move(message);
        return s;
    }
    bool ok() const { return !m_failed; }
    explicit operator bool() const { return ok(); }
    const QString& error() const { return m_error; }

private:
    bool m_failed = false;
    QString m_error;
};
