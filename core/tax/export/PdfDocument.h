#pragma once

#include "Result.h"

#include <QByteArray>
#include <QCoreApplication>
#include <QIODevice>
#include <QList>
#include <QString>

#include <vector>

namespace llamadesk::tax {

// A minimal PDF 1.4 writer for text reports, needing nothing beyond Qt Core (the core library
// does not link Qt Gui): the standard Type 1 fonts Helvetica, Helvetica-Bold and Courier in
// WinAnsiEncoding, text and lines, pages written as they are finished so a report of any
// length streams to the device. Characters outside WinAnsi print as '?'. Coordinates are in
// points from the top-left corner of the page.
class PdfDocument {
    Q_DECLARE_TR_FUNCTIONS(PdfDocument)

public:
    enum class Font { Regular, Bold, Mono };

    PdfDocument(QIODevice* device, double pageWidth, double pageHeight);

    double pageWidth() const { return m_width; }
    double pageHeight() const { return m_height; }
    int pageCount() const { return int(m_pages.size()); }

    void beginPage();
    void text(double x, double y, Font font, double size, const QString& text);
    // Courier only: the text ends at `right`.
    void monoRight(double right, double y, double size, const QString& text);
    void line(double x1, double y1, double x2, double y2, double width = 0.5);
    void endPage();
    // Writes the page tree, catalog, document information, cross-reference table and trailer.
    Status finish(const QString& title);

    // The width of text in Courier at this size (every glyph is 600/1000 em).
    static double monoWidth(const QString& text, double size) {
        return 0.6 * size * double(text.size());
    }
    // WinAnsiEncoding bytes of text, as a PDF string literal with ( ) \ escaped.
    static QByteArray literal(const QString& text);

private:
    int beginObject();
    void endObject();
    void write(const QByteArray& bytes);

    QIODevice* m_device;
    double m_width;
    double m_height;
    qint64 m_offset = 0;
    bool m_failed = false;
    bool m_inPage = false;
    std::vector<qint64> m_objectOffsets; // by object number - 1
    std::vector<int> m_pages;            // page object numbers
    QByteArray m_content;                // of the page being drawn
};

} // namespace llamadesk::tax
