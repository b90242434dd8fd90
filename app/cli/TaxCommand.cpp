#include "TaxCommand.h"

#include "CliApplication.h"
#include "Terminal.h"
#include "domain/Uuid.h"
#include "import/LedgerReader.h"
#include "store/LocalUser.h"
#include "tax/LedgerFileTax.h"
#include "tax/LotSelectionFile.h"
#include "tax/TaxEngine.h"
#include "tax/export/CsvReportWriter.h"
#include "tax/export/Form8949Writer.h"
#include "tax/export/JsonReportWriter.h"
#include "tax/export/PdfReportWriter.h"
#include "tax/export/ScheduleDWriter.h"
#include "tax/export/TaxActWriter.h"
#include "tax/export/TurboTaxWriter.h"
#include "tax/persist/LotSelectionRepository.h"
#include "tax/persist/VaultTaxRun.h"
#include "vault/Vault.h"

#include <QCoreApplication>
#include <QFile>
#include <QFileInfo>
#include <QHash>
#include <QRegularExpression>
#include <QSaveFile>
#include <QSet>
#include <QSqlQuery>
#include <QUrl>

#include <cstdio>

namespace llamadesk::cli {

namespace {

QString tr(const char* text) {
    return QCoreApplication::translate("llamadesk::cli::TaxCommand", text);
}

const QStringList kFormats = {QStringLiteral("json"),     QStringLiteral("csv"),
                              QStringLiteral("8949"),     QStringLiteral("schedule-d"),
                              QStringLiteral("turbotax"), QStringLiteral("taxact"),
                              QStringLiteral("pdf")};

// How a tax_reports row names the file format (the seed knows only these four).
std::optional<ReportFormat> reportFormatOf(const QString& format) {
    if (format == QLatin1String("pdf"))
        return ReportFormat::Pdf;
    if (format == QLatin1String("csv"))
        return ReportFormat::Csv;
    if (format == QLatin1String("turbotax"))
        return ReportFormat::TurboTax;
    if (format == QLatin1String("taxact"))
        return ReportFormat::TaxAct;
    return std::nullopt;
}

// Resolves the names of a selection file (ids or transaction hashes) to transaction ids.
// `lookup` gives the live ids that carry a hash.
using HashLookup = std::function<Result<QStringList>(const QString& hash)>;
using IdExists = std::function<Result<bool>(const QString& id)>;

Result<QHash<QString, QList<tax::LotSelection>>>
resolveSelections(const QList<tax::LotSelectionLine>& lines, const QString& file,
                  const IdExists& exists, const HashLookup& lookup) {
    using R = Result<QHash<QString, QList<tax::LotSelection>>>;
    QHash<QString, QList<tax::LotSelection>> out;
    const auto resolve = [&](const QString& name, qint64 line, const char* column,
                             QString* id) -> Status {
        const QString lower = name.toLower();
        if (isCanonicalUuid(lower)) {
            Result<bool> found = exists(lower);
            if (!found)
                return Status::failure(found.error());
            if (found.value()) {
                *id = lower;
                return Status::success();
            }
        }
        Result<QStringList> ids = lookup(name);
        if (!ids)
            return Status::failure(ids.error());
        if (ids->size() == 1) {
            *id = ids->constFirst();
            return Status::success();
        }
        return Status::failure(
            ids->isEmpty()
                ? tr("%1:%2: column '%3': no transaction has the id or hash '%4'")
                      .arg(file)
                      .arg(line)
                      .arg(QString::fromLatin1(column), name)
                : tr("%1:%2: column '%3': %4 transactions have the hash '%5'; name one by its id")
                      .arg(file)
                      .arg(line)
                      .arg(QString::fromLatin1(column))
                      .arg(ids->size())
                      .arg(name));
    };
    for (const tax::LotSelectionLine& l : lines) {
        QString disposal;
        QString lot;
        if (Status s = resolve(l.disposal, l.line, "disposal", &disposal); !s)
            return R::failure(s.error());
        if (Status s = resolve(l.lot, l.line, "lot", &lot); !s)
            return R::failure(s.error());
        out[disposal].append({lot, l.amount});
    }
    return out;
}

} // namespace

void TaxCommand::addOptions(CliApplication& app, QCommandLineParser& parser) {
    app.addDatabaseOptions(parser);
    parser.addOptions({
        {QStringLiteral("ledger"),
         tr("Compute from a ledger CSV (canonical, Koinly or CoinTracker) instead of the vault; "
            "nothing is saved."),
         tr("FILE")},
        {QStringLiteral("year"),
         tr("The tax year (US: the calendar year; UK: 6 April YEAR to 5 April YEAR+1)."),
         tr("YYYY")},
        {QStringLiteral("from"), tr("First day of the period (YYYY-MM-DD), with --to."),
         tr("DATE")},
        {QStringLiteral("to"), tr("Last day of the period, inclusive (YYYY-MM-DD)."), tr("DATE")},
        {QStringLiteral("jurisdiction"), tr("us (default) or uk."), tr("CODE")},
        {QStringLiteral("method"), tr("US lot method: fifo (default), lifo, hifo or specific."),
         tr("METHOD")},
        {QStringLiteral("scope"),
         tr("US lot scope: universal, wallet, or auto (default: universal before 2025, per wallet "
            "from 2025)."),
         tr("SCOPE")},
        {QStringLiteral("currency"),
         tr("The fiat currency of the ledger's value columns (default USD; UK: GBP)."), tr("CODE")},
        {QStringLiteral("timezone"),
         tr("IANA time zone of the tax dates (default UTC; UK: Europe/London)."), tr("ZONE")},
        {QStringLiteral("format"),
         tr("json (default), csv, 8949, schedule-d, turbotax, taxact or pdf."), tr("FORMAT")},
        {QStringLiteral("out"),
         tr("Write to FILE (atomically) instead of stdout; required for pdf."), tr("FILE")},
        {QStringLiteral("lot-selections"),
         tr("Specific identification input: CSV with the columns disposal,lot,amount (ids or "
            "transaction hashes)."),
         tr("FILE")},
        {QStringLiteral("short-box"), tr("Form 8949 box for short-term rows: G, H or I (default)."),
         tr("BOX")},
        {QStringLiteral("long-box"), tr("Form 8949 box for long-term rows: J, K or L (default)."),
         tr("BOX")},
        {QStringLiteral("full"),
         tr("Recompute from the first transaction instead of the latest valid checkpoint.")},
        {QStringLiteral("no-save"),
         tr("Do not save lots, checkpoints and the report summary in the vault.")},
        {QStringLiteral("verbose"), tr("Print what the run did on stderr.")},
    });
}

int TaxCommand::badOption(const QString& option, const QString& why) const {
    m_app.fail(tr("--%1: %2").arg(option, why));
    return BadOptions;
}

bool TaxCommand::parseOptions(const QCommandLineParser& p) {
    const auto bad = [this](const char* option, const QString& why) {
        m_exit = badOption(QString::fromLatin1(option), why);
        return false;
    };
    const auto value = [&p](const char* option) {
        return p.value(QString::fromLatin1(option));
    };
    const auto isSet = [&p](const char* option) {
        return p.isSet(QString::fromLatin1(option));
    };

    tax::Jurisdiction jurisdiction = tax::Jurisdiction::UnitedStates;
    if (isSet("jurisdiction")) {
        const std::optional<tax::Jurisdiction> j =
            tax::jurisdictionFromString(value("jurisdiction").toLower());
        if (!j)
            return bad("jurisdiction",
                       tr("'%1' is not a jurisdiction (us or uk)").arg(value("jurisdiction")));
        jurisdiction = *j;
    }

    QDate from;
    QDate to;
    int year = 0;
    if (isSet("year")) {
        if (isSet("from") || isSet("to"))
            return bad("year", tr("give either --year or --from and --to, not both"));
        bool ok = false;
        year = value("year").toInt(&ok);
        if (!ok || year < 1970 || year > 9998)
            return bad("year", tr("'%1' is not a year (YYYY, 1970 to 9998)").arg(value("year")));
    } else if (isSet("from") || isSet("to")) {
        if (!isSet("from") || !isSet("to"))
            return bad(isSet("from") ? "to" : "from", tr("--from and --to go together"));
        from = QDate::fromString(value("from"), Qt::ISODate);
        to = QDate::fromString(value("to"), Qt::ISODate);
        if (!from.isValid())
            return bad("from", tr("'%1' is not a date (YYYY-MM-DD)").arg(value("from")));
        if (!to.isValid())
            return bad("to", tr("'%1' is not a date (YYYY-MM-DD)").arg(value("to")));
        if (to < from)
            return bad(
                "to",
                tr("the period ends (%1) before it starts (%2)").arg(value("to"), value("from")));
    }
    // The jurisdiction's defaults (zone, currency, UK pooling scope), then the period.
    m_options = tax::TaxOptions::forTaxYear(jurisdiction, year > 0         ? year
                                                          : from.isValid() ? from.year()
                                                                           : 2000);
    if (year == 0) {
        m_options.periodStart = from;
        m_options.periodEnd = to;
    }

    const bool uk = jurisdiction == tax::Jurisdiction::UnitedKingdom;
    if (isSet("method")) {
        const QString m = value("method").toLower();
        const std::optional<CostBasisMethod> method =
            m == QLatin1String("fifo")       ? std::optional(CostBasisMethod::Fifo)
            : m == QLatin1String("lifo")     ? std::optional(CostBasisMethod::Lifo)
            : m == QLatin1String("hifo")     ? std::optional(CostBasisMethod::Hifo)
            : m == QLatin1String("specific") ? std::optional(CostBasisMethod::Specific)
                                             : std::nullopt;
        if (!method)
            return bad(
                "method",
                tr("'%1' is not a method (fifo, lifo, hifo or specific)").arg(value("method")));
        if (uk && *method != CostBasisMethod::Fifo)
            return bad("method", tr("UK rules match by same day, 30 days and the section 104 "
                                    "pool; there is no lot method to choose"));
        m_options.method = *method;
    }
    if (isSet("scope")) {
        const std::optional<tax::LotScope> scope =
            tax::lotScopeFromString(value("scope").toLower());
        if (!scope)
            return bad("scope",
                       tr("'%1' is not a scope (universal, wallet or auto)").arg(value("scope")));
        if (uk && *scope != tax::LotScope::Universal)
            return bad("scope", tr("UK rules keep one pool per token across wallets"));
        m_options.scope = *scope;
    }
    if (isSet("currency")) {
        const QString code = value("currency").toUpper();
        static const QRegularExpression iso(QStringLiteral("^[A-Z]{3}$"));
        if (!iso.match(code).hasMatch())
            return bad("currency",
                       tr("'%1' is not an ISO 4217 code (three letters)").arg(value("currency")));
        m_options.currency = code;
    }
    if (isSet("timezone")) {
        const QTimeZone zone(value("timezone").toUtf8());
        if (!zone.isValid())
            return bad("timezone",
                       tr("'%1' is not an IANA time zone (for example America/New_York)")
                           .arg(value("timezone")));
        m_options.timeZone = zone;
    }
    m_format = isSet("format") ? value("format").toLower() : QStringLiteral("json");
    if (!kFormats.contains(m_format))
        return bad("format", tr("'%1' is not a format (%2)")
                                 .arg(value("format"), kFormats.join(QStringLiteral(", "))));
    const bool usForm =
        m_format == QLatin1String("8949") || m_format == QLatin1String("schedule-d") ||
        m_format == QLatin1String("turbotax") || m_format == QLatin1String("taxact");
    if (uk && usForm)
        return bad("format",
                   tr("%1 is a US form; a UK report can be json, csv or pdf").arg(m_format));
    m_out = value("out");
    if (m_format == QLatin1String("pdf") && m_out.isEmpty())
        return bad("out", tr("a PDF is binary: give the file to write with --out"));
    const auto box = [&](const char* option, const QString& allowed, QChar* target) {
        if (!isSet(option))
            return true;
        const QString b = value(option).toUpper();
        if (b.size() != 1 || !allowed.contains(b))
            return bad(option, tr("'%1' is not one of the boxes %2").arg(value(option), allowed));
        *target = b.at(0);
        return true;
    };
    if (!box("short-box", QStringLiteral("GHI"), &m_exportOptions.shortTermBox) ||
        !box("long-box", QStringLiteral("JKL"), &m_exportOptions.longTermBox))
        return false;
    m_selectionsPath = value("lot-selections");
    if (!m_selectionsPath.isEmpty() && m_options.method != CostBasisMethod::Specific)
        return bad("lot-selections", tr("lot selections need --method specific"));
    m_verbose = isSet("verbose");
    m_full = isSet("full");
    m_save = !isSet("no-save");
    if (isSet("ledger") && (isSet("db") || isSet("passphrase-file")))
        return bad("ledger", tr("--ledger computes without a vault; do not give --db as well"));
    if (isSet("ledger") && (m_full || !m_save))
        return bad(m_full ? "full" : "no-save", tr("only for a vault run (without --ledger)"));
    const QStringList problems = m_options.validate();
    if (!problems.isEmpty())
        return bad("jurisdiction", problems.join(QLatin1Char(' ')));
    return true;
}

int TaxCommand::run(QCommandLineParser& parser) {
    if (!parseOptions(parser))
        return m_exit;
    const QString ledger = parser.value(QStringLiteral("ledger"));
    if (parser.isSet(QStringLiteral("ledger")))
        return runLedger(ledger);
    return runVault(parser);
}

int TaxCommand::runLedger(const QString& path) {
    import::ReadOptions read;
    read.valueCurrency = m_options.currency;
    read.fiatCurrencies = m_options.fiatCurrencies;

    tax::LedgerFileTax::SelectionResolver resolver;
    QList<tax::LotSelectionLine> lines;
    bool selectionsFailed = false;
    if (!m_selectionsPath.isEmpty()) {
        Result<QList<tax::LotSelectionLine>> loaded = tax::LotSelectionFile::read(m_selectionsPath);
        if (!loaded) {
            m_app.fail(loaded.error());
            return BadOptions;
        }
        lines = loaded.value();
        resolver = [&](const QList<TaxTransaction>& rows) {
            QHash<QString, QStringList> byHash;
            QSet<QString> ids;
            for (const TaxTransaction& t : rows) {
                byHash[t.transactionHash].append(t.id);
                ids.insert(t.id);
            }
            auto selections = resolveSelections(
                lines, m_selectionsPath,
                [&ids](const QString& id) { return Result<bool>(ids.contains(id)); },
                [&byHash](const QString& hash) { return Result<QStringList>(byHash.value(hash)); });
            selectionsFailed = !selections.ok();
            return selections;
        };
    }

    tax::LedgerFileOutcome outcome;
    Result<tax::TaxResult> result =
        tax::LedgerFileTax::compute(path, m_options, read, &outcome, resolver);
    if (outcome.problemCount > 0) {
        for (const import::ImportProblem& problem : outcome.problems)
            terminal::printError(problem.toString());
        m_app.fail(result.ok() ? tr("%1: the ledger has problems").arg(path) : result.error());
        return BadLedger;
    }
    if (!result) {
        m_app.fail(result.error());
        return selectionsFailed ? BadOptions : Failed;
    }
    if (m_verbose)
        terminal::printError(tr("tax: %1 transactions from %2 (%3)")
                                 .arg(outcome.rows)
                                 .arg(path)
                                 .arg(outcome.streamed ? tr("streamed") : tr("read whole")));
    qint64 bytes = 0;
    return writeOutput(result.value(), &bytes);
}

int TaxCommand::runVault(QCommandLineParser& parser) {
    std::unique_ptr<vault::Vault> opened = m_app.unlock(parser);
    if (!opened)
        return Failed;
    QSqlDatabase db = opened->database();
    if (!m_selectionsPath.isEmpty()) {
        Result<QList<tax::LotSelectionLine>> lines = tax::LotSelectionFile::read(m_selectionsPath);
        if (!lines) {
            m_app.fail(lines.error());
            return BadOptions;
        }
        const auto exists = [&db](const QString& id) -> Result<bool> {
            QSqlQuery q(db);
            q.prepare(QStringLiteral("SELECT 1 FROM tax_transactions WHERE id = ? AND "
                                     "deleted_at IS NULL"));
            q.addBindValue(id);
            if (!q.exec())
                return Result<bool>::failure(tr("reading the lot selections' transactions failed"));
            return q.next();
        };
        const auto byHash = [&db](const QString& hash) -> Result<QStringList> {
            QSqlQuery q(db);
            q.prepare(QStringLiteral("SELECT id FROM tax_transactions WHERE transaction_hash = ? "
                                     "AND deleted_at IS NULL LIMIT 2"));
            q.addBindValue(hash);
            if (!q.exec())
                return Result<QStringList>::failure(
                    tr("reading the lot selections' transactions failed"));
            QStringList ids;
            while (q.next())
                ids.append(q.value(0).toString());
            return ids;
        };
        Result<QHash<QString, QList<tax::LotSelection>>> selections =
            resolveSelections(lines.value(), m_selectionsPath, exists, byHash);
        if (!selections) {
            m_app.fail(selections.error());
            return BadOptions;
        }
        m_options.lotSelections = selections.value();
    } else if (m_options.method == CostBasisMethod::Specific) {
        // Without a file, the Specific-ID choices saved in the vault (made in the app) apply.
        Result<QString> user = store::LocalUser::ensure(db);
        if (!user) {
            m_app.fail(user.error());
            return Failed;
        }
        tax::LotSelectionRepository saved(db);
        Result<QHash<QString, QList<tax::LotSelection>>> chosen = saved.all(user.value());
        if (!chosen) {
            m_app.fail(chosen.error());
            return Failed;
        }
        m_options.lotSelections = chosen.value();
    }

    tax::VaultRunOptions runOptions;
    runOptions.incremental = !m_full;
    const vault::Vault* source = opened.get();
    runOptions.openReader = [source](const QString& name, QString* error) {
        return source->openConnection(name, error);
    };
    tax::VaultTaxRun run(db, m_options, runOptions);
    Result<tax::TaxResult> result = run.compute();
    if (!result) {
        m_app.fail(result.error());
        return Failed;
    }
    qint64 bytes = 0;
    if (const int code = writeOutput(result.value(), &bytes); code != Ok)
        return code;
    if (m_save) {
        tax::ReportFileInfo file;
        file.format = reportFormatOf(m_format);
        if (!m_out.isEmpty()) {
            file.fileUrl = QUrl::fromLocalFile(QFileInfo(m_out).absoluteFilePath()).toString();
            if (file.fileUrl.size() > 500)
                file.fileUrl.clear(); // the column holds 500 characters; the path is optional
            file.sizeBytes = bytes;
        }
        if (Status s = run.save(result.value(), file); !s) {
            m_app.fail(s.error());
            return Failed;
        }
    }
    if (m_verbose) {
        const tax::VaultRunStats& st = run.stats();
        terminal::printError(
            tr("tax: %1 transactions read, %2; %3 checkpoints saved, %4 invalidated, %5 lots "
               "saved")
                .arg(st.rowsFed)
                .arg(st.resumedFrom
                         ? tr("resumed from the checkpoint of %1").arg(st.resumedFrom->toString())
                         : tr("from the first transaction"))
                .arg(st.checkpointsSaved)
                .arg(st.checkpointsInvalidated)
                .arg(st.lotsSaved));
    }
    return Ok;
}

int TaxCommand::writeOutput(const tax::TaxResult& result, qint64* bytes) {
    const auto write = [&](QIODevice* device) -> Status {
        if (m_format == QLatin1String("json"))
            return tax::JsonReportWriter::write(result, device);
        if (m_format == QLatin1String("csv"))
            return tax::CsvReportWriter::write(result, device);
        if (m_format == QLatin1String("8949"))
            return tax::Form8949Writer::write(result, device, m_exportOptions);
        if (m_format == QLatin1String("schedule-d"))
            return tax::ScheduleDWriter::write(result, device, m_exportOptions);
        if (m_format == QLatin1String("turbotax"))
            return tax::TurboTaxWriter::write(result, device, m_exportOptions);
        if (m_format == QLatin1String("taxact"))
            return tax::TaxActWriter::write(result, device, m_exportOptions);
        return tax::PdfReportWriter::write(result, device, m_exportOptions);
    };
    if (m_out.isEmpty()) {
        QFile out;
        if (!out.open(stdout, QIODevice::WriteOnly)) {
            m_app.fail(tr("cannot write to standard output: %1").arg(out.errorString()));
            return Failed;
        }
        const Status s = write(&out);
        out.flush();
        if (!s) {
            m_app.fail(s.error());
            return Failed;
        }
        *bytes = out.pos();
        return Ok;
    }
    // All or nothing: a failed or interrupted export leaves an earlier file as it was.
    QSaveFile file(m_out);
    if (!file.open(QIODevice::WriteOnly)) {
        m_app.fail(tr("cannot write %1: %2").arg(m_out, file.errorString()));
        return Failed;
    }
    if (Status s = write(&file); !s) {
        file.cancelWriting();
        m_app.fail(s.error());
        return Failed;
    }
    *bytes = file.pos();
    if (!file.commit()) {
        m_app.fail(tr("cannot write %1: %2").arg(m_out, file.errorString()));
        return Failed;
    }
    return Ok;
}

} // namespace llamadesk::cli
