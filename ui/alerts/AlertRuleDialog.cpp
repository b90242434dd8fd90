#include "AlertRuleDialog.h"

#include "AlertRuleModel.h"
#include "alerts/AlertEvaluator.h"
#include "app/Theme.h"
#include "domain/Uuid.h"
#include "store/AlertRepository.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QScrollArea>
#include <QSpinBox>
#include <QVBoxLayout>

namespace llamadesk::ui {

namespace {

const QList<AlertType> kTypes = {AlertType::PriceChange,   AlertType::PortfolioValue,
                                 AlertType::GasPrice,      AlertType::TvlChange,
                                 AlertType::VolumeSpike,   AlertType::SecurityRisk,
                                 AlertType::WhaleMovement, AlertType::NewListing};
const QList<ConditionOperator> kOperators = {
    ConditionOperator::Greater,     ConditionOperator::Less,  ConditionOperator::GreaterOrEqual,
    ConditionOperator::LessOrEqual, ConditionOperator::Equal, ConditionOperator::NotEqual};

std::optional<QString> optionalText(const QLineEdit* edit) {
    const QString t = edit->text().trimmed();
    return t.isEmpty() ? std::nullopt : std::optional<QString>(t);
}

} // namespace

AlertRuleDialog::AlertRuleDialog(QSqlDatabase db, const QString& userId,
                                 const std::optional<AlertRule>& existing,
                                 const QStringList& assets, QWidget* parent)
    : QDialog(parent)
    , m_db(std::move(db)) {
    m_new = !existing;
    if (existing) {
        m_rule = *existing;
    } else {
        m_rule.id = newUuid();
        m_rule.userId = userId;
        m_rule.targetType = QStringLiteral("token");
        m_rule.cooldownMinutes = 60;
        m_rule.maxTriggersPerDay = 10;
    }
    setWindowTitle(m_new ? tr("New alert rule") : tr("Edit alert rule"));
    setMinimumWidth(620);

    auto* outer = new QVBoxLayout(this);
    auto* content = new QWidget(this);
    auto* form = new QFormLayout(content);
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    form->setVerticalSpacing(4);

    auto section = [&](const QString& title) {
        auto* label = new QLabel(title, content);
        QFont f = label->font();
        f.setBold(true);
        label->setFont(f);
        label->setContentsMargins(0, 8, 0, 2);
        form->addRow(label);
    };

    section(tr("What to watch"));
    m_name = new QLineEdit(m_rule.name, content);
    m_name->setPlaceholderText(tr("e.g. ETH above $4,000"));
    addField(form, tr("&Name:"), m_name, QStringLiteral("name"));
    m_description = new QLineEdit(m_rule.description.value_or(QString()), content);
    m_description->setPlaceholderText(tr("Optional"));
    addField(form, tr("&Description:"), m_description, QStringLiteral("description"));
    m_type = new QComboBox(content);
    for (AlertType t : kTypes)
        m_type->addItem(AlertRuleModel::typeLabel(t), int(t));
    m_type->setCurrentIndex(int(kTypes.indexOf(m_rule.alertType)));
    addField(form, tr("&Alert type:"), m_type, QStringLiteral("alert_type"));
    m_locality = new QLabel(content);
    m_locality->setWordWrap(true);
    form->addRow(QString(), m_locality);
    m_targetType = new QComboBox(content);
    m_targetType->setEditable(true);
    for (const char* t : {"token", "portfolio", "chain", "protocol", "wallet"})
        m_targetType->addItem(QString::fromLatin1(t));
    m_targetType->setCurrentText(m_rule.targetType);
    addField(form, tr("Target &kind:"), m_targetType, QStringLiteral("target_type"));
    m_target = new QComboBox(content);
    m_target->setEditable(true);
    m_target->addItems(assets);
    m_target->setCurrentText(m_rule.targetId);
    addField(form, tr("&Target:"), m_target, QStringLiteral("target_id"));
    m_chain = new QLineEdit(m_rule.chainId ? QString::number(*m_rule.chainId) : QString(), content);
    m_chain->setPlaceholderText(tr("Optional, e.g. 1 for Ethereum"));
    addField(form, tr("&Chain id:"), m_chain, QStringLiteral("chain_id"));

    section(tr("Condition"));
    auto* condition = new QWidget(content);
    condition->setObjectName(QStringLiteral("condition"));
    auto* c = new QHBoxLayout(condition);
    c->setContentsMargins(0, 0, 0, 0);
    m_operator = new QComboBox(condition);
    m_operator->setObjectName(QStringLiteral("condition_operator"));
    for (ConditionOperator op : kOperators)
        m_operator->addItem(AlertRuleModel::operatorLabel(op) + QStringLiteral("  (") +
                                toString(op) + QLatin1Char(')'),
                            int(op));
    m_operator->setCurrentIndex(int(kOperators.indexOf(m_rule.conditionOperator)));
    m_threshold = new QLineEdit(m_new ? QString() : m_rule.thresholdValue.toString(), condition);
    m_threshold->setObjectName(QStringLiteral("threshold_value"));
    m_threshold->setPlaceholderText(tr("e.g. 4000 or -5"));
    m_thresholdType = new QComboBox(condition);
    m_thresholdType->setObjectName(QStringLiteral("threshold_type"));
    m_thresholdType->addItem(tr("absolute value"), int(ThresholdType::Absolute));
    m_thresholdType->addItem(tr("% change"), int(ThresholdType::Percentage));
    m_thresholdType->setCurrentIndex(m_rule.thresholdType == ThresholdType::Percentage ? 1 : 0);
    c->addWidget(m_operator);
    c->addWidget(m_threshold, 1);
    c->addWidget(m_thresholdType);
    addField(form, tr("&When the value is:"), condition, QStringLiteral("threshold_value"));
    m_fields.insert(QStringLiteral("threshold_value"), m_threshold);
    m_fields.insert(QStringLiteral("condition_operator"), m_operator);
    m_fields.insert(QStringLiteral("threshold_type"), m_thresholdType);
    m_timeframe = new QSpinBox(content);
    m_timeframe->setRange(1, 60 * 24 * 365);
    m_timeframe->setSuffix(tr(" min"));
    m_timeframe->setValue(int(m_rule.timeframeMinutes));
    m_timeframe->setToolTip(tr("A percentage compares the value now with the value this long "
                               "ago."));
    addField(form, tr("Over the last:"), m_timeframe, QStringLiteral("timeframe_minutes"));

    section(tr("Notifications"));
    auto* channels = new QWidget(content);
    auto* ch = new QHBoxLayout(channels);
    ch->setContentsMargins(0, 0, 0, 0);
    for (const QString& channel : alertChannels()) {
        auto* box = new QCheckBox(channel, channels);
        box->setObjectName(QStringLiteral("channel_") + channel);
        box->setChecked(m_rule.notificationChannels.contains(channel));
        m_channels.insert(channel, box);
        ch->addWidget(box);
    }
    ch->addStretch();
    addField(form, tr("Also send by:"), channels, QStringLiteral("notification_channels"));
    auto* desktopNote = new QLabel(
        tr("A desktop notification is always shown while LlamaDesk runs; the other channels are "
           "delivered by the sync server."),
        content);
    desktopNote->setWordWrap(true);
    desktopNote->setStyleSheet(QStringLiteral("color: %1;").arg(Theme::mutedText().name()));
    form->addRow(QString(), desktopNote);
    m_webhook = new QLineEdit(m_rule.webhookUrl.value_or(QString()), content);
    m_webhook->setPlaceholderText(QStringLiteral("https://"));
    addField(form, tr("&Webhook URL:"), m_webhook, QStringLiteral("webhook_url"));
    m_telegram = new QLineEdit(m_rule.telegramChatId.value_or(QString()), content);
    addField(form, tr("Telegram &chat id:"), m_telegram, QStringLiteral("telegram_chat_id"));
    m_discord = new QLineEdit(m_rule.discordWebhookUrl.value_or(QString()), content);
    m_discord->setPlaceholderText(QStringLiteral("https://discord.com/api/webhooks/…"));
    addField(form, tr("&Discord webhook:"), m_discord, QStringLiteral("discord_webhook_url"));

    section(tr("Limits"));
    m_cooldown = new QSpinBox(content);
    m_cooldown->setRange(0, 60 * 24 * 30);
    m_cooldown->setSuffix(tr(" min"));
    m_cooldown->setValue(int(m_rule.cooldownMinutes));
    addField(form, tr("C&ooldown between alerts:"), m_cooldown, QStringLiteral("cooldown_minutes"));
    m_maxPerDay = new QSpinBox(content);
    m_maxPerDay->setRange(1, 1000);
    m_maxPerDay->setValue(int(m_rule.maxTriggersPerDay));
    addField(form, tr("&At most per day:"), m_maxPerDay, QStringLiteral("max_triggers_per_day"));
    m_active = new QCheckBox(tr("Rule is &on"), content);
    m_active->setObjectName(QStringLiteral("is_active"));
    m_active->setChecked(m_rule.isActive);
    form->addRow(QString(), m_active);
    m_fields.insert(QStringLiteral("is_active"), m_active);

    auto* scroll = new QScrollArea(this);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    scroll->setWidget(content);
    outer->addWidget(scroll, 1);
    m_general = new QLabel(this);
    m_general->setWordWrap(true);
    m_general->setStyleSheet(QStringLiteral("color: %1;").arg(Theme::negative().name()));
    m_general->hide();
    outer->addWidget(m_general);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Save | QDialogButtonBox::Cancel, this);
    outer->addWidget(buttons);
    connect(buttons, &QDialogButtonBox::accepted, this, &AlertRuleDialog::save);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_type, &QComboBox::currentIndexChanged, this, &AlertRuleDialog::updateForType);
    updateForType();
    resize(660, 760);
}

