#include "TransactionEditDialog.h"

#include "app/Theme.h"
#include "domain/Uuid.h"
#include "store/TransactionRepository.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScrollArea>
#include <QVBoxLayout>

namespace llamadesk::ui {

namespace {

const char* const kDecimalColumns[] = {
    "asset_in_amount",     "asset_in_price_usd",  "asset_in_value_usd", "asset_out_amount",
    "asset_out_price_usd", "asset_out_value_usd", "fee_amount",         "fee_value_usd",
    "cost_basis_usd",      "capital_gain_usd"};

std::optional<Decimal>* decimalField(TaxTransaction& t, const QString& column) {
    if (column == QLatin1String("asset_in_amount"))
        return &t.assetInAmount;
    if (column == QLatin1String("asset_in_price_usd"))
        return &t.assetInPriceUsd;
    if (column == QLatin1String("asset_in_value_usd"))
        return &t.assetInValueUsd;
    if (column == QLatin1String("asset_out_amount"))
        return &t.assetOutAmount;
    if (column == QLatin1String("asset_out_price_usd"))
        return &t.assetOutPriceUsd;
    if (column == QLatin1String("asset_out_value_usd"))
        return &t.assetOutValueUsd;
    if (column == QLatin1String("fee_amount"))
        return &t.feeAmount;
    if (column == QLatin1String("fee_value_usd"))
        return &t.feeValueUsd;
    if (column == QLatin1String("cost_basis_usd"))
        return &t.costBasisUsd;
    if (column == QLatin1String("capital_gain_usd"))
        return &t.capitalGainUsd;
    return nullptr;
}

std::optional<QString> optionalText(const QString& text) {
    const QString trimmed = text.trimmed();
    if (trimmed.isEmpty())
        return std::nullopt;
    return trimmed;
}

QString typeLabel(TransactionType type) {
    QString text = toString(type);
    text.replace(QLatin1Char('_'), QLatin1Char(' '));
    text[0] = text[0].toUpper();
    return text;
}

} // namespace

TransactionEditDialog::TransactionEditDialog(const QSqlDatabase& db, const QString& userId,
                                             const std::optional<TaxTransaction>& original,
                                             QWidget* parent)
    : QDialog(parent)
    , m_db(db)
    , m_userId(userId)
    , m_original(original) {
    setWindowTitle(original ? tr("Edit transaction") : tr("Add transaction"));
    auto* outer = new QVBoxLayout(this);
    auto* scroll = new QScrollArea(this);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    auto* content = new QWidget(scroll);
    auto* columns = new QHBoxLayout(content);

    auto group = [content](const QString& title) {
        auto* box = new QGroupBox(title, content);
        auto* form = new QFormLayout(box);
        form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
        return std::make_pair(box, form);
    };
    auto left = new QVBoxLayout;
    auto right = new QVBoxLayout;
    columns->addLayout(left, 1);
    columns->addLayout(right, 1);

    auto [general, g] = group(tr("Transaction"));
    m_type = new QComboBox(general);
    m_type->setObjectName(QStringLiteral("transaction_type"));
    for (const TransactionType type : allTransactionTypes())
        m_type->addItem(typeLabel(type), toString(type));
    g->addRow(tr("T&ype:"), m_type);
    addLine(g, QStringLiteral("timestamp"), tr("&Date and time:"),
            tr("2024-03-01T10:00:00Z (with a time zone)"));
    addLine(g, QStringLiteral("wallet"), tr("&Wallet:"));
    addLine(g, QStringLiteral("chain_id"), tr("&Chain ID:"), tr("1 for Ethereum"));
    addLine(g, QStringLiteral("block_number"), tr("&Block:"));
    addLine(g, QStringLiteral("transaction_hash"), tr("&Hash:"), tr("0x…"));
    left->addWidget(general);

    auto [received, r] = group(tr("Received"));
    addLine(r, QStringLiteral("asset_in_symbol"), tr("Asset:"), tr("e.g. ETH"));
    addLine(r, QStringLiteral("asset_in_amount"), tr("Amount:"));
    addLine(r, QStringLiteral("asset_in_price_usd"), tr("Price (USD):"));
    addLine(r, QStringLiteral("asset_in_value_usd"), tr("Value (USD):"));
    left->addWidget(received);

    auto [sent, s] = group(tr("Sent"));
    addLine(s, QStringLiteral("asset_out_symbol"), tr("Asset:"));
    addLine(s, QStringLiteral("asset_out_amount"), tr("Amount:"));
    addLine(s, QStringLiteral("asset_out_price_usd"), tr("Price (USD):"));
    addLine(s, QStringLiteral("asset_out_value_usd"), tr("Value (USD):"));
    left->addWidget(sent);
    left->addStretch();

    auto [fee, f] = group(tr("Fee"));
    addLine(f, QStringLiteral("fee_amount"), tr("Amount:"));
    addLine(f, QStringLiteral("fee_symbol"), tr("Asset:"));
    addLine(f, QStringLiteral("fee_value_usd"), tr("Value (USD):"));
    right->addWidget(fee);

    auto [tax, t] = group(tr("Tax"));
    m_method = new QComboBox(tax);
    for (const CostBasisMethod method : {CostBasisMethod::Fifo, CostBasisMethod::Lifo,
                                         CostBasisMethod::Hifo, CostBasisMethod::Specific})
        m_method->addItem(toString(method), toString(method));
    t->addRow(tr("Cost basis method:"), m_method);
    addLine(t, QStringLiteral("cost_basis_usd"), tr("Cost basis (USD):"));
    addLine(t, QStringLiteral("capital_gain_usd"), tr("Gain or loss (USD):"));
    addLine(t, QStringLiteral("holding_period_days"), tr("Held (days):"));
    m_longTerm = new QComboBox(tax);
    m_longTerm->addItem(tr("Not set"));
    m_longTerm->addItem(tr("Long term"));
    m_longTerm->addItem(tr("Short term"));
    t->addRow(tr("Term:"), m_longTerm);
    addLine(t, QStringLiteral("tax_category"), tr("Category:"));
    m_taxable = new QCheckBox(tr("Taxable"), tax);
    m_taxable->setChecked(true);
    t->addRow(QString(), m_taxable);
    right->addWidget(tax);

    auto [notesBox, n] = group(tr("Notes"));
    m_notes = new QPlainTextEdit(notesBox);
    m_notes->setFixedHeight(70);
    n->addRow(m_notes);
    addMessage(n, QStringLiteral("notes"));
    right->addWidget(notesBox);
    right->addStretch();

    scroll->setWidget(content);
    outer->addWidget(scroll, 1);
    m_summary = new QLabel(this);
    m_summary->setObjectName(QStringLiteral("summary"));
    m_summary->setWordWrap(true);
    QPalette bad = m_summary->palette();
    bad.setColor(QPalette::WindowText, Theme::negative());
    m_summary->setPalette(bad);
    m_summary->hide();
    outer->addWidget(m_summary);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Save | QDialogButtonBox::Cancel, this);
    outer->addWidget(buttons);
    connect(buttons, &QDialogButtonBox::accepted, this, &TransactionEditDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &TransactionEditDialog::reject);

