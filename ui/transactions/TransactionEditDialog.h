#pragma once

#include "domain/TaxTransaction.h"

#include <QDialog>
#include <QHash>
#include <QSqlDatabase>

class QCheckBox;
class QComboBox;
class QFormLayout;
class QLabel;
class QLineEdit;
class QPlainTextEdit;

namespace llamadesk::ui {

// Adds or edits one transaction: every column of the row, each with its own inline message.
// Nothing is written until the whole row is valid; the write is one statement in one
// transaction, so a refused or failed save leaves the vault as it was.
class TransactionEditDialog : public QDialog {
    Q_OBJECT
public:
    // `original` empty: a new row for `userId`.
    TransactionEditDialog(const QSqlDatabase& db, const QString& userId,
                          const std::optional<TaxTransaction>& original, QWidget* parent = nullptr);

    // The row as the form describes it; messages per column name for what cannot be read.
    TaxTransaction rowFromForm(QHash<QString, QStringList>* problems) const;
    // Validates and, when valid, writes. False (with the messages shown) otherwise.
    bool save();
    // The message shown under a field ("" when none); `column` is the column name.
    QString messageFor(const QString& column) const;
    QLineEdit* lineEdit(const QString& column) const { return m_lines.value(column); }
    QString savedId() const { return m_savedId; }

    void accept() override;

private:
    void addLine(QFormLayout* form, const QString& column, const QString& label,
                 const QString& placeholder = QString());
    void addMessage(QFormLayout* form, const QString& column);
    void showProblems(const QHash<QString, QStringList>& problems);
    void load(const TaxTransaction& t);

    QSqlDatabase m_db;
    QString m_userId;
    std::optional<TaxTransaction> m_original;
    QHash<QString, QLineEdit*> m_lines;
    QHash<QString, QLabel*> m_messages;
    QComboBox* m_type = nullptr;
    QComboBox* m_method = nullptr;
    QComboBox* m_longTerm = nullptr;
    QCheckBox* m_taxable = nullptr;
    QPlainTextEdit* m_notes = nullptr;
    QLabel* m_summary = nullptr;
    QString m_savedId;
};

} // namespace llamadesk::ui
