#include "settingspanel.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QStyle>
#include <QVBoxLayout>

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
    , m_keepAlive(new QCheckBox(tr("Ping in background to keep the link"), this))
    , m_keepAlivePing(makeSeconds(-SpinLimit))
    , m_heartbeatInterval(makeSeconds(-SpinLimit))
    , m_heartbeatTimeout(makeSeconds(-SpinLimit))
    , m_reconnectInitial(makeSeconds(-SpinLimit))
    , m_reconnectMax(makeSeconds(-SpinLimit))
    , m_maxAttempts(new QSpinBox(this))
    , m_jitter(new QDoubleSpinBox(this))
    , m_language(new QComboBox(this))
    , m_apply(new QPushButton(tr("Apply"), this))
{
    setObjectName(QStringLiteral("settingsPanel"));
    // The red frame is drawn by the style sheet so it works with every widget style.
    setStyleSheet(QStringLiteral("QLineEdit[invalid=\"true\"], QAbstractSpinBox[invalid=\"true\"] "
                                 "{ border: 2px solid #c62828; border-radius: 3px; }"
                                 "QLabel[problem=\"true\"] { color: #c62828; }"));

    m_serverUrl->setPlaceholderText(tr("empty: the bundled server"));
    m_serverUrl->setClearButtonEnabled(true);
    m_token->setEchoMode(QLineEdit::Password);
    m_mode->addItem(tr("Automatic"), QVariant::fromValue(AppConfig::Mode::Auto));
    m_mode->addItem(tr("Manual"), QVariant::fromValue(AppConfig::Mode::Manual));
    m_maxAttempts->setRange(-SpinLimit, SpinLimit);
    m_jitter->setRange(-100.0, 100.0);
    m_jitter->setDecimals(2);
    m_jitter->setSingleStep(0.05);
    m_language->addItem(tr("System language"), QString());
    m_language->addItem(QStringLiteral("English"), QStringLiteral("en"));
    m_language->addItem(QStringLiteral("Deutsch"), QStringLiteral("de"));

    auto *form = new QFormLayout;
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    addField(form, QStringLiteral("serverUrl"), tr("Server URL"), m_serverUrl,
             tr("ws:// or wss://; empty starts the bundled server."));
    addField(form, QStringLiteral("user"), tr("User"), m_user, {});
    addField(form, QStringLiteral("token"), tr("Token"), m_token, {});
    addField(form, QStringLiteral("mode"), tr("Connection"), m_mode,
             tr("Automatic connects in foreground and disconnects in background; manual leaves "
                "it to you."));
    addField(form, QStringLiteral("backgroundGraceS"), tr("Background grace"), m_backgroundGrace,
             tr("Manual mode: how long the link stays up in background without a ping."));
    addField(form, QStringLiteral("keepAliveInBackground"), QString(), m_keepAlive, {});
    addField(form, QStringLiteral("keepAlivePingS"), tr("Keep-alive ping every"), m_keepAlivePing,
             {});
    addField(form, QStringLiteral("heartbeatIntervalS"), tr("Heartbeat every"), m_heartbeatInterval,
             {});
    addField(form, QStringLiteral("heartbeatTimeoutS"), tr("Heartbeat timeout"), m_heartbeatTimeout,
             tr("No answer within this time means the link is dead."));
    addField(form, QStringLiteral("reconnectInitialS"), tr("First reconnect after"),
             m_reconnectInitial, {});
    addField(form, QStringLiteral("reconnectMaxS"), tr("Longest reconnect delay"), m_reconnectMax,
             {});
    addField(form, QStringLiteral("maxAttempts"), tr("Reconnect attempts"), m_maxAttempts,
             tr("0: never give up."));
    addField(form, QStringLiteral("jitter"), tr("Jitter"), m_jitter,
             tr("0 to 1: delays are drawn from (1 - jitter) x nominal to nominal."));
    addField(form, QStringLiteral("language"), tr("Language"), m_language,
             tr("Takes effect at the next start."));

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

    setConfig(AppConfig());
}

SettingsPanel::~SettingsPanel() = default;

QSpinBox *SettingsPanel::makeSeconds(int minimum)
{
    auto *spin = new QSpinBox(this);
    spin->setRange(minimum, SpinLimit);
    spin->setSuffix(tr(" s"));
    return spin;
}

void SettingsPanel::addField(QFormLayout *form, const QString &name, const QString &label,
                             QWidget *editor, const QString &hint)
{
    editor->setObjectName(name);
    editor->setToolTip(hint);
    auto *problem = new QLabel(this);
    problem->setObjectName(name + QLatin1String("Problem"));
    problem->setProperty("problem", true);
    problem->setWordWrap(true);
    problem->setVisible(false);

    auto *cell = new QVBoxLayout;
    cell->setSpacing(2);
    cell->addWidget(editor);
    cell->addWidget(problem);
    if (label.isEmpty()) {
        form->addRow(cell);
    } else {
        auto *caption = new QLabel(label, this);
        caption->setBuddy(editor);
        form->addRow(caption, cell);
    }
    m_fields.insert(name, Field {editor, problem});
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
