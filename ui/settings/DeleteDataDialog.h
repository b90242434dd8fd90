#pragma once

#include <QDialog>

class QLineEdit;
class QPushButton;

namespace llamadesk::ui {

// "Delete all local data": says what goes, and only enables the delete button once the user has
// typed DELETE or the vault's file name.
class DeleteDataDialog : public QDialog {
    Q_OBJECT
public:
    DeleteDataDialog(const QString& vaultPath, QWidget* parent = nullptr);

    static bool isConfirmation(const QString& typed, const QString& vaultPath);
    QLineEdit* confirmationEdit() const { return m_typed; }
    QPushButton* deleteButton() const { return m_delete; }

private:
    QString m_path;
    QLineEdit* m_typed = nullptr;
    QPushButton* m_delete = nullptr;
};

} // namespace llamadesk::ui
