#include "tax/export/JsonReportWriter.h"

#include "tax/export/ExportFormat.h"

#include <QByteArray>

namespace llamadesk::tax {

namespace {

// A small streaming JSON writer: objects, arrays and string values, with separators handled.
class JsonStream {
public:
    explicit JsonStream(QIODevice* device)
        : m_device(device) {
        m_buffer.reserve(1 << 16);
    }

    void beginObject() { open('{'); }
    void endObject() { close('}'); }
    void beginArray() { open('['); }
    void endArray() { close(']'); }
    void key(const char* name) {
        separator();
        quoted(QString::fromLatin1(name));
        m_buffer.append(':');
        m_afterKey = true;
    }
    void string(const QString& value) {
        separator();
        quoted(value);
    }
    void number(qint64 value) {
        separator();
        m_buffer.append(QByteArray::number(value));
    }
    void boolean(bool value) {
        separator();
        m_buffer.append(value ? "true" : "false");
    }
    void null() {
        separator();
        m_buffer.append("null");
    }
    // name: "text" (or null when the text is empty and nullWhenEmpty is set).
    void field(const char* name, const QString& value, bool nullWhenEmpty = false) {
        key(name);
        if (nullWhenEmpty && value.isEmpty())
            null();
        else
            string(value);
    }
    void newline() {
        m_buffer.append('\n');
        if (m_buffer.size() > (1 << 16))
            flush();
    }
    bool finish() {
        m_buffer.append('\n');
        flush();
        return !m_failed;
    }

private:
    void open(char c) {
        separator();
        m_buffer.append(c);
        m_first = true;
    }
    void close(char c) {
        m_buffer.append(c);
        m_first = false;
    }
    void separator() {
        if (m_afterKey) {
            m_afterKey = false;
            return;
        }
        if (!m_first)
            m_buffer.append(',');
        m_first = false;
    }
    void quoted(QStringView text) {
        m_buffer.append('"');
        for (qsizetype i = 0; i < text.size();) {
            const char16_t c = text[i].unicode();
            if (c >= 0x80) {
                // A run of non-ASCII characters at once, so surrogate pairs stay together.
                qsizetype end = i + 1;
                while (end < text.size() && text[end].unicode() >= 0x80)
                    ++end;
                m_buffer.append(text.mid(i, end - i).toUtf8());
                i = end;
                continue;
            }
            switch (c) {
            case u'"':
                m_buffer.append("\\\"");
                break;
            case u'\\':
                m_buffer.append("\\\\");
                break;
            case u'\n':
                m_buffer.append("\\n");
                break;
            case u'\r':
                m_buffer.append("\\r");
                break;
            case u'\t':
                m_buffer.append("\\t");
                break;
            default:
                if (c < 0x20) {
                    m_buffer.append("\\u00");
                    m_buffer.append("0123456789abcdef"[c >> 4]);
                    m_buffer.append("0123456789abcdef"[c & 0xf]);
                } else {
                    m_buffer.append(char(c));
                }
            }
            ++i;
        }
        m_buffer.append('"');
    }
    void flush() {
        if (m_failed || m_buffer.isEmpty())
            return;
        if (m_device->write(m_buffer) != m_buffer.size())
            m_failed = true;
        m_buffer.clear();
    }

