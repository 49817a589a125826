// SettingsPanel: what the user types is checked at once, a bad field says what is wrong with
// it, Apply waits until everything is valid, and Apply hands over exactly what was typed.
#include "settingspanel.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTest>

using namespace lifeline::ui;

namespace {

AppConfig validConfig()
{
    AppConfig config;
    config.setUser(QStringLiteral("alice"));
    config.setToken(QStringLiteral("dev-token"));
    return config;
}

// Replaces the text the way a user does: select all, type.
void retype(QWidget *widget, const QString &text)
{
    widget->setFocus();
    QTest::keyClick(widget, Qt::Key_A, Qt::ControlModifier);
    QTest::keyClick(widget, Qt::Key_Backspace);
    QTest::keyClicks(widget, text);
}

} // namespace

class TestSettingsPanel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    void showsConfig();
    void invalidUrlIsNamedAndBlocksApply();
    void negativeValuesAreNamedAndBlockApply_data();
    void negativeValuesAreNamedAndBlockApply();
    void fixingTheFieldEnablesApply();
    void applyEmitsTheEditedValues();

private:
    std::unique_ptr<SettingsPanel> m_panel;
};

void TestSettingsPanel::init()
{
    m_panel = std::make_unique<SettingsPanel>();
    m_panel->setConfig(validConfig());
    m_panel->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_panel.get()));
}

void TestSettingsPanel::cleanup()
{
    m_panel.reset();
}

void TestSettingsPanel::showsConfig()
{
    AppConfig config = validConfig();
    config.setServerUrl(QStringLiteral("ws://127.0.0.1:9999"));
    config.setMode(AppConfig::Mode::Manual);
    config.setJitter(0.25);
    config.setLanguage(QStringLiteral("pt_BR"));
    m_panel->setConfig(config);
    QCOMPARE(m_panel->serverUrlEdit()->text(), QStringLiteral("ws://127.0.0.1:9999"));
    QCOMPARE(m_panel->jitterSpin()->value(), 0.25);
    QVERIFY(m_panel->config() == config);
    QVERIFY(m_panel->applyButton()->isEnabled());
    QVERIFY(m_panel->problemText().isEmpty());
    QVERIFY(!m_panel->problemLabel(QStringLiteral("serverUrl"))->isVisible());
}

void TestSettingsPanel::invalidUrlIsNamedAndBlocksApply()
{
    QSignalSpy acceptable(m_panel.get(), &SettingsPanel::acceptableChanged);
    retype(m_panel->serverUrlEdit(), QStringLiteral("http://example.org"));

    QVERIFY(!m_panel->applyButton()->isEnabled());
    QCOMPARE(acceptable.size(), 1);
    QCOMPARE(acceptable.first().at(0).toBool(), false);
    QVERIFY2(m_panel->problemText().startsWith(QLatin1String("serverUrl: ")),
             qPrintable(m_panel->problemText()));
    QVERIFY(m_panel->problemText().contains(QLatin1String("ws://")));
    QLabel *problem = m_panel->problemLabel(QStringLiteral("serverUrl"));
    QVERIFY(problem->isVisible());
    QVERIFY(problem->text().contains(QLatin1String("ws://")));
    QCOMPARE(m_panel->serverUrlEdit()->property("invalid").toBool(), true);
    // The other fields are left alone.
    QVERIFY(!m_panel->problemLabel(QStringLiteral("user"))->isVisible());
    QCOMPARE(m_panel->userEdit()->property("invalid").toBool(), false);

    // Clicking the disabled button does nothing.
    QSignalSpy applied(m_panel.get(), &SettingsPanel::applied);
    QTest::mouseClick(m_panel->applyButton(), Qt::LeftButton);
    QCOMPARE(applied.size(), 0);
}

void TestSettingsPanel::negativeValuesAreNamedAndBlockApply_data()
{
    QTest::addColumn<QString>("field");
    QTest::newRow("backgroundGraceS") << QStringLiteral("backgroundGraceS");
    QTest::newRow("heartbeatIntervalS") << QStringLiteral("heartbeatIntervalS");
    QTest::newRow("heartbeatTimeoutS") << QStringLiteral("heartbeatTimeoutS");
    QTest::newRow("reconnectInitialS") << QStringLiteral("reconnectInitialS");
    QTest::newRow("maxAttempts") << QStringLiteral("maxAttempts");
    QTest::newRow("jitter") << QStringLiteral("jitter");
}

