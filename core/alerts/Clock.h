#pragma once

#include "domain/Timestamp.h"

#include <QtGlobal>

#include <atomic>

namespace llamadesk::alerts {

// Where "now" comes from: the system clock in the app, a hand-set clock in tests (cooldowns and
// daily limits depend on it).
class Clock {
public:
    virtual ~Clock() = default;
    virtual Timestamp now() const = 0;
};

class SystemClock final : public Clock {
public:
    Timestamp now() const override { return Timestamp::now(); }
};

// A clock that only moves when told to. Safe to read from a worker while a test sets it.
class ManualClock final : public Clock {
public:
    explicit ManualClock(const Timestamp& start)
        : m_micros(start.microsecondsSinceEpoch()) {}
    Timestamp now() const override {
        return Timestamp::fromMicrosecondsSinceEpoch(m_micros.load());
    }
    void set(const Timestamp& t) { m_micros.store(t.microsecondsSinceEpoch()); }
    void advanceMinutes(qint64 minutes) { m_micros.fetch_add(minutes * 60 * 1000 * 1000); }

private:
    std::atomic<qint64> m_micros;
};

} // namespace llamadesk::alerts
