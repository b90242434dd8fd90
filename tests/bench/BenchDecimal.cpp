// Micro-benchmark of Decimal: parse, multiply-add, format and division, in operations per
// second on one thread. Inputs are generated once with a fixed seed, so runs are comparable.

#include "money/Decimal.h"

#include <QByteArray>
#include <QElapsedTimer>
#include <QList>
#include <QRandomGenerator>
#include <QString>
#include <QTextStream>

#include <cstdio>
#include <ctime>
#include <functional>

using llamadesk::Decimal;
using llamadesk::RoundingMode;

namespace {

constexpr int kSamples = 4096;          // distinct inputs, cycled through
constexpr qint64 kMinNanos = 200000000; // length of one measurement round
constexpr int kRounds = 5;

// Typical amounts from an exchange export: 0 to 8 integer digits, 2 to 18 fractional digits.
Decimal randomAmount(QRandomGenerator& rng) {
    const int scale = 2 + static_cast<int>(rng.bounded(17));
    const int integerDigits = static_cast<int>(rng.bounded(9));
    qint64 limit = 1;
    for (int i = 0; i < integerDigits + scale && i < 18; ++i)
        limit *= 10;
    const qint64 scaled = rng.bounded(qint64(1), limit + 1);
    const Decimal d = Decimal::fromScaled(rng.bounded(2) == 0 ? scaled : -scaled, scale);
    return d;
}

struct Measurement {
    double opsPerSecond = 0; // from process CPU time, so other load on the machine matters less
    double nanosPerOp = 0;
    double wallOpsPerSecond = 0;
};

// Runs `batch` (which performs kSamples operations) for kRounds rounds of at least kMinNanos of
// wall time each, and keeps the best round: the figure least disturbed by other processes.
Measurement measure(const std::function<void()>& batch) {
    batch(); // warm up caches and the allocator
    Measurement best;
    for (int round = 0; round < kRounds; ++round) {
        QElapsedTimer timer;
        const std::clock_t cpuStart = std::clock();
        timer.start();
        qint64 ops = 0;
        do {
            batch();
            ops += kSamples;
        } while (timer.nsecsElapsed() < kMinNanos);
        const qint64 wallNanos = timer.nsecsElapsed();
        const double cpuNanos = double(std::clock() - cpuStart) * 1e9 / CLOCKS_PER_SEC;
        const double nanosPerOp = cpuNanos / double(ops);
        if (best.nanosPerOp == 0 || nanosPerOp < best.nanosPerOp) {
            best.nanosPerOp = nanosPerOp;
            best.opsPerSecond = 1e9 / nanosPerOp;
            best.wallOpsPerSecond = double(ops) * 1e9 / double(wallNanos);
        }
    }
    return best;
}

} // namespace

int main() {
    QRandomGenerator rng(20240601);
    QList<Decimal> amounts;
    QList<Decimal> prices;
    QList<Decimal> addends;
    QList<QString> texts;
    QList<QByteArray> utf8;
    for (int i = 0; i < kSamples; ++i) {
        amounts.append(randomAmount(rng));
        // Prices with at most 8 fractional digits; a * b stays far inside the range.
        prices.append(randomAmount(rng).round(8, RoundingMode::HalfEven));
        addends.append(randomAmount(rng));
        texts.append(amounts.last().toString());
        utf8.append(amounts.last().toUtf8());
    }

    size_t sink = 0; // consumed at the end so the work cannot be optimised away
    Decimal acc;

    struct Case {
        const char* name;
        std::function<void()> batch;
    };
    const Case cases[] = {
        {"parse (QString)",
         [&] {
             for (const QString& t : texts)
                 sink += qHash(*Decimal::parse(t));
         }},
        {"parse (UTF-8 bytes)",
         [&] {
             for (const QByteArray& t : utf8)
                 sink += qHash(*Decimal::parse(QByteArrayView(t)));
         }},
        {"multiply-add a*b+c",
         [&] {
             for (int i = 0; i < kSamples; ++i)
                 acc = amounts.at(i) * prices.at(i) + addends.at(i);
             sink += qHash(acc);
         }},
        {"add a+c",
         [&] {
             for (int i = 0; i < kSamples; ++i)
                 acc = amounts.at(i) + addends.at(i);
             sink += qHash(acc);
         }},
        {"format toString()",
         [&] {
             for (const Decimal& d : amounts)
                 sink += size_t(d.toString().size());
         }},
        {"format toUtf8()",
         [&] {
             for (const Decimal& d : amounts)
                 sink += size_t(d.toUtf8().size());
         }},
        {"divide a/b (18 digits)",
         [&] {
             for (int i = 0; i < kSamples; ++i)
                 sink += qHash(amounts.at(i).divided(prices.at(i), 18, RoundingMode::HalfEven));
         }},
        {"round to 2 digits",
         [&] {
             for (const Decimal& d : amounts)
                 sink += qHash(d.round(2, RoundingMode::HalfEven));
         }},
    };

    QTextStream out(stdout);
    out << "Decimal micro-benchmark ("
        << (Decimal::usesNativeInt128() ? "native 128-bit" : "portable 128-bit") << " arithmetic, "
        << kSamples << " distinct inputs)\n";
    out << QStringLiteral("%1 %2 %3 %4\n")
               .arg(QStringLiteral("operation"), -26)
               .arg(QStringLiteral("Mops/s"), 8)
               .arg(QStringLiteral("ns/op"), 7)
               .arg(QStringLiteral("wall Mops/s"), 12);
    for (const Case& bench : cases) {
        const Measurement m = measure(bench.batch);
        out << QStringLiteral("%1 %2 %3 %4\n")
                   .arg(QString::fromLatin1(bench.name), -26)
                   .arg(m.opsPerSecond / 1e6, 8, 'f', 2)
                   .arg(m.nanosPerOp, 7, 'f', 1)
                   .arg(m.wallOpsPerSecond / 1e6, 12, 'f', 2);
        out.flush();
    }
    // Printed so the compiler has to keep every computed value.
    std::fprintf(stderr, "checksum %zu\n", sink);
    return 0;
}