void TestSettingsPanel::negativeValuesAreNamedAndBlockApply()
{
    QFETCH(QString, field);
    auto *editor = m_panel->findChild<QAbstractSpinBox *>(field);
    QVERIFY(editor);
    retype(editor, QStringLiteral("-3"));

    QVERIFY(!m_panel->applyButton()->isEnabled());
    QVERIFY2(m_panel->problemText().startsWith(field + QLatin1String(": ")),
             qPrintable(m_panel->problemText()));
    QVERIFY(m_panel->problemLabel(field)->isVisible());
    QVERIFY(m_panel->problemLabel(field)->text().contains(QLatin1String("-3")));
    QCOMPARE(editor->property("invalid").toBool(), true);
}

void TestSettingsPanel::fixingTheFieldEnablesApply()
{
    retype(m_panel->serverUrlEdit(), QStringLiteral("ws//nope"));
    retype(m_panel->heartbeatTimeoutSpin(), QStringLiteral("-1"));
    QVERIFY(!m_panel->applyButton()->isEnabled());
    QCOMPARE(m_panel->problemText().count(QLatin1Char('\n')), 1); // two problems

    retype(m_panel->serverUrlEdit(), QStringLiteral("wss://chat.example.org"));
    QVERIFY(!m_panel->applyButton()->isEnabled()); // the timeout is still bad
    QVERIFY(!m_panel->problemLabel(QStringLiteral("serverUrl"))->isVisible());
    QCOMPARE(m_panel->serverUrlEdit()->property("invalid").toBool(), false);

    retype(m_panel->heartbeatTimeoutSpin(), QStringLiteral("3"));
    QVERIFY(m_panel->applyButton()->isEnabled());
    QVERIFY(m_panel->problemText().isEmpty());

    // An empty URL is valid too: the bundled server.
    retype(m_panel->serverUrlEdit(), QString());
    QVERIFY(m_panel->applyButton()->isEnabled());
}

void TestSettingsPanel::applyEmitsTheEditedValues()
{
    QSignalSpy applied(m_panel.get(), &SettingsPanel::applied);
    retype(m_panel->serverUrlEdit(), QStringLiteral("ws://10.0.0.5:7000"));
    retype(m_panel->userEdit(), QStringLiteral("bob"));
    retype(m_panel->tokenEdit(), QStringLiteral("t0ken"));
    m_panel->modeCombo()->setCurrentIndex(
        m_panel->modeCombo()->findData(QVariant::fromValue(AppConfig::Mode::Manual)));
    retype(m_panel->backgroundGraceSpin(), QStringLiteral("50"));
    QTest::mouseClick(m_panel->keepAliveCheck(), Qt::LeftButton);
    QVERIFY(m_panel->keepAlivePingSpin()->isEnabled());
    retype(m_panel->keepAlivePingSpin(), QStringLiteral("20"));
    retype(m_panel->heartbeatIntervalSpin(), QStringLiteral("8"));
    retype(m_panel->heartbeatTimeoutSpin(), QStringLiteral("4"));
    retype(m_panel->reconnectInitialSpin(), QStringLiteral("2"));
    retype(m_panel->reconnectMaxSpin(), QStringLiteral("60"));
    retype(m_panel->maxAttemptsSpin(), QStringLiteral("9"));
    retype(m_panel->jitterSpin(), QStringLiteral("0.2"));
    m_panel->languageCombo()->setCurrentIndex(
        m_panel->languageCombo()->findData(QStringLiteral("de")));
    QVERIFY2(m_panel->applyButton()->isEnabled(), qPrintable(m_panel->problemText()));

    QTest::mouseClick(m_panel->applyButton(), Qt::LeftButton);
    QCOMPARE(applied.size(), 1);
    const auto config = applied.first().at(0).value<AppConfig>();
    QCOMPARE(config.serverUrl(), QStringLiteral("ws://10.0.0.5:7000"));
    QCOMPARE(config.user(), QStringLiteral("bob"));
    QCOMPARE(config.token(), QStringLiteral("t0ken"));
    QCOMPARE(config.mode(), AppConfig::Mode::Manual);
    QCOMPARE(config.backgroundGraceS(), 50);
    QCOMPARE(config.keepAliveInBackground(), true);
    QCOMPARE(config.keepAlivePingS(), 20);
    QCOMPARE(config.heartbeatIntervalS(), 8);
    QCOMPARE(config.heartbeatTimeoutS(), 4);
    QCOMPARE(config.reconnectInitialS(), 2);
    QCOMPARE(config.reconnectMaxS(), 60);
    QCOMPARE(config.maxAttempts(), 9);
    QCOMPARE(config.jitter(), 0.2);
    QCOMPARE(config.language(), QStringLiteral("de"));
    QVERIFY(config == m_panel->config());
}

QTEST_MAIN(TestSettingsPanel)
#include "tst_settingspanel.moc"