QLabel* AlertRuleDialog::addField(QFormLayout* form, const QString& label, QWidget* editor,
                                  const QString& column) {
    if (editor->objectName().isEmpty())
        editor->setObjectName(column);
    auto* box = new QWidget(form->parentWidget());
    auto* v = new QVBoxLayout(box);
    v->setContentsMargins(0, 0, 0, 0);
    v->setSpacing(2);
    v->addWidget(editor);
    auto* problem = new QLabel(box);
    problem->setObjectName(column + QStringLiteral("_problem"));
    problem->setWordWrap(true);
    problem->setStyleSheet(QStringLiteral("color: %1;").arg(Theme::negative().name()));
    problem->hide();
    v->addWidget(problem);
    form->addRow(label, box);
    if (auto* l = qobject_cast<QLabel*>(form->labelForField(box)))
        l->setBuddy(editor);
    m_problems.insert(column, problem);
    m_fields.insert(column, editor);
    return problem;
}

void AlertRuleDialog::updateForType() {
    const auto type = AlertType(m_type->currentData().toInt());
    const bool local = alerts::AlertEvaluator::locality(type) == alerts::Locality::Local;
    m_locality->setText(local ? tr("Evaluated on this computer from the data in your vault.")
                              : tr("Needs the sync server: this rule is stored now and evaluated "
                                   "once sync is set up."));
    m_locality->setStyleSheet(
        QStringLiteral("color: %1;").arg((local ? Theme::positive() : Theme::mutedText()).name()));
    // Sensible target kinds for the local types; the user may still type another.
    if (type == AlertType::PortfolioValue) {
        m_targetType->setCurrentText(QStringLiteral("portfolio"));
        if (m_target->currentText().isEmpty())
            m_target->setCurrentText(QStringLiteral("total"));
    } else if (type == AlertType::GasPrice) {
        m_targetType->setCurrentText(QStringLiteral("chain"));
    } else if (type == AlertType::PriceChange &&
               m_targetType->currentText() != QLatin1String("token")) {
        m_targetType->setCurrentText(QStringLiteral("token"));
    }
}