    if (original) {
        load(*original);
    } else {
        m_lines.value(QStringLiteral("wallet"))->setText(QStringLiteral("default"));
        m_lines.value(QStringLiteral("chain_id"))->setText(QStringLiteral("1"));
        m_lines.value(QStringLiteral("block_number"))->setText(QStringLiteral("0"));
        m_lines.value(QStringLiteral("timestamp"))
            ->setText(Timestamp::fromDateTime(QDateTime::currentDateTimeUtc().addSecs(0))
                          .toString()
                          .left(19) +
                      QLatin1Char('Z'));
    }
    resize(900, 680);
}

void TransactionEditDialog::addLine(QFormLayout* form, const QString& column, const QString& label,
                                    const QString& placeholder) {
    auto* edit = new QLineEdit(form->parentWidget());
    edit->setObjectName(column);
    edit->setPlaceholderText(placeholder);
    m_lines.insert(column, edit);
    form->addRow(label, edit);
    addMessage(form, column);
    // Editing a field clears its message: the next save checks again.
    connect(edit, &QLineEdit::textEdited, this, [this, column] {
        if (QLabel* message = m_messages.value(column)) {
            message->clear();
            message->hide();
        }
    });
}

void TransactionEditDialog::addMessage(QFormLayout* form, const QString& column) {
    auto* message = new QLabel(form->parentWidget());
    message->setObjectName(column + QStringLiteral("_message"));
    message->setWordWrap(true);
    QPalette bad = message->palette();
    bad.setColor(QPalette::WindowText, Theme::negative());
    message->setPalette(bad);
    message->hide();
    m_messages.insert(column, message);
    form->addRow(QString(), message);
}

void TransactionEditDialog::load(const TaxTransaction& t) {
    auto set = [this](const char* column, const QString& text) {
        m_lines.value(QLatin1String(column))->setText(text);
    };
    m_type->setCurrentIndex(m_type->findData(toString(t.transactionType)));
    set("timestamp", t.timestamp.toString());
    set("wallet", t.wallet);
    set("chain_id", QString::number(t.chainId));
    set("block_number", QString::number(t.blockNumber));
    set("transaction_hash", t.transactionHash);
    set("asset_in_symbol", t.assetInSymbol.value_or(QString()));
    set("asset_out_symbol", t.assetOutSymbol.value_or(QString()));
    set("fee_symbol", t.feeSymbol.value_or(QString()));
    TaxTransaction copy = t;
    for (const char* column : kDecimalColumns) {
        const std::optional<Decimal>* value = decimalField(copy, QLatin1String(column));
        set(column, *value ? (*value)->toString() : QString());
    }
    m_method->setCurrentIndex(m_method->findData(toString(t.costBasisMethod)));
    set("holding_period_days",
        t.holdingPeriodDays ? QString::number(*t.holdingPeriodDays) : QString());
    m_longTerm->setCurrentIndex(!t.isLongTerm ? 0 : (*t.isLongTerm ? 1 : 2));
    set("tax_category", t.taxCategory.value_or(QString()));
    m_taxable->setChecked(t.isTaxable);
    m_notes->setPlainText(t.notes.value_or(QString()));
}

