#include "RecoveryCodePanel.h"

#include "app/Theme.h"
#include "vault/SecureBytes.h"

#include <QApplication>
#include <QCheckBox>
#include <QClipboard>
#include <QDateTime>
#include <QFileDialog>
#include <QFontDatabase>
#include <QFrame>
#include <QGuiApplication>
#include <QHBoxLayout>
#include <QLabel>
#include <QPainter>
#include <QPrintDialog>
#include <QPrinter>
#include <QPushButton>
#include <QSaveFile>
#include <QStandardPaths>
#include <QVBoxLayout>

namespace llamadesk::ui {

RecoveryCodePanel::RecoveryCodePanel(QWidget* parent)
    : QWidget(parent) {
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    auto* frame = new QFrame(this);
    frame->setObjectName(QStringLiteral("recoveryCodeFrame"));
    frame->setFrameShape(QFrame::StyledPanel);
    auto* frameLayout = new QVBoxLayout(frame);
    m_codeLabel = new QLabel(frame);
    m_codeLabel->setObjectName(QStringLiteral("recoveryCode"));
    QFont mono = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    mono.setPointSizeF(mono.pointSizeF() * 1.45);
    mono.setBold(true);
    m_codeLabel->setFont(mono);
    m_codeLabel->setAlignment(Qt::AlignCenter);
    m_codeLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_codeLabel->setMinimumHeight(56);
    frameLayout->addWidget(m_codeLabel);
    layout->addWidget(frame);

    auto* buttons = new QHBoxLayout;
    auto* copyButton = new QPushButton(tr("&Copy"), this);
    copyButton->setObjectName(QStringLiteral("copyButton"));
    auto* saveButton = new QPushButton(tr("&Save to file…"), this);
    saveButton->setObjectName(QStringLiteral("saveButton"));
    auto* printButton = new QPushButton(tr("&Print…"), this);
    printButton->setObjectName(QStringLiteral("printButton"));
    buttons->addWidget(copyButton);
    buttons->addWidget(saveButton);
    buttons->addWidget(printButton);
    buttons->addStretch();
    layout->addLayout(buttons);
    m_status = new QLabel(this);
    m_status->setWordWrap(true);
    layout->addWidget(m_status);
    layout->addSpacing(8);
    m_confirm = new QCheckBox(tr("I have saved my recovery code in a safe place"), this);
    m_confirm->setObjectName(QStringLiteral("savedConfirmation"));
    layout->addWidget(m_confirm);

    connect(copyButton, &QPushButton::clicked, this, &RecoveryCodePanel::copy);
    connect(saveButton, &QPushButton::clicked, this, &RecoveryCodePanel::save);
    connect(printButton, &QPushButton::clicked, this, &RecoveryCodePanel::print);
    connect(m_confirm, &QCheckBox::toggled, this, &RecoveryCodePanel::confirmedChanged);
}

RecoveryCodePanel::~RecoveryCodePanel() {
    clear();
}

void RecoveryCodePanel::setCode(const QString& code) {
    m_code = code;
    m_codeLabel->setText(code);
    m_confirm->setChecked(false);
    m_status->clear();
}

void RecoveryCodePanel::clear() {
    if (m_code.isEmpty())
        return;
    if (QClipboard* clipboard = QGuiApplication::clipboard();
        clipboard && clipboard->text() == m_code)
        clipboard->clear();
    vault::wipe(m_code);
    m_code.clear();
    m_codeLabel->clear();
}

bool RecoveryCodePanel::isConfirmed() const {
    return m_confirm->isChecked();
}

QString RecoveryCodePanel::document() const {
    return tr("LlamaDesk recovery code\n\n%1\n\nCreated %2. It unlocks your vault if you forget "
              "your passphrase and the keychain is gone. Keep it private and offline.\n")
        .arg(m_code, QLocale().toString(QDateTime::currentDateTime(), QLocale::LongFormat));
}

void RecoveryCodePanel::copy() {
    if (QClipboard* clipboard = QGuiApplication::clipboard())
        clipboard->setText(m_code);
    m_status->setText(tr("Copied. Paste it somewhere safe, then clear your clipboard."));
}

bool RecoveryCodePanel::saveTo(const QString& path, QString* error) const {
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Text)) {
        *error = file.errorString();
        return false;
    }
    file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    QByteArray bytes = document().toUtf8();
    const bool written = file.write(bytes) == bytes.size();
    vault::wipe(bytes);
    if (!written || !file.commit()) {
        *error = file.errorString();
        return false;
    }
    return true;
}

void RecoveryCodePanel::save() {
    const QString suggested = QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation) +
                              QStringLiteral("/llamadesk-recovery-code.txt");
    const QString path = QFileDialog::getSaveFileName(this, tr("Save the recovery code"), suggested,
                                                      tr("Text files (*.txt)"));
    if (path.isEmpty())
        return;
    QString error;
    if (saveTo(path, &error))
        m_status->setText(tr("Saved to %1 (readable only by you).").arg(path));
    else
        m_status->setText(tr("Could not save to %1: %2").arg(path, error));
}

void RecoveryCodePanel::print() {
    QPrinter printer;
    QPrintDialog dialog(&printer, this);
    dialog.setWindowTitle(tr("Print the recovery code"));
    if (dialog.exec() != QDialog::Accepted)
        return;
    QPainter painter;
    if (!painter.begin(&printer)) {
        m_status->setText(tr("The printer could not be used."));
        return;
    }
    QFont font = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    font.setPointSize(14);
    painter.setFont(font);
    painter.drawText(printer.pageLayout().paintRectPixels(printer.resolution()),
                     Qt::AlignLeft | Qt::AlignTop | Qt::TextWordWrap, document());
    painter.end();
    m_status->setText(tr("Sent to the printer."));
}

} // namespace llamadesk::ui
