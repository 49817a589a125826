#pragma once

#include "appconfig.h"

#include <QHash>
#include <QWidget>

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QFormLayout;
class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;

namespace lifeline::ui {

// The form for every AppConfig field. Each field is checked as it is typed, by
// AppConfig::validationErrors() so the panel and the stored config never disagree: a bad field
// gets a red frame and a line under it naming the problem, and Apply stays disabled until every
// field is valid.
class SettingsPanel : public QWidget
{
    Q_OBJECT
    // Whether every field is valid, i.e. whether Apply is enabled.
    Q_PROPERTY(bool acceptable READ isAcceptable NOTIFY acceptableChanged)

public:
    explicit SettingsPanel(QWidget *parent = nullptr);
    ~SettingsPanel() override;

    // Shows config in the form without emitting applied().
    void setConfig(const AppConfig &config);
    // What the form shows now, valid or not.
    AppConfig config() const;
    bool isAcceptable() const { return m_acceptable; }

    // The problems shown under the fields, one "field: problem" line each; empty when valid.
    QString problemText() const;

    // For tests.
    QLineEdit *serverUrlEdit() const { return m_serverUrl; }
    QLineEdit *userEdit() const { return m_user; }
    QLineEdit *tokenEdit() const { return m_token; }
    QComboBox *modeCombo() const { return m_mode; }
    QSpinBox *backgroundGraceSpin() const { return m_backgroundGrace; }
    QCheckBox *keepAliveCheck() const { return m_keepAlive; }
    QSpinBox *keepAlivePingSpin() const { return m_keepAlivePing; }
    QSpinBox *heartbeatIntervalSpin() const { return m_heartbeatInterval; }
    QSpinBox *heartbeatTimeoutSpin() const { return m_heartbeatTimeout; }
    QSpinBox *reconnectInitialSpin() const { return m_reconnectInitial; }
    QSpinBox *reconnectMaxSpin() const { return m_reconnectMax; }
    QSpinBox *maxAttemptsSpin() const { return m_maxAttempts; }
    QDoubleSpinBox *jitterSpin() const { return m_jitter; }
    QComboBox *languageCombo() const { return m_language; }
    QPushButton *applyButton() const { return m_apply; }
    // The line under a field ("serverUrl", "jitter", ... as in validationErrors()).
    QLabel *problemLabel(const QString &field) const;

Q_SIGNALS:
    // The user pressed Apply with a valid config.
    void applied(const AppConfig &config);
    // isAcceptable() changed.
    void acceptableChanged(bool acceptable);

protected:
    void changeEvent(QEvent *event) override;

private:
    struct Field
    {
        QWidget *editor = nullptr;
        QLabel *caption = nullptr; // null for a check box, which says it itself
        QLabel *problem = nullptr;
    };

    void retranslateUi();
    void addField(QFormLayout *form, const QString &name, QWidget *editor, bool captioned = true);
    void describeField(const QString &name, const QString &label, const QString &hint);
    QSpinBox *makeSeconds(int minimum);
    QList<QSpinBox *> secondsSpins() const;
    void revalidate();
    void apply();

    QLineEdit *m_serverUrl;
    QLineEdit *m_user;
    QLineEdit *m_token;
    QComboBox *m_mode;
    QSpinBox *m_backgroundGrace;
    QCheckBox *m_keepAlive;
    QSpinBox *m_keepAlivePing;
    QSpinBox *m_heartbeatInterval;
    QSpinBox *m_heartbeatTimeout;
    QSpinBox *m_reconnectInitial;
    QSpinBox *m_reconnectMax;
    QSpinBox *m_maxAttempts;
    QDoubleSpinBox *m_jitter;
    QComboBox *m_language;
    QPushButton *m_apply;
    QHash<QString, Field> m_fields;
    QStringList m_problems;
    bool m_acceptable = true;
};

} // namespace lifeline::ui
