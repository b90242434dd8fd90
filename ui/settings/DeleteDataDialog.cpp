#include "DeleteDataDialog.h"

#include "app/Theme.h"

#include <QDialogButtonBox>
#include <QFileInfo>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace llamadesk::ui {

DeleteDataDialog::DeleteDataDialog(const QString& vaultPath, QWidget* parent)
    : QDialog(parent)
    , m_path(vaultPath) {
    setWindowTitle(tr("Delete all local data"));
    setMinimumWidth(480);
    auto* layout = new QVBoxLayout(this);
    auto* title = new QLabel(tr("Delete everything on this computer?"), this);
    QFont bold = title->font();
    bold.setBold(true);
    bold.setPointSizeF(bold.pointSizeF() * 1.15);
    title->setFont(bold);
    layout->addWidget(title);
    auto* text = new QLabel(
        tr("This closes the vault and deletes its database %1, its key file and the key kept in "
           "the system keychain. Transactions, tax reports, alerts and settings stored in the "
           "vault are gone for good unless you exported them or they are synced.\n\nType DELETE "
           "or the file name (%2) to confirm.")
            .arg(QFileInfo(vaultPath).fileName(), QFileInfo(vaultPath).fileName()),
        this);
    text->setWordWrap(true);
    layout->addWidget(text);
    m_typed = new QLineEdit(this);
    m_typed->setPlaceholderText(QStringLiteral("DELETE"));
    layout->addWidget(m_typed);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Cancel, this);
    m_delete = buttons->addButton(tr("Delete all local data"), QDialogButtonBox::DestructiveRole);
    m_delete->setEnabled(false);
    m_delete->setStyleSheet(QStringLiteral("QPushButton:enabled { color: white; background: %1; "
                                           "border-radius: 4px; padding: 5px 12px; }")
                                .arg(Theme::negative().name()));
    layout->addWidget(buttons);
    connect(m_typed, &QLineEdit::textChanged, this,
            [this](const QString& typed) { m_delete->setEnabled(isConfirmation(typed, m_path)); });
    connect(m_delete, &QPushButton::clicked, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
}

bool DeleteDataDialog::isConfirmation(const QString& typed, const QString& vaultPath) {
    const QString t = typed.trimmed();
    return t == QLatin1String("DELETE") || (!t.isEmpty() && t == QFileInfo(vaultPath).fileName());
}

} // namespace llamadesk::ui
