#include "settingspanel.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QEvent>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QStyle>
#include <QVBoxLayout>

namespace lifeline::ui {

namespace {

// The spin boxes accept far more than is valid on purpose: a spin box that silently refuses a
// "-" teaches nothing, while the line under the field says what the rule is.
constexpr int SpinLimit = 1000000;

const char *const InvalidProperty = "invalid";

} // namespace

SettingsPanel::SettingsPanel(QWidget *parent)
    : QWidget(parent)
    , m_serverUrl(new QLineEdit(this))
    , m_user(new QLineEdit(this))
    , m_token(new QLineEdit(this))
    , m_mode(new QComboBox(this))
    , m_backgroundGrace(makeSeconds(-SpinLimit))
    , m_keepAlive(new QCheckBox(this))
    , m_keepAlivePing(makeSeconds(-SpinLimit))
    , m_heartbeatInterval(makeSeconds(-SpinLimit))
    , m_heartbeatTimeout(makeSeconds(-SpinLimit))
    , m_reconnectInitial(makeSeconds(-SpinLimit))
    , m_reconnectMax(makeSeconds(-SpinLimit))
    , m_maxAttempts(new QSpinBox(this))
    , m_jitter(new QDoubleSpinBox(this))
    , m_language(new QComboBox(this))
    , m_apply(new QPushButton(this))
{
    setObjectName(QStringLiteral("settingsPanel"));
    // The red frame is drawn by the style sheet so it works with every widget style.
    setStyleSheet(QStringLiteral("QLineEdit[invalid=\"true\"], QAbstractSpinBox[invalid=\"true\"] "
                                 "{ border: 2px solid #c62828; border-radius: 3px; }"
                                 "QLabel[problem=\"true\"] { color: #c62828; }"));

    m_serverUrl->setClearButtonEnabled(true);
    m_token->setEchoMode(QLineEdit::Password);
    m_mode->addItem(QString(), QVariant::fromValue(AppConfig::Mode::Auto));
    m_mode->addItem(QString(), QVariant::fromValue(AppConfig::Mode::Manual));
    m_maxAttempts->setRange(-SpinLimit, SpinLimit);
    m_jitter->setRange(-100.0, 100.0);
    m_jitter->setDecimals(2);
    m_jitter->setSingleStep(0.05);
    // The languages name themselves, as everywhere: whoever cannot read the current one still
    // finds their own.
    m_language->addItem(QString(), QString());
    m_language->addItem(QStringLiteral("English"), QStringLiteral("en"));
    m_language->addItem(QStringLiteral("Deutsch"), QStringLiteral("de"));

    auto *form = new QFormLayout;
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    addField(form, QStringLiteral("serverUrl"), m_serverUrl);
    addField(form, QStringLiteral("user"), m_user);
    addField(form, QStringLiteral("token"), m_token);
    addField(form, QStringLiteral("mode"), m_mode);
    addField(form, QStringLiteral("backgroundGraceS"), m_backgroundGrace);
    addField(form, QStringLiteral("keepAliveInBackground"), m_keepAlive, false);
    addField(form, QStringLiteral("keepAlivePingS"), m_keepAlivePing);
    addField(form, QStringLiteral("heartbeatIntervalS"), m_heartbeatInterval);
    addField(form, QStringLiteral("heartbeatTimeoutS"), m_heartbeatTimeout);
    addField(form, QStringLiteral("reconnectInitialS"), m_reconnectInitial);
    addField(form, QStringLiteral("reconnectMaxS"), m_reconnectMax);
    addField(form, QStringLiteral("maxAttempts"), m_maxAttempts);
    addField(form, QStringLiteral("jitter"), m_jitter);
    addField(form, QStringLiteral("language"), m_language);

    auto *buttons = new QDialogButtonBox(this);
    buttons->addButton(m_apply, QDialogButtonBox::ApplyRole);
    m_apply->setDefault(true);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(buttons);
    layout->addStretch();

    for (QLineEdit *edit : {m_serverUrl, m_user, m_token})
        connect(edit, &QLineEdit::textChanged, this, &SettingsPanel::revalidate);
    for (QSpinBox *spin : {m_backgroundGrace, m_keepAlivePing, m_heartbeatInterval,
                           m_heartbeatTimeout, m_reconnectInitial, m_reconnectMax, m_maxAttempts})
        connect(spin, &QSpinBox::valueChanged, this, &SettingsPanel::revalidate);
    connect(m_jitter, &QDoubleSpinBox::valueChanged, this, &SettingsPanel::revalidate);
    connect(m_mode, &QComboBox::currentIndexChanged, this, &SettingsPanel::revalidate);
    connect(m_language, &QComboBox::currentIndexChanged, this, &SettingsPanel::revalidate);
    connect(m_keepAlive, &QCheckBox::toggled, this, &SettingsPanel::revalidate);
    connect(m_keepAlive, &QCheckBox::toggled, m_keepAlivePing, &QWidget::setEnabled);
    connect(m_apply, &QPushButton::clicked, this, &SettingsPanel::apply);

    retranslateUi();
    setConfig(AppConfig());
}

SettingsPanel::~SettingsPanel() = default;

void SettingsPanel::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    QWidget::changeEvent(event);
}

