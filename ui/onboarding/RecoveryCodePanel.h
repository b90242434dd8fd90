#pragma once

#include <QWidget>

class QCheckBox;
class QLabel;

namespace llamadesk::ui {

// Shows a recovery code once, with Copy, Save to file and Print, and the "I have saved it"
// confirmation that the wizard and the new-code dialog require before going on.
class RecoveryCodePanel : public QWidget {
    Q_OBJECT
public:
    explicit RecoveryCodePanel(QWidget* parent = nullptr);
    ~RecoveryCodePanel() override;

    void setCode(const QString& code);
    // Wipes the code from the panel (and the clipboard if it still holds it).
    void clear();
    bool isConfirmed() const;
    QString code() const { return m_code; }
    QCheckBox* confirmation() const { return m_confirm; }

    // Writes the code to `path`, readable by the owner only; false with the reason otherwise.
    bool saveTo(const QString& path, QString* error) const;

signals:
    void confirmedChanged(bool confirmed);

private:
    void copy();
    void save();
    void print();
    QString document() const;

    QString m_code;
    QLabel* m_codeLabel = nullptr;
    QLabel* m_status = nullptr;
    QCheckBox* m_confirm = nullptr;
};

} // namespace llamadesk::ui
