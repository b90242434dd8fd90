#include "tax/export/PdfDocument.h"

namespace llamadesk::tax {

namespace {

// Fixed object numbers; pages and their contents follow.
constexpr int kCatalog = 1;
constexpr int kPages = 2;
constexpr int kFontRegular = 3;
constexpr int kFontBold = 4;
constexpr int kFontMono = 5;
constexpr int kInfo = 6;
constexpr int kFirstFree = 7;

QByteArray number(double v) {
    return QByteArray::number(v, 'f', 2);
}

// The WinAnsiEncoding byte of a character, or '?' when it has none.
char winAnsi(char16_t c) {
    if (c >= 0x20 && c < 0x7f)
        return char(c);
    if (c >= 0xa0 && c <= 0xff)
        return char(c);
    switch (c) {
    case 0x20ac:
        return char(0x80); // euro
    case 0x2026:
        return char(0x85); // ellipsis
    case 0x2018:
        return char(0x91);
    case 0x2019:
        return char(0x92);
    case 0x201c:
        return char(0x93);
    case 0x201d:
        return char(0x94);
    case 0x2022:
        return char(0x95); // bullet
    case 0x2013:
        return char(0x96); // en dash
    case 0x2014:
        return char(0x97); // em dash
    default:
        return '?';
    }
}

} // namespace

PdfDocument::PdfDocument(QIODevice* device, double pageWidth, double pageHeight)
    : m_device(device)
    , m_width(pageWidth)
    , m_height(pageHeight) {
    m_objectOffsets.assign(kFirstFree - 1, -1);
    // The binary comment line tells transfer tools the file is not plain text.
    write(QByteArrayLiteral("%PDF-1.4\n%\xe2\xe3\xcf\xd3\n"));
    const struct {
        int object;
        const char* name;
    } fonts[] = {
        {kFontRegular, "Helvetica"}, {kFontBold, "Helvetica-Bold"}, {kFontMono, "Courier"}};
    for (const auto& f : fonts) {
        m_objectOffsets[size_t(f.object - 1)] = m_offset;
        write(QByteArray::number(f.object) + " 0 obj\n<< /Type /Font /Subtype /Type1 /BaseFont /" +
              f.name + " /Encoding /WinAnsiEncoding >>\nendobj\n");
    }
}

void PdfDocument::write(const QByteArray& bytes) {
    if (m_failed)
        return;
    if (!m_device || m_device->write(bytes) != bytes.size()) {
        m_failed = true;
        return;
    }
    m_offset += bytes.size();
}

int PdfDocument::beginObject() {
    m_objectOffsets.push_back(m_offset);
    const int object = int(m_objectOffsets.size());
    write(QByteArray::number(object) + " 0 obj\n");
    return object;
}

void PdfDocument::endObject() {
    write(QByteArrayLiteral("endobj\n"));
}

QByteArray PdfDocument::literal(const QString& text) {
    QByteArray out;
    out.reserve(text.size() + 2);
    out.append('(');
    for (const QChar ch : text) {
        const char c = winAnsi(ch.unicode());
        if (c == '(' || c == ')' || c == '\\')
            out.append('\\');
        out.append(c);
    }
    out.append(')');
    return out;
}

void PdfDocument::beginPage() {
    if (m_inPage)
        endPage();
    m_inPage = true;
    m_content.clear();
}

void PdfDocument::text(double x, double y, Font font, double size, const QString& text) {
    const char* name = font == Font::Bold ? "/F2" : (font == Font::Mono ? "/F3" : "/F1");
    m_content += "BT " + QByteArray(name) + ' ' + number(size) + " Tf " + number(x) + ' ' +
                 number(m_height - y) + " Td " + literal(text) + " Tj ET\n";
}

void PdfDocument::monoRight(double right, double y, double size, const QString& text) {
    this->text(right - monoWidth(text, size), y, Font::Mono, size, text);
}

void PdfDocument::line(double x1, double y1, double x2, double y2, double width) {
    m_content += number(width) + " w " + number(x1) + ' ' + number(m_height - y1) + " m " +
                 number(x2) + ' ' + number(m_height - y2) + " l S\n";
}

void PdfDocument::endPage() {
    if (!m_inPage)
        return;
    m_inPage = false;
    const int contents = beginObject();
    write("<< /Length " + QByteArray::number(m_content.size()) + " >>\nstream\n");
    write(m_content);
    write(QByteArrayLiteral("\nendstream\n"));
    endObject();
    const int page = beginObject();
    write("<< /Type /Page /Parent " + QByteArray::number(kPages) + " 0 R /MediaBox [0 0 " +
          number(m_width) + ' ' + number(m_height) + "] /Resources << /Font << /F1 " +
          QByteArray::number(kFontRegular) + " 0 R /F2 " + QByteArray::number(kFontBold) +
          " 0 R /F3 " + QByteArray::number(kFontMono) + " 0 R >> >> /Contents " +
          QByteArray::number(contents) + " 0 R >>\n");
    endObject();
    m_pages.push_back(page);
    m_content.clear();
}

Status PdfDocument::finish(const QString& title) {
    endPage();
    if (m_pages.empty()) {
        beginPage();
        endPage();
    }
    m_objectOffsets[kPages - 1] = m_offset;
    QByteArray kids;
    for (const int p : m_pages)
        kids += QByteArray::number(p) + " 0 R ";
    write(QByteArray::number(kPages) + " 0 obj\n<< /Type /Pages /Kids [" + kids + "] /Count " +
          QByteArray::number(qint64(m_pages.size())) + " >>\nendobj\n");
    m_objectOffsets[kCatalog - 1] = m_offset;
    write(QByteArray::number(kCatalog) + " 0 obj\n<< /Type /Catalog /Pages " +
          QByteArray::number(kPages) + " 0 R >>\nendobj\n");
    m_objectOffsets[kInfo - 1] = m_offset;
    write(QByteArray::number(kInfo) + " 0 obj\n<< /Title " + literal(title) +
          " /Producer (LlamaDesk) >>\nendobj\n");

    const qint64 xref = m_offset;
    QByteArray table = "xref\n0 " + QByteArray::number(qint64(m_objectOffsets.size()) + 1) +
                       "\n0000000000 65535 f \n";
    for (const qint64 offset : m_objectOffsets)
        table += QByteArray::number(offset).rightJustified(10, '0') + " 00000 n \n";
    write(table);
    write("trailer\n<< /Size " + QByteArray::number(qint64(m_objectOffsets.size()) + 1) +
          " /Root " + QByteArray::number(kCatalog) + " 0 R /Info " + QByteArray::number(kInfo) +
          " 0 R >>\nstartxref\n" + QByteArray::number(xref) + "\n%%EOF\n");
    if (m_failed) {
        return Status::failure(
            tr("Writing the PDF failed: %1").arg(m_device ? m_device->errorString() : QString()));
    }
    return Status::success();
}

} // namespace llamadesk::tax
