#pragma once

#include <QWidget>

class QLabel;
class QLineEdit;
class QProgressBar;

namespace llamadesk::ui {

// A new passphrase typed twice, with a strength meter that says why (app::PassphraseStrength).
class PassphraseForm : public QWidget {
    Q_OBJECT
public:
    explicit PassphraseForm(QWidget* parent = nullptr);
    ~PassphraseForm() override;

    QString passphrase() const;
    // Strong or fair enough and both fields equal.
    bool isAcceptable() const;
    // Why it is not acceptable yet; empty when it is.
    QString problem() const;
    void clear();

    QLineEdit* passphraseEdit() const { return m_first; }
    QLineEdit* confirmationEdit() const { return m_second; }
    QLabel* strengthLabel() const { return m_strength; }

signals:
    void changed();

private:
    void update();

    QLineEdit* m_first = nullptr;
    QLineEdit* m_second = nullptr;
    QProgressBar* m_meter = nullptr;
    QLabel* m_strength = nullptr;
    QLabel* m_match = nullptr;
};

} // namespace llamadesk::ui
