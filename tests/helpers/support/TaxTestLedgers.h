#pragma once

#include "domain/TaxTransaction.h"
#include "money/Decimal.h"
#include "tax/TaxResult.h"
#include "tax/export/ExportFormat.h"

#include <QBuffer>
#include <QList>
#include <QStringList>

#include <initializer_list>

// Small ledgers and CSV helpers shared by the tax export tests.
namespace testsupport {

llamadesk::Decimal dec(const char* text);
llamadesk::Decimal dec(const QString& text);
QStringList strs(std::initializer_list<const char*> items);

// A BTC trade for USD: bought (`usd` paid) or sold (`usd` received), with an optional USD fee.
llamadesk::TaxTransaction trade(const char* id, const char* when, bool buying, const char* amount,
                                const char* usd, const char* feeUsd = nullptr);

// US LIFO, tax year 2025: a short row (19990 gain), a long row (4995) and a long row with lots
// from two dates (VARIOUS, a 20005 loss).
llamadesk::tax::TaxResult usExportReport();
// UK tax year 2024: one disposal with a 50 gain.
llamadesk::tax::TaxResult ukExportReport();

// RFC 4180 parsing for the tests: quoted fields, doubled quotes, CRLF line ends.
QList<QStringList> parseCsv(const QByteArray& bytes);

// What an export writer with ExportOptions writes, parsed; stops the test binary when the writer
// fails or a line does not end with CRLF.
template <typename Writer>
QList<QStringList> writtenCsv(const llamadesk::tax::TaxResult& result,
                              const llamadesk::tax::ExportOptions& options = {}) {
    QBuffer buffer;
    buffer.open(QIODevice::WriteOnly);
    const Status s = Writer::write(result, &buffer, options);
    if (!s)
        qFatal("%s", qPrintable(s.error()));
    if (!buffer.data().endsWith("\r\n"))
        qFatal("lines must end with CRLF");
    return parseCsv(buffer.data());
}

} // namespace testsupport
