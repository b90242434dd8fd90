#include "tax/LotSelectionFile.h"

#include <QFile>

namespace llamadesk::tax {

Result<QList<LotSelectionLine>> LotSelectionFile::read(const QString& path) {
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return Result<QList<LotSelectionLine>>::failure(
            tr("%1: cannot read the lot selections: %2").arg(path, file.errorString()));
    // A selection file is small; a huge one is a mistake, not something to load.
    constexpr qint64 kMaxBytes = 64 * 1024 * 1024;
    if (file.size() > kMaxBytes)
        return Result<QList<LotSelectionLine>>::failure(
            tr("%1: the lot selections file is larger than 64 MiB").arg(path));
    return parse(file.readAll(), path);
}

Result<QList<LotSelectionLine>> LotSelectionFile::parse(const QByteArray& content,
                                                        const QString& name) {
    using R = Result<QList<LotSelectionLine>>;
    QString text = QString::fromUtf8(content);
    if (text.startsWith(QChar(0xfeff)))
        text.remove(0, 1);
    const QStringList lines = text.split(QLatin1Char('\n'));
    int disposalColumn = -1;
    int lotColumn = -1;
    int amountColumn = -1;
    qsizetype columns = 0;
    QList<LotSelectionLine> out;
    for (qsizetype i = 0; i < lines.size(); ++i) {
        QString line = lines[i];
        if (line.endsWith(QLatin1Char('\r')))
            line.chop(1);
        const QString trimmed = line.trimmed();
        if (trimmed.isEmpty() || trimmed.startsWith(QLatin1Char('#')))
            continue;
        const qint64 number = i + 1;
        QStringList fields = line.split(QLatin1Char(','));
        for (QString& f : fields)
            f = f.trimmed();
        if (columns == 0) {
            columns = fields.size();
            for (int c = 0; c < fields.size(); ++c) {
                const QString h = fields[c].toLower();
                int* slot = h == QLatin1String("disposal") ? &disposalColumn
                            : h == QLatin1String("lot")    ? &lotColumn
                            : h == QLatin1String("amount") ? &amountColumn
                                                           : nullptr;
                if (!slot)
                    return R::failure(tr("%1:%2: unknown column '%3' (the header is "
                                         "disposal,lot,amount)")
                                          .arg(name)
                                          .arg(number)
                                          .arg(fields[c]));
                if (*slot >= 0)
                    return R::failure(
                        tr("%1:%2: column '%3' appears twice").arg(name).arg(number).arg(h));
                *slot = c;
            }
            if (disposalColumn < 0 || lotColumn < 0 || amountColumn < 0)
                return R::failure(tr("%1:%2: the header must name the columns disposal, lot and "
                                     "amount")
                                      .arg(name)
                                      .arg(number));
            continue;
        }
        if (fields.size() != columns)
            return R::failure(tr("%1:%2: %3 fields, the header has %4")
                                  .arg(name)
                                  .arg(number)
                                  .arg(fields.size())
                                  .arg(columns));
        LotSelectionLine s;
        s.line = number;
        s.disposal = fields[disposalColumn];
        s.lot = fields[lotColumn];
        if (s.disposal.isEmpty() || s.lot.isEmpty())
            return R::failure(tr("%1:%2: column '%3' is empty")
                                  .arg(name)
                                  .arg(number)
                                  .arg(s.disposal.isEmpty() ? QStringLiteral("disposal")
                                                            : QStringLiteral("lot")));
        const Result<Decimal> amount = Decimal::parse(QStringView(fields[amountColumn]));
        if (!amount || !amount->isPositive())
            return R::failure(tr("%1:%2: column 'amount': '%3' is not a positive decimal number")
                                  .arg(name)
                                  .arg(number)
                                  .arg(fields[amountColumn]));
        s.amount = amount.value();
        out.append(s);
    }
    if (columns == 0)
        return R::failure(tr("%1: no header (disposal,lot,amount)").arg(name));
    return out;
}

} // namespace llamadesk::tax
