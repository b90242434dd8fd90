#include "tax/export/PdfReportWriter.h"

#include "tax/export/PdfDocument.h"

#include <QStringList>

#include <functional>
#include <vector>

namespace llamadesk::tax {

namespace {

constexpr double kMargin = 36;
constexpr double kTableSize = 7.5;
constexpr double kLineHeight = 10;

struct Column {
    QString title;
    int width;          // characters
    bool right = false; // numbers
};

// Lays tables out page after page, with a running title, the column heads on every page and
// page numbers at the foot.
class Layout {
public:
    Layout(PdfDocument* pdf, QString footer)
        : m_pdf(pdf)
        , m_footer(std::move(footer)) {}

    void newPage() {
        if (m_open)
            closePage();
        m_pdf->beginPage();
        m_open = true;
        m_y = kMargin + 10;
        ++m_page;
    }

    void title(const QString& text, double size = 14) {
        ensure(size + 12);
        m_pdf->text(kMargin, m_y, PdfDocument::Font::Bold, size, text);
        m_y += size + 8;
    }

    void paragraph(const QString& text, double size = 9) {
        ensure(size + 4);
        m_pdf->text(kMargin, m_y, PdfDocument::Font::Regular, size, text);
        m_y += size + 4;
    }

    void keyValue(const QString& key, const QString& value) {
        ensure(14);
        m_pdf->text(kMargin, m_y, PdfDocument::Font::Regular, 10, key);
        m_pdf->monoRight(kMargin + 400, m_y, 10, value);
        m_y += 14;
    }

    void gap(double points) { m_y += points; }

    void beginTable(const QString& heading, std::vector<Column> columns) {
        m_heading = heading;
        m_columns = std::move(columns);
        ensure(3 * kLineHeight + 20);
        tableHead();
    }

    void row(const QStringList& cells, bool bold = false) {
        if (m_y + kLineHeight > bottom()) {
            newPage();
            tableHead();
        }
        double x = kMargin;
        for (size_t i = 0; i < m_columns.size() && i < size_t(cells.size()); ++i) {
            const Column& c = m_columns[i];
            QString cell = cells[int(i)];
            if (cell.size() > c.width)
                cell = cell.left(c.width - 3) + QLatin1String("...");
            const double width =
                PdfDocument::monoWidth(QString(c.width, QLatin1Char(' ')), kTableSize);
            if (c.right)
                m_pdf->monoRight(x + width, m_y, kTableSize, cell);
            else
                m_pdf->text(x, m_y, PdfDocument::Font::Mono, kTableSize, cell);
            x += width + 6;
        }
        if (bold)
            m_pdf->line(kMargin, m_y - kLineHeight + 2, x - 6, m_y - kLineHeight + 2, 0.5);
        m_y += kLineHeight;
    }

    void endTable() { m_y += 8; }

    void finish() {
        if (m_open)
            closePage();
    }

private:
    double bottom() const { return m_pdf->pageHeight() - kMargin - 14; }

    void ensure(double height) {
        if (!m_open || m_y + height > bottom())
            newPage();
    }

    void tableHead() {
        m_pdf->text(kMargin, m_y, PdfDocument::Font::Bold, 10, m_heading);
        m_y += 14;
        double x = kMargin;
        for (const Column& c : m_columns) {
            const double width =
                PdfDocument::monoWidth(QString(c.width, QLatin1Char(' ')), kTableSize);
            const QString head = c.title.left(c.width);
            if (c.right)
                m_pdf->monoRight(x + width, m_y, kTableSize, head);
            else
                m_pdf->text(x, m_y, PdfDocument::Font::Mono, kTableSize, head);
            x += width + 6;
        }
        m_pdf->line(kMargin, m_y + 3, x - 6, m_y + 3, 0.5);
        m_y += kLineHeight + 2;
    }

    void closePage() {
        m_pdf->text(kMargin, m_pdf->pageHeight() - kMargin + 6, PdfDocument::Font::Regular, 7,
                    m_footer);
        const QString page = PdfReportWriter::tr("Page %1").arg(m_page);
        m_pdf->monoRight(m_pdf->pageWidth() - kMargin, m_pdf->pageHeight() - kMargin + 6, 7, page);
        m_pdf->endPage();
        m_open = false;
    }