    QIODevice* m_device;
    QByteArray m_buffer;
    bool m_first = true;
    bool m_afterKey = false;
    bool m_failed = false;
};

QString isoDate(const QDate& date) {
    return date.isValid() ? date.toString(Qt::ISODate) : QString();
}

} // namespace

Status JsonReportWriter::write(const TaxResult& result, QIODevice* device) {
    if (!device || !device->isWritable())
        return Status::failure(tr("The JSON report has nowhere to go: the output is not open "
                                  "for writing."));
    const TaxOptions& o = result.options();
    JsonStream j(device);
    j.beginObject();
    j.field("currency", o.currency);
    j.field("jurisdiction", toString(o.jurisdiction));
    j.field("time_zone", QString::fromUtf8(o.timeZone.id()));
    j.key("period");
    j.beginObject();
    j.field("start", isoDate(o.periodStart), true);
    j.field("end", isoDate(o.periodEnd), true);
    j.endObject();
    if (o.jurisdiction == Jurisdiction::UnitedStates) {
        j.field("method", llamadesk::toString(o.method));
        j.field("scope", toString(o.scope));
    }

    const TaxSummary s = result.summary();
    j.key("summary");
    j.beginObject();
    j.key("total_transactions");
    j.number(s.totalTransactions);
    j.field("short_term_gains", ExportFormat::money(s.shortTermGains));
    j.field("long_term_gains", ExportFormat::money(s.longTermGains));
    j.field("total_capital_gains", ExportFormat::money(s.totalCapitalGains));
    j.field("total_capital_losses", ExportFormat::money(s.totalCapitalLosses));
    j.field("net_capital_gains", ExportFormat::money(s.netCapitalGains));
    j.field("total_income", ExportFormat::money(s.totalIncome));
    j.field("total_expenses", ExportFormat::money(s.totalExpenses));
    j.endObject();
    j.newline();

    j.key("disposals");
    j.beginArray();
    for (int i = 0; i < result.disposalCount(); ++i) {
        const Disposal d = result.printedDisposal(i);
        j.newline();
        j.beginObject();
        j.field("transaction_id", d.transactionId);
        j.field("transaction_hash", d.transactionHash, true);
        j.key("transaction_count");
        j.number(d.transactionCount);
        j.field("description", d.description());
        j.field("asset", d.asset);
        j.field("wallet", d.wallet, true);
        j.field("kind", toString(d.kind));
        j.field("date_acquired",
                d.variousAcquired ? QStringLiteral("VARIOUS") : isoDate(d.dateAcquired), true);
        j.field("date_sold", isoDate(d.dateSold));
        j.field("sold_at", d.soldAt.toString());
        j.field("amount", d.amount.toString());
        j.field("proceeds", ExportFormat::money(d.proceeds));
        j.field("cost_basis", ExportFormat::money(d.costBasis));
        j.field("gain", ExportFormat::money(d.gain));
        j.field("term", toString(d.term));
        j.key("lots");
        j.beginArray();
        for (const LotMatch& m : d.lots) {
            j.beginObject();
            j.field("rule", toString(m.rule));
            j.field("lot_id", m.lotId, true);
            j.field("date_acquired", isoDate(m.acquired), true);
            j.field("amount", m.amount.toString());
            j.field("cost_basis", ExportFormat::money(m.costBasis));
            j.field("proceeds", ExportFormat::money(m.proceeds));
            j.field("gain", ExportFormat::money(m.gain()));
            j.field("term", toString(m.term));
            j.key("holding_days");
            j.number(m.holdingDays);
            j.key("unknown_basis");
            j.boolean(m.unknownBasis);
            j.endObject();
        }
        j.endArray();
        j.endObject();
    }
    j.endArray();
    j.newline();

    for (int pass = 0; pass < 2; ++pass) {
        j.key(pass == 0 ? "income" : "expenses");
        j.beginArray();
        const int count = pass == 0 ? result.incomeCount() : result.expenseCount();
        for (int i = 0; i < count; ++i) {
            const IncomeLine line = pass == 0 ? result.printedIncome(i) : result.printedExpense(i);
            j.newline();
            j.beginObject();
            j.field("transaction_id", line.transactionId);
            j.field("transaction_hash", line.transactionHash, true);
            j.field("type", llamadesk::toString(line.type));
            j.field("asset", line.asset);
            j.field("wallet", line.wallet);
            j.field("date", isoDate(line.date));
            j.field("at", line.at.toString());
            j.field("amount", line.amount.toString());
            j.field("value", ExportFormat::money(line.value));
            j.endObject();
        }
        j.endArray();
        j.newline();
    }

    j.key("warnings");
    j.beginArray();
    for (int i = 0; i < result.warningCount(); ++i) {
        const TaxWarning w = result.warning(i);
        j.newline();
        j.beginObject();
        j.field("code", toString(w.code));
        j.field("transaction_id", w.transactionId, true);
        j.field("asset", w.asset, true);
        j.field("wallet", w.wallet, true);
        j.field("date", isoDate(w.date));
        j.field("amount", w.amount.toString());
        j.field("message", w.message);
        j.endObject();
    }
    j.endArray();
    j.newline();

    j.key("holdings");
    j.beginArray();
    for (int i = 0; i < result.holdings().size(); ++i) {
        const Holding h = result.printedHolding(i);
        j.newline();
        j.beginObject();
        j.field("asset", h.asset);
        j.field("wallet", h.wallet, true);
        j.field("amount", h.amount.toString());
        j.field("cost_basis", ExportFormat::money(h.costBasis));
        j.key("lots");
        j.number(h.lots);
        j.endObject();
    }
    j.endArray();
    j.newline();

    j.key("safe_harbor_allocation");
    j.beginArray();
    for (const SafeHarborEntry& e : result.safeHarborAllocation()) {
        j.newline();
        j.beginObject();
        j.field("asset", e.asset);
        j.field("wallet", e.wallet);
        j.field("lot_id", e.lotId);
        j.field("acquired_at", e.acquiredAt.toString());
        j.field("amount", e.amount.toString());
        j.field("cost_basis", e.costBasis.toString());
        j.endObject();
    }
    j.endArray();
    j.endObject();
    if (!j.finish())
        return Status::failure(tr("Writing the JSON report failed: %1").arg(device->errorString()));
    return Status::success();
}

} // namespace llamadesk::tax
