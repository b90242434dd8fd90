#pragma once

#include "domain/TaxTransaction.h"
#include "domain/Timestamp.h"
#include "money/Decimal.h"

#include <QCoreApplication>
#include <QDate>
#include <QHash>
#include <QList>
#include <QMap>
#include <QString>
#include <QStringList>
#include <QStringView>
#include <QTimeZone>

#include <optional>

namespace llamadesk::tax {

// Which country's rules match disposals to acquisitions. Each has its own rule set behind the
// same interface (RuleSet), so another (Canada's adjusted cost base, Germany's one-year
// exemption) is one more class, not a rewrite.
enum class Jurisdiction { UnitedStates, UnitedKingdom };
QString toString(Jurisdiction jurisdiction); // "us", "uk"
std::optional<Jurisdiction> jurisdictionFromString(QStringView text);

// Where US lots are kept: all wallets together (universal) or per wallet. Auto is universal
// before TaxOptions::walletScopeFrom and per wallet from then on (Rev. Proc. 2024-28), with the
// safe-harbor allocation of the remaining basis to wallets at the switch.
enum class LotScope { Universal, Wallet, Auto };
QString toString(LotScope scope); // "universal", "wallet", "auto"
std::optional<LotScope> lotScopeFromString(QStringView text);

// Specific identification: take `amount` of the lot created by the transaction `lotId`.
struct LotSelection {
    QString lotId;
    Decimal amount;
    friend bool operator==(const LotSelection& a, const LotSelection& b) {
        return a.lotId == b.lotId && a.amount == b.amount;
    }
};

// One line of the safe-harbor allocation: this much of lot `lotId` (with this basis) was
// assigned to `wallet` when lots became per wallet. Recorded in the result; passing a recorded
// allocation back in TaxOptions applies it again instead of computing a new one.
struct SafeHarborEntry {
    QString asset;
    QString wallet;
    QString lotId;
    Timestamp acquiredAt;
    Decimal amount;
    Decimal costBasis;
    friend bool operator==(const SafeHarborEntry& a, const SafeHarborEntry& b) {
        return a.asset == b.asset && a.wallet == b.wallet && a.lotId == b.lotId &&
               a.acquiredAt == b.acquiredAt && a.amount == b.amount && a.costBasis == b.costBasis;
    }
};

struct TaxOptions {
    Jurisdiction jurisdiction = Jurisdiction::UnitedStates;

    // US lot method, and per tax year where it differs (the method may change between years).
    CostBasisMethod method = CostBasisMethod::Fifo;
    QMap<int, CostBasisMethod> methodByYear;

    LotScope scope = LotScope::Auto;
    QDate walletScopeFrom = QDate(2025, 1, 1);

    // Dates (acquired, sold, tax year) are dates in this zone.
    QTimeZone timeZone = QTimeZone::utc();
    // The currency of the ledger's value columns and of the report.
    QString currency = QStringLiteral("USD");
    // Symbols that are cash: they have no lots. Compared case-insensitively.
    QStringList fiatCurrencies = defaultFiatCurrencies();

    // Reported period, inclusive, in the tax zone; an invalid date leaves that side open. The
    // whole ledger is still read: lots come from earlier years and the UK 30-day rule looks past
    // the end of the period.
    QDate periodStart;
    QDate periodEnd;

    // A transfer_in and a transfer_out without the same hash are one move when they have the
    // same asset and amount and are at most this far apart.
    qint64 transferWindowSeconds = 24 * 3600;

    // Specific identification: disposal (or transfer_out) transaction id -> lots to take.
    QHash<QString, QList<LotSelection>> lotSelections;

    // A safe-harbor allocation recorded by an earlier run, applied again as it was.
    QList<SafeHarborEntry> safeHarborAllocation;

    // Instants at which to save the lot state (checkpoints for incremental recomputation).
    QList<Timestamp> checkpointsAt;
    // Also keep the lot state at the end of the ledger (for cost_basis_lots).
    bool captureFinalState = false;

    // The defaults of a jurisdiction for one tax year: its period (US: the calendar year; UK:
    // 6 April of `year` to 5 April of the next), time zone (UK: Europe/London) and currency.
    static TaxOptions forTaxYear(Jurisdiction jurisdiction, int year);
    static QStringList defaultFiatCurrencies();

    // The tax year a date belongs to (UK: the year in which that tax year starts).
    int taxYearOf(const QDate& date) const;
    // The first day of the tax year `year`.
    QDate taxYearStart(int year) const;
    CostBasisMethod methodForYear(int year) const;

    // Problems that make these options unusable; empty when they are fine.
    QStringList validate() const;

    Q_DECLARE_TR_FUNCTIONS(TaxOptions)
};

} // namespace llamadesk::tax