    PdfDocument* m_pdf;
    QString m_footer;
    bool m_open = false;
    double m_y = 0;
    int m_page = 0;
    QString m_heading;
    std::vector<Column> m_columns;
};

QString usOrIso(const QDate& date, bool us) {
    return us ? ExportFormat::usDate(date) : date.toString(Qt::ISODate);
}

} // namespace

Status PdfReportWriter::write(const TaxResult& result, QIODevice* device,
                              const ExportOptions& options) {
    const TaxOptions& o = result.options();
    const bool us = o.jurisdiction == Jurisdiction::UnitedStates;
    if (us) {
        if (Status s = ExportFormat::checkUsForm(result, options, QStringLiteral("PDF")); !s)
            return s;
    }
    if (!device || !device->isWritable())
        return Status::failure(tr("The PDF report has nowhere to go: the output is not open for "
                                  "writing."));
    PdfDocument pdf(device, us ? 612 : 595.28, us ? 792 : 841.89);
    const QString period =
        o.periodStart.isValid() || o.periodEnd.isValid()
            ? tr("%1 to %2").arg(usOrIso(o.periodStart, us), usOrIso(o.periodEnd, us))
            : tr("the whole ledger");
    const QString heading = us ? tr("Capital gains and income (United States)")
                               : tr("Capital gains and income (United Kingdom)");
    Layout page(&pdf, heading + QLatin1String(" - ") + period);

    // Summary.
    page.newPage();
    page.title(heading, 16);
    page.paragraph(tr("Period: %1. Currency: %2. Dates in the time zone %3.")
                       .arg(period, o.currency, QString::fromUtf8(o.timeZone.id())));
    if (us) {
        page.paragraph(tr("Lot method: %1. Lots kept: %2. Form 8949 boxes: %3 (short term), "
                          "%4 (long term).")
                           .arg(llamadesk::toString(o.method), toString(o.scope))
                           .arg(options.shortTermBox)
                           .arg(options.longTermBox));
    } else {
        page.paragraph(tr("Matching: same day, then the next 30 days, then the section 104 "
                          "pool (HMRC Cryptoassets Manual CRYPTO22200 onward)."));
    }
    page.gap(8);
    const TaxSummary s = result.summary();
    page.title(tr("Summary"), 12);
    page.keyValue(tr("Transactions in the period"), QString::number(s.totalTransactions));
    if (us) {
        page.keyValue(tr("Short-term gain or (loss)"), ExportFormat::money(s.shortTermGains));
        page.keyValue(tr("Long-term gain or (loss)"), ExportFormat::money(s.longTermGains));
    }
    page.keyValue(tr("Total capital gains"), ExportFormat::money(s.totalCapitalGains));
    page.keyValue(tr("Total capital losses"), ExportFormat::money(s.totalCapitalLosses));
    page.keyValue(tr("Net capital gain or (loss)"), ExportFormat::money(s.netCapitalGains));
    page.keyValue(tr("Income"), ExportFormat::money(s.totalIncome));
    page.keyValue(tr("Expenses paid with crypto"), ExportFormat::money(s.totalExpenses));
    page.keyValue(tr("Warnings"), QString::number(result.warningCount()));
    page.gap(8);

    if (!result.holdings().isEmpty()) {
        page.beginTable(tr("Holdings at the end of the period"), {{tr("Asset"), 14},
                                                                  {tr("Wallet"), 24},
                                                                  {tr("Amount"), 34, true},
                                                                  {tr("Cost basis"), 18, true}});
        Decimal total;
        for (int i = 0; i < result.holdings().size(); ++i) {
            const Holding h = result.printedHolding(i);
            page.row({h.asset, h.wallet.isEmpty() ? tr("(all)") : h.wallet, h.amount.toString(),
                      ExportFormat::money(h.costBasis)});
            total += h.costBasis;
        }
        page.row({tr("Total"), QString(), QString(), ExportFormat::money(total)}, true);
        page.endTable();
    }

    // Disposals.
    const std::vector<Column> disposalColumns = {{tr("(a) Description"), 32},
                                                 {tr("(b) Acquired"), 12},
                                                 {tr("(c) Sold"), 10},
                                                 {tr("(d) Proceeds"), 16, true},
                                                 {tr("(e) Cost basis"), 16, true},
                                                 {tr("(h) Gain/(loss)"), 16, true}};
    const QList<Term> terms = us ? QList<Term>{Term::Short, Term::Long} : QList<Term>{Term::None};
    for (const Term term : terms) {
        QString title;
        if (term == Term::Short)
            title = tr("Form 8949 Part I - Short-term, box %1").arg(options.shortTermBox);
        else if (term == Term::Long)
            title = tr("Form 8949 Part II - Long-term, box %1").arg(options.longTermBox);
        else
            title = tr("Disposals (one line per token and day)");
        page.newPage();
        page.beginTable(title, disposalColumns);
        Decimal proceeds;
        Decimal cost;
        Decimal gain;
        for (int i = 0; i < result.disposalCount(); ++i) {
            const Disposal d = result.printedDisposal(i);
            if (d.term != term)
                continue;
            QString acquired;
            if (d.variousAcquired)
                acquired = QStringLiteral("VARIOUS");
            else if (!d.lots.isEmpty() && d.lots.first().rule == MatchRule::Pool)
                acquired = tr("POOL");
            else
                acquired = usOrIso(d.dateAcquired, us);
            page.row({d.description(), acquired, usOrIso(d.dateSold, us),
                      ExportFormat::money(d.proceeds), ExportFormat::money(d.costBasis),
                      ExportFormat::money(d.gain)});
            proceeds += d.proceeds;
            cost += d.costBasis;
            gain += d.gain;
        }
        page.row({tr("Totals"), QString(), QString(), ExportFormat::money(proceeds),
                  ExportFormat::money(cost), ExportFormat::money(gain)},
                 true);
        page.endTable();
    }

    // Income and expenses.
    for (int pass = 0; pass < 2; ++pass) {
        const int count = pass == 0 ? result.incomeCount() : result.expenseCount();
        if (count == 0)
            continue;
        page.newPage();
        page.beginTable(pass == 0 ? tr("Income (fair market value when received)")
                                  : tr("Expenses paid with crypto"),
                        {{tr("Date"), 10},
                         {tr("Type"), 15},
                         {tr("Asset"), 10},
                         {tr("Amount"), 30, true},
                         {tr("Value"), 16, true},
                         {tr("Wallet"), 16}});
        Decimal total;
        for (int i = 0; i < count; ++i) {
            const IncomeLine line = pass == 0 ? result.printedIncome(i) : result.printedExpense(i);
            page.row({usOrIso(line.date, us), llamadesk::toString(line.type), line.asset,
                      line.amount.toString(), ExportFormat::money(line.value), line.wallet});
            total += line.value;
        }
        page.row({tr("Total"), QString(), QString(), QString(), ExportFormat::money(total)}, true);
        page.endTable();
    }

    // Warnings, with their messages wrapped over several lines.
    if (result.warningCount() > 0) {
        page.newPage();
        page.beginTable(tr("Warnings"), {{tr("Date"), 10}, {tr("Code"), 24}, {tr("Message"), 72}});
        for (int i = 0; i < result.warningCount(); ++i) {
            const TaxWarning w = result.warning(i);
            QString message = w.message;
            if (!w.transactionId.isEmpty())
                message += QLatin1String(" [") + w.transactionId + QLatin1Char(']');
            QStringList lines;
            while (message.size() > 72) {
                qsizetype cut = message.lastIndexOf(QLatin1Char(' '), 72);
                if (cut <= 0)
                    cut = 72;
                lines << message.left(cut);
                message = message.mid(cut).trimmed();
            }
            lines << message;
            for (int k = 0; k < lines.size(); ++k)
                page.row({k == 0 ? usOrIso(w.date, us) : QString(),
                          k == 0 ? toString(w.code) : QString(), lines[k]});
        }
        page.endTable();
    }
    page.finish();
    return pdf.finish(heading);
}

} // namespace llamadesk::tax