void SettingsPanel::retranslateUi()
{
    m_serverUrl->setPlaceholderText(tr("empty: the bundled server"));
    m_mode->setItemText(m_mode->findData(QVariant::fromValue(AppConfig::Mode::Auto)),
                        tr("Automatic"));
    m_mode->setItemText(m_mode->findData(QVariant::fromValue(AppConfig::Mode::Manual)),
                        tr("Manual"));
    m_language->setItemText(m_language->findData(QString()), tr("System language"));
    m_keepAlive->setText(tr("Ping in background to keep the link"));
    const QList<QSpinBox *> seconds = secondsSpins();
    for (QSpinBox *spin : seconds)
        spin->setSuffix(tr(" s"));
    m_apply->setText(tr("Apply"));

    describeField(QStringLiteral("serverUrl"), tr("Server URLs"),
                  tr("ws:// or wss://; several instances of one service separated by commas "
                     "(the app starts at one of them and moves on when it fails); empty starts "
                     "the bundled server."));
    describeField(QStringLiteral("user"), tr("User"), {});
    describeField(QStringLiteral("token"), tr("Token"), {});
    describeField(QStringLiteral("mode"), tr("Connection"),
                  tr("Automatic connects in foreground and disconnects in background; manual "
                     "leaves it to you."));
    describeField(QStringLiteral("backgroundGraceS"), tr("Background grace"),
                  tr("Manual mode: how long the link stays up in background without a ping."));
    describeField(QStringLiteral("keepAlivePingS"), tr("Keep-alive ping every"), {});
    describeField(QStringLiteral("heartbeatIntervalS"), tr("Heartbeat every"), {});
    describeField(QStringLiteral("heartbeatTimeoutS"), tr("Heartbeat timeout"),
                  tr("No answer within this time means the link is dead."));
    describeField(QStringLiteral("reconnectInitialS"), tr("First reconnect after"), {});
    describeField(QStringLiteral("reconnectMaxS"), tr("Longest reconnect delay"), {});
    describeField(QStringLiteral("maxAttempts"), tr("Reconnect attempts"), tr("0: never give up."));
    describeField(QStringLiteral("jitter"), tr("Jitter"),
                  tr("0 to 1: delays are drawn from (1 - jitter) x nominal to nominal; the "
                     "first after a lost link from 0 to nominal. 0: exact delays."));
    describeField(QStringLiteral("language"), tr("Language"),
                  tr("Applies at once, without a restart."));

    // The problems under the fields are sentences too.
    revalidate();
}

QSpinBox *SettingsPanel::makeSeconds(int minimum)
{
    auto *spin = new QSpinBox(this);
    spin->setRange(minimum, SpinLimit);
    return spin;
}

QList<QSpinBox *> SettingsPanel::secondsSpins() const
{
    return {m_backgroundGrace,  m_keepAlivePing,    m_heartbeatInterval,
            m_heartbeatTimeout, m_reconnectInitial, m_reconnectMax};
}

void SettingsPanel::describeField(const QString &name, const QString &label, const QString &hint)
{
    const Field field = m_fields.value(name);
    Q_ASSERT(field.editor);
    if (field.caption)
        field.caption->setText(label);
    field.editor->setToolTip(hint);
}

