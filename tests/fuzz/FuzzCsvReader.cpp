// libFuzzer target: arbitrary bytes through the CSV reader, format detection and row parsing
// (the whole LedgerReader path without a vault). Any crash, sanitizer report, hang or unbounded
// allocation is a bug. The limits are small so long fields and records are reached quickly.

#include "import/CsvReader.h"
#include "import/LedgerReader.h"

#include <QBuffer>
#include <QByteArray>

#include <cstddef>
#include <cstdint>

using namespace llamadesk::import;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const QByteArray bytes(reinterpret_cast<const char*>(data), qsizetype(size));

    {
        QBuffer buffer;
        buffer.setData(bytes);
        buffer.open(QIODevice::ReadOnly);
        CsvReader reader(&buffer, CsvLimits{256, 4096});
        CsvRecord record;
        qint64 lastLine = 0;
        while (reader.next(&record)) {
            if (record.line < lastLine || record.fields.size() > 4096)
                __builtin_trap(); // lines only go forward; the field cap holds
            lastLine = record.line;
        }
        if (reader.bytesRead() > qint64(size))
            __builtin_trap();
    }

    QBuffer buffer;
    buffer.setData(bytes);
    buffer.open(QIODevice::ReadOnly);
    ReadOptions options;
    options.maxFieldBytes = 256;
    options.maxRecordBytes = 4096;
    options.maxProblems = 50;
    LedgerReader reader(options);
    if (!reader.open(&buffer, QStringLiteral("fuzz.csv")))
        return 0;
    LedgerRow row;
    while (reader.next(&row)) {
        // A row that comes out must be storable.
        row.transaction.userId = QStringLiteral("00000000-0000-4000-8000-000000000000");
        if (!row.transaction.validate().isEmpty())
            __builtin_trap();
    }
    if (reader.problems().size() > 50)
        __builtin_trap();
    return 0;
}