QWidget* AlertRuleDialog::field(const QString& column) const {
    return m_fields.value(column);
}

QString AlertRuleDialog::problem(const QString& column) const {
    QLabel* label = m_problems.value(column);
    return label != nullptr && !label->isHidden() ? label->text() : QString();
}

void AlertRuleDialog::clearProblems() {
    for (QLabel* label : std::as_const(m_problems)) {
        label->clear();
        label->hide();
    }
    m_general->clear();
    m_general->hide();
}

void AlertRuleDialog::showProblem(const QString& column, const QString& text) {
    QLabel* label = m_problems.value(column);
    if (label == nullptr) {
        label = m_general;
    }
    label->setText(label->text().isEmpty() ? text : label->text() + QLatin1Char('\n') + text);
    label->show();
}

AlertRule AlertRuleDialog::rule() const {
    AlertRule r = m_rule;
    r.name = m_name->text().trimmed();
    r.description = optionalText(m_description);
    r.alertType = AlertType(m_type->currentData().toInt());
    r.targetType = m_targetType->currentText().trimmed();
    r.targetId = m_target->currentText().trimmed();
    if (r.alertType == AlertType::PriceChange)
        r.targetId = r.targetId.toUpper();
    bool ok = false;
    const qint64 chain = m_chain->text().trimmed().toLongLong(&ok);
    r.chainId = ok ? std::optional<qint64>(chain) : std::nullopt;
    r.conditionOperator = ConditionOperator(m_operator->currentData().toInt());
    const Result<Decimal> threshold = Decimal::parse(QStringView(m_threshold->text().trimmed()));
    r.thresholdValue = threshold ? threshold.value() : Decimal::invalid();
    r.thresholdType = ThresholdType(m_thresholdType->currentData().toInt());
    r.timeframeMinutes = m_timeframe->value();
    r.notificationChannels.clear();
    for (const QString& channel : alertChannels()) {
        if (m_channels.value(channel)->isChecked())
            r.notificationChannels.append(channel);
    }
    r.webhookUrl = optionalText(m_webhook);
    r.telegramChatId = optionalText(m_telegram);
    r.discordWebhookUrl = optionalText(m_discord);
    r.cooldownMinutes = m_cooldown->value();
    r.maxTriggersPerDay = m_maxPerDay->value();
    r.isActive = m_active->isChecked();
    return r;
}