TaxTransaction TransactionEditDialog::rowFromForm(QHash<QString, QStringList>* problems) const {
    TaxTransaction t = m_original.value_or(TaxTransaction());
    if (!m_original) {
        t.id = newUuid();
        t.userId = m_userId;
    }
    auto text = [this](const char* column) {
        return m_lines.value(QLatin1String(column))->text();
    };
    auto integer = [&](const char* column, qint64* out) {
        const QString value = text(column).trimmed();
        bool ok = false;
        const qint64 parsed = value.toLongLong(&ok);
        if (!ok)
            (*problems)[QLatin1String(column)] << tr("Enter a whole number.");
        else
            *out = parsed;
    };
    t.transactionType =
        transactionTypeFromString(m_type->currentData().toString()).value_or(TransactionType::Buy);
    if (const Result<Timestamp> when = Timestamp::parse(text("timestamp").trimmed()); when)
        t.timestamp = *when;
    else
        (*problems)[QStringLiteral("timestamp")] << when.error();
    t.wallet = text("wallet").trimmed();
    integer("chain_id", &t.chainId);
    integer("block_number", &t.blockNumber);
    t.transactionHash = text("transaction_hash").trimmed();
    t.assetInSymbol = optionalText(text("asset_in_symbol"));
    t.assetOutSymbol = optionalText(text("asset_out_symbol"));
    t.feeSymbol = optionalText(text("fee_symbol"));
    for (const char* column : kDecimalColumns) {
        std::optional<Decimal>* field = decimalField(t, QLatin1String(column));
        const QString value = text(column).trimmed();
        if (value.isEmpty()) {
            field->reset();
            continue;
        }
        if (const Result<Decimal> parsed = Decimal::parse(QStringView(value)); parsed)
            *field = *parsed;
        else
            (*problems)[QLatin1String(column)] << parsed.error();
    }
    t.costBasisMethod = costBasisMethodFromString(m_method->currentData().toString())
                            .value_or(CostBasisMethod::Fifo);
    const QString held = text("holding_period_days").trimmed();
    if (held.isEmpty()) {
        t.holdingPeriodDays.reset();
    } else {
        qint64 days = 0;
        integer("holding_period_days", &days);
        t.holdingPeriodDays = days;
    }
    t.isLongTerm = m_longTerm->currentIndex() == 0
                       ? std::nullopt
                       : std::optional<bool>(m_longTerm->currentIndex() == 1);
    t.taxCategory = optionalText(text("tax_category"));
    t.isTaxable = m_taxable->isChecked();
    t.notes = optionalText(m_notes->toPlainText());
    t.updatedAt.reset();
    return t;
}

void TransactionEditDialog::showProblems(const QHash<QString, QStringList>& problems) {
    for (auto it = m_messages.begin(); it != m_messages.end(); ++it) {
        const QStringList list = problems.value(it.key());
        it.value()->setText(list.join(QLatin1Char('\n')));
        it.value()->setVisible(!list.isEmpty());
    }
    const QStringList general = problems.value(QString());
    if (problems.isEmpty()) {
        m_summary->hide();
        return;
    }
    m_summary->setText(general.isEmpty()
                           ? tr("Some fields need attention; nothing was saved.")
                           : tr("Nothing was saved: %1").arg(general.join(QLatin1Char(' '))));
    m_summary->show();
    // Take the user to the first field that needs attention.
    for (auto it = m_lines.begin(); it != m_lines.end(); ++it) {
        if (problems.contains(it.key())) {
            it.value()->setFocus();
            break;
        }
    }
}

QString TransactionEditDialog::messageFor(const QString& column) const {
    const QLabel* label = m_messages.value(column);
    return label && !label->isHidden() ? label->text() : QString();
}

bool TransactionEditDialog::save() {
    // Saved already (a second click on Save): never insert the row twice.
    if (!m_savedId.isEmpty())
        return true;
    QHash<QString, QStringList> problems;
    const TaxTransaction row = rowFromForm(&problems);
    // The row's own rules; each message starts with the column it is about. A field that could
    // not be read at all keeps only that message.
    for (const QString& message : row.validate()) {
        QString column;
        for (auto it = m_messages.begin(); it != m_messages.end(); ++it) {
            if (message.startsWith(it.key() + QLatin1Char(' ')) && it.key().size() > column.size())
                column = it.key();
        }
        if (!column.isEmpty() && problems.contains(column))
            continue;
        problems[column] << message;
    }
    if (!problems.isEmpty()) {
        showProblems(problems);
        return false;
    }
    store::TransactionRepository repository(m_db);
    const Status written = m_original ? repository.update(row) : repository.insert(row);
    if (!written) {
        problems[QString()] << written.error();
        showProblems(problems);
        return false;
    }
    m_savedId = row.id;
    showProblems({});
    return true;
}

void TransactionEditDialog::accept() {
    if (save())
        QDialog::accept();
}

} // namespace llamadesk::ui
