#include "tax/persist/LotStateCodec.h"

#include <QDataStream>
#include <QIODevice>

#include <limits>

namespace llamadesk::tax {

namespace {

constexpr quint32 kMagic = 0x4c44544b; // "LDTK"

// Decimals as their canonical text: exact, and independent of the in-memory layout.
void put(QDataStream& out, const Decimal& value) {
    out << value.toUtf8();
}

bool get(QDataStream& in, Decimal* value) {
    QByteArray text;
    in >> text;
    if (in.status() != QDataStream::Ok)
        return false;
    const Result<Decimal> parsed = Decimal::parse(QByteArrayView(text));
    if (!parsed)
        return false;
    *value = parsed.value();
    return true;
}

void put(QDataStream& out, const Timestamp& value) {
    out << qint64(value.isValid() ? value.microsecondsSinceEpoch()
                                  : Timestamp::kMinMicroseconds - 1);
}

bool get(QDataStream& in, Timestamp* value) {
    qint64 micros = 0;
    in >> micros;
    *value = micros < Timestamp::kMinMicroseconds ? Timestamp()
                                                  : Timestamp::fromMicrosecondsSinceEpoch(micros);
    return in.status() == QDataStream::Ok;
}

void put(QDataStream& out, const QDate& date) {
    out << qint64(date.isValid() ? date.toJulianDay() : std::numeric_limits<qint64>::min());
}

bool get(QDataStream& in, QDate* date) {
    qint64 day = 0;
    in >> day;
    *date = day == std::numeric_limits<qint64>::min() ? QDate() : QDate::fromJulianDay(day);
    return in.status() == QDataStream::Ok;
}

} // namespace

QByteArray LotStateCodec::encode(const LotState& s) {
    QByteArray bytes;
    QDataStream out(&bytes, QIODevice::WriteOnly);
    out.setVersion(QDataStream::Qt_6_0);
    out << kMagic << kFormatVersion << qint32(s.jurisdiction);
    put(out, s.at);
    put(out, s.reportFrom);
    out << qint64(s.lots.size());
    for (const LotRecord& l : s.lots) {
        out << l.asset << l.wallet << l.lotId;
        put(out, l.acquiredAt);
        out << l.sequence << l.part;
        put(out, l.amount);
        put(out, l.costBasis);
        put(out, l.unitCost);
        out << l.lossBasis.has_value();
        if (l.lossBasis)
            put(out, *l.lossBasis);
        out << l.unknownBasis;
    }
    out << qint64(s.balances.size());
    for (const WalletBalance& b : s.balances) {
        out << b.asset << b.wallet;
        put(out, b.amount);
    }
    out << s.walletScope << s.allocationDone << qint64(s.safeHarbor.size());
    for (const SafeHarborEntry& e : s.safeHarbor) {
        out << e.asset << e.wallet << e.lotId;
        put(out, e.acquiredAt);
        put(out, e.amount);
        put(out, e.costBasis);
    }
    out << qint64(s.pendingDays.size());
    for (const PendingDay& d : s.pendingDays) {
        out << d.asset;
        put(out, d.date);
        out << d.firstAcquisitionId;
        put(out, d.acquiredAmount);
        put(out, d.acquiredCost);
        put(out, d.matchedAmount);
        put(out, d.matchedCost);
        out << d.unknownBasis << qint64(d.disposals.size());
        for (const PendingDisposal& p : d.disposals) {
            out << p.transactionId << p.transactionHash << p.wallet;
            put(out, p.at);
            put(out, p.amount);
            put(out, p.proceeds);
            out << qint32(p.kind);
        }
    }
    out << s.movedAhead << s.nextSequence << s.nextPart;
    return qCompress(bytes, 1);
}

Result<LotState> LotStateCodec::decode(const QByteArray& compressed) {
    using R = Result<LotState>;
    const QByteArray bytes = qUncompress(compressed);
    if (bytes.isEmpty())
        return R::failure(tr("LotStateCodec: the saved tax state is not readable (not compressed "
                             "data)."));
    QDataStream in(bytes);
    in.setVersion(QDataStream::Qt_6_0);
    quint32 magic = 0;
    quint32 version = 0;
    qint32 jurisdiction = 0;
    in >> magic >> version >> jurisdiction;
    if (in.status() != QDataStream::Ok || magic != kMagic)
        return R::failure(tr("LotStateCodec: the saved tax state has an unknown format."));
    if (version != kFormatVersion)
        return R::failure(tr("LotStateCodec: the saved tax state has format version %1, this "
                             "version reads %2.")
                              .arg(version)
                              .arg(kFormatVersion));
    LotState s;
    s.jurisdiction = Jurisdiction(jurisdiction);
    bool ok = get(in, &s.at) && get(in, &s.reportFrom);
    // Counts are checked against the bytes left, so a damaged count cannot reserve gigabytes.
    const auto count = [&in, &bytes, &ok](qint64* n) {
        in >> *n;
        ok = ok && in.status() == QDataStream::Ok && *n >= 0 && *n <= bytes.size();
        return ok;
    };
    qint64 n = 0;
    if (count(&n)) {
        s.lots.reserve(n);
        for (qint64 i = 0; ok && i < n; ++i) {
            LotRecord l;
            in >> l.asset >> l.wallet >> l.lotId;
            ok = get(in, &l.acquiredAt);
            in >> l.sequence >> l.part;
            ok = ok && get(in, &l.amount) && get(in, &l.costBasis) && get(in, &l.unitCost);
            bool hasLoss = false;
            in >> hasLoss;
            if (ok && hasLoss) {
                Decimal loss;
                ok = get(in, &loss);
                l.lossBasis = loss;
            }
            in >> l.unknownBasis;
            s.lots.append(l);
        }
    }
    if (count(&n)) {
        for (qint64 i = 0; ok && i < n; ++i) {
            WalletBalance b;
            in >> b.asset >> b.wallet;
            ok = get(in, &b.amount);
            s.balances.append(b);
        }
    }
    in >> s.walletScope >> s.allocationDone;
    if (count(&n)) {
        for (qint64 i = 0; ok && i < n; ++i) {
            SafeHarborEntry e;
            in >> e.asset >> e.wallet >> e.lotId;
            ok = get(in, &e.acquiredAt) && get(in, &e.amount) && get(in, &e.costBasis);
            s.safeHarbor.append(e);
        }
    }
    if (count(&n)) {
        for (qint64 i = 0; ok && i < n; ++i) {
            PendingDay d;
            in >> d.asset;
            ok = get(in, &d.date);
            in >> d.firstAcquisitionId;
            ok = ok && get(in, &d.acquiredAmount) && get(in, &d.acquiredCost) &&
                 get(in, &d.matchedAmount) && get(in, &d.matchedCost);
            in >> d.unknownBasis;
            qint64 m = 0;
            if (ok && count(&m)) {
                for (qint64 j = 0; ok && j < m; ++j) {
                    PendingDisposal p;
                    in >> p.transactionId >> p.transactionHash >> p.wallet;
                    ok = get(in, &p.at) && get(in, &p.amount) && get(in, &p.proceeds);
                    qint32 kind = 0;
                    in >> kind;
                    p.kind = DisposalKind(kind);
                    d.disposals.append(p);
                }
            }
            s.pendingDays.append(d);
        }
    }
    in >> s.movedAhead >> s.nextSequence >> s.nextPart;
    if (!ok || in.status() != QDataStream::Ok || !in.atEnd())
        return R::failure(tr("LotStateCodec: the saved tax state is damaged."));
    return s;
}

} // namespace llamadesk::tax