void SettingsPanel::addField(QFormLayout *form, const QString &name, QWidget *editor,
                             bool captioned)
{
    editor->setObjectName(name);
    auto *problem = new QLabel(this);
    problem->setObjectName(name + QLatin1String("Problem"));
    problem->setProperty("problem", true);
    problem->setWordWrap(true);
    problem->setVisible(false);

    auto *cell = new QVBoxLayout;
    cell->setSpacing(2);
    cell->addWidget(editor);
    cell->addWidget(problem);
    QLabel *caption = nullptr;
    if (captioned) {
        caption = new QLabel(this);
        caption->setBuddy(editor);
        form->addRow(caption, cell);
    } else {
        form->addRow(cell);
    }
    m_fields.insert(name, Field {editor, caption, problem});
}

void SettingsPanel::setConfig(const AppConfig &config)
{
    m_serverUrl->setText(config.serverUrl());
    m_user->setText(config.user());
    m_token->setText(config.token());
    m_mode->setCurrentIndex(m_mode->findData(QVariant::fromValue(config.mode())));
    m_backgroundGrace->setValue(config.backgroundGraceS());
    m_keepAlive->setChecked(config.keepAliveInBackground());
    m_keepAlivePing->setEnabled(config.keepAliveInBackground());
    m_keepAlivePing->setValue(config.keepAlivePingS());
    m_heartbeatInterval->setValue(config.heartbeatIntervalS());
    m_heartbeatTimeout->setValue(config.heartbeatTimeoutS());
    m_reconnectInitial->setValue(config.reconnectInitialS());
    m_reconnectMax->setValue(config.reconnectMaxS());
    m_maxAttempts->setValue(config.maxAttempts());
    m_jitter->setValue(config.jitter());
    int language = m_language->findData(config.language());
    if (language < 0) {
        // A code from the command line or an older version: show it rather than lose it.
        m_language->addItem(config.language(), config.language());
        language = m_language->count() - 1;
    }
    m_language->setCurrentIndex(language);
    revalidate();
}

AppConfig SettingsPanel::config() const
{
    AppConfig config;
    config.setServerUrl(m_serverUrl->text().trimmed());
    config.setUser(m_user->text());
    config.setToken(m_token->text());
    config.setMode(m_mode->currentData().value<AppConfig::Mode>());
    config.setBackgroundGraceS(m_backgroundGrace->value());
    config.setKeepAliveInBackground(m_keepAlive->isChecked());
    config.setKeepAlivePingS(m_keepAlivePing->value());
    config.setHeartbeatIntervalS(m_heartbeatInterval->value());
    config.setHeartbeatTimeoutS(m_heartbeatTimeout->value());
    config.setReconnectInitialS(m_reconnectInitial->value());
    config.setReconnectMaxS(m_reconnectMax->value());
    config.setMaxAttempts(m_maxAttempts->value());
    config.setJitter(m_jitter->value());
    config.setLanguage(m_language->currentData().toString());
    return config;
}

QString SettingsPanel::problemText() const
{
    return m_problems.join(QLatin1Char('\n'));
}

QLabel *SettingsPanel::problemLabel(const QString &field) const
{
    return m_fields.value(field).problem;
}

void SettingsPanel::revalidate()
{
    m_problems = config().validationErrors();
    QHash<QString, QStringList> byField;
    for (const QString &line : std::as_const(m_problems)) {
        const qsizetype colon = line.indexOf(QLatin1String(": "));
        byField[line.left(colon)].append(line.mid(colon + 2));
    }
    for (auto it = m_fields.cbegin(); it != m_fields.cend(); ++it) {
        const QStringList problems = byField.value(it.key());
        const bool invalid = !problems.isEmpty();
        it->problem->setText(problems.join(QLatin1Char('\n')));
        it->problem->setVisible(invalid);
        if (it->editor->property(InvalidProperty).toBool() != invalid) {
            it->editor->setProperty(InvalidProperty, invalid);
            // A dynamic property is only read by the style sheet when the widget is polished.
            it->editor->style()->unpolish(it->editor);
            it->editor->style()->polish(it->editor);
        }
        it->editor->setAccessibleDescription(it->problem->text());
    }

    const bool acceptable = m_problems.isEmpty();
    m_apply->setEnabled(acceptable);
    if (acceptable != m_acceptable) {
        m_acceptable = acceptable;
        Q_EMIT acceptableChanged(acceptable);
    }
}

void SettingsPanel::apply()
{
    if (!m_acceptable)
        return;
    Q_EMIT applied(config());
}

} // namespace lifeline::ui