void AlertRuleDialog::save() {
    clearProblems();
    AlertRule r = rule();
    bool problems = false;
    const Result<Decimal> threshold = Decimal::parse(QStringView(m_threshold->text().trimmed()));
    if (!threshold) {
        showProblem(QStringLiteral("threshold_value"),
                    m_threshold->text().trimmed().isEmpty()
                        ? tr("Enter the threshold, e.g. 4000 or -5 (a dot for decimals).")
                        : tr("Not a number: %1").arg(threshold.error()));
        problems = true;
    }
    if (!m_chain->text().trimmed().isEmpty() && !r.chainId) {
        showProblem(QStringLiteral("chain_id"), tr("The chain id is a whole number, e.g. 1."));
        problems = true;
    }
    if (r.alertType == AlertType::GasPrice && !r.chainId) {
        bool ok = false;
        r.targetId.toLongLong(&ok);
        if (!ok) {
            showProblem(QStringLiteral("target_id"),
                        tr("A gas alert watches a chain: enter its id, e.g. 1 for Ethereum."));
            problems = true;
        }
    }
    if (r.notificationChannels.isEmpty()) {
        // The schema wants one delivery channel; e-mail is the one every account has.
        r.notificationChannels = {QStringLiteral("email")};
    }
    if (threshold) {
        const QStringList errors = r.validate();
        for (const QString& error : errors) {
            // Messages name their column ("threshold_value ...", "The webhook channel needs a
            // webhook_url."): show each under the editor of the first column it names.
            QString column;
            for (auto it = m_problems.constBegin(); it != m_problems.constEnd(); ++it) {
                if (error.contains(it.key()) && it.key().size() > column.size())
                    column = it.key();
            }
            showProblem(column, error);
            problems = true;
        }
    }
    if (problems)
        return;
    store::AlertRepository repository(m_db);
    const Status stored = m_new ? repository.insertRule(r) : repository.updateRule(r);
    if (!stored) {
        showProblem(QString(), stored.error());
        return;
    }
    if (!m_new && r.isActive != m_rule.isActive) {
        if (const Status s = repository.setActive(r.id, r.isActive); !s) {
            showProblem(QString(), s.error());
            return;
        }
    }
    m_rule = r;
    accept();
}

} // namespace llamadesk::ui
