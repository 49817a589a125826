// AppConfig: its defaults, its QSettings round trip, the rule behind every field, and the SDK
// settings it makes.
#include "appconfig.h"

#include <QSettings>
#include <QTemporaryDir>
#include <QTest>
#include <QUrl>

#include <functional>

using namespace std::chrono_literals;
using namespace lifeline::ui;

Q_DECLARE_METATYPE(std::function<void(AppConfig &)>)

namespace {

// Valid as a whole, so a validation row sees only the problem it makes.
AppConfig validConfig()
{
    AppConfig config;
    config.setUser(QStringLiteral("alice"));
    config.setToken(QStringLiteral("dev-token"));
    return config;
}

} // namespace

class TestAppConfig : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void defaults();
    void roundTrip();
    void loadKeepsDefaultsForGarbage();
    void validation_data();
    void validation();
    void serverUrlsSplitTheList();
    void toAppSettings();
    void modeNames();
};

void TestAppConfig::defaults()
{
    const AppConfig config;
    QVERIFY(config.serverUrl().isEmpty());
    QVERIFY(config.user().isEmpty());
    QVERIFY(config.token().isEmpty());
    QCOMPARE(config.mode(), AppConfig::Mode::Auto);
    QCOMPARE(config.backgroundGraceS(), 30);
    QCOMPARE(config.keepAliveInBackground(), false);
    QCOMPARE(config.keepAlivePingS(), 25);
    QCOMPARE(config.heartbeatIntervalS(), 10);
    QCOMPARE(config.heartbeatTimeoutS(), 5);
    QCOMPARE(config.reconnectInitialS(), 1);
    QCOMPARE(config.reconnectMaxS(), 30);
    QCOMPARE(config.maxAttempts(), 5);
    QCOMPARE(config.jitter(), 0.5);
    QVERIFY(config.language().isEmpty());
    QCOMPARE(validConfig().validationErrors(), QStringList());

    // Nothing stored yet: the defaults.
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    QSettings empty(dir.filePath(QStringLiteral("empty.ini")), QSettings::IniFormat);
    QVERIFY(AppConfig::load(empty) == AppConfig());
}

void TestAppConfig::roundTrip()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(QStringLiteral("lifeline.ini"));

    AppConfig config;
    config.setServerUrl(QStringLiteral("wss://chat.example.org:8443/ws"));
    config.setUser(QStringLiteral("bob"));
    config.setToken(QStringLiteral("s3cret"));
    config.setMode(AppConfig::Mode::Manual);
    config.setBackgroundGraceS(60);
    config.setKeepAliveInBackground(true);
    config.setKeepAlivePingS(20);
    config.setHeartbeatIntervalS(7);
    config.setHeartbeatTimeoutS(3);
    config.setReconnectInitialS(2);
    config.setReconnectMaxS(40);
    config.setMaxAttempts(0);
    config.setJitter(0.25);
    config.setLanguage(QStringLiteral("de"));
    {
        QSettings settings(path, QSettings::IniFormat);
        config.save(settings);
        settings.sync();
        QCOMPARE(settings.status(), QSettings::NoError);
    }
    QSettings settings(path, QSettings::IniFormat);
    const AppConfig loaded = AppConfig::load(settings);
    QCOMPARE(loaded.serverUrl(), config.serverUrl());
    QCOMPARE(loaded.user(), config.user());
    QCOMPARE(loaded.token(), config.token());
    QCOMPARE(loaded.mode(), AppConfig::Mode::Manual);
    QCOMPARE(loaded.backgroundGraceS(), 60);
    QCOMPARE(loaded.keepAliveInBackground(), true);
    QCOMPARE(loaded.keepAlivePingS(), 20);
    QCOMPARE(loaded.heartbeatIntervalS(), 7);
    QCOMPARE(loaded.heartbeatTimeoutS(), 3);
    QCOMPARE(loaded.reconnectInitialS(), 2);
    QCOMPARE(loaded.reconnectMaxS(), 40);
    QCOMPARE(loaded.maxAttempts(), 0);
    QCOMPARE(loaded.jitter(), 0.25);
    QCOMPARE(loaded.language(), QStringLiteral("de"));
    QVERIFY(loaded == config);
}

void TestAppConfig::loadKeepsDefaultsForGarbage()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    QSettings settings(dir.filePath(QStringLiteral("garbage.ini")), QSettings::IniFormat);
    settings.setValue(QStringLiteral("connection/mode"), QStringLiteral("sometimes"));
    settings.setValue(QStringLiteral("connection/heartbeatIntervalS"), QStringLiteral("often"));
    settings.setValue(QStringLiteral("connection/jitter"), QStringLiteral("lots"));
    const AppConfig loaded = AppConfig::load(settings);
    QCOMPARE(loaded.mode(), AppConfig::Mode::Auto);
    QCOMPARE(loaded.heartbeatIntervalS(), 10);
    QCOMPARE(loaded.jitter(), 0.5);
}

void TestAppConfig::validation_data()
{
    QTest::addColumn<std::function<void(AppConfig &)>>("change");
    QTest::addColumn<QString>("field"); // empty: valid

    using Change = std::function<void(AppConfig &)>;
    const auto row = [](const char *name, const Change &change, const char *field) {
        QTest::newRow(name) << change << QString::fromLatin1(field);
    };
    row(
        "bundled server", [](AppConfig &) {}, "");
    row(
        "ws url", [](AppConfig &c) { c.setServerUrl(QStringLiteral("ws://127.0.0.1:9000")); }, "");
    row(
        "wss url", [](AppConfig &c) { c.setServerUrl(QStringLiteral("wss://example.org")); }, "");
    row(
        "several urls",
        [](AppConfig &c) {
            c.setServerUrl(
                QStringLiteral("ws://10.0.0.1:9000, ws://10.0.0.2:9000,wss://c.example"));
        },
        "");
    row(
        "several urls, one bad",
        [](AppConfig &c) { c.setServerUrl(QStringLiteral("ws://10.0.0.1:9000,http://b.example")); },
        "serverUrl");
    row(
        "http url", [](AppConfig &c) { c.setServerUrl(QStringLiteral("http://example.org")); },
        "serverUrl");
    row(
        "no scheme", [](AppConfig &c) { c.setServerUrl(QStringLiteral("example.org:80")); },
        "serverUrl");
    row(
        "no host", [](AppConfig &c) { c.setServerUrl(QStringLiteral("ws://")); }, "serverUrl");
    row(
        "garbage url", [](AppConfig &c) { c.setServerUrl(QStringLiteral("ws://exa mple")); },
        "serverUrl");
    row(
        "empty user", [](AppConfig &c) { c.setUser(QString()); }, "user");
    row(
        "blank user", [](AppConfig &c) { c.setUser(QStringLiteral("  ")); }, "user");
    row(
        "padded user", [](AppConfig &c) { c.setUser(QStringLiteral(" bob")); }, "user");
    row(
        "empty token", [](AppConfig &c) { c.setToken(QString()); }, "token");
    row(
        "grace 0", [](AppConfig &c) { c.setBackgroundGraceS(0); }, "");
    row(
        "negative grace", [](AppConfig &c) { c.setBackgroundGraceS(-1); }, "backgroundGraceS");
    row(
        "ping 0", [](AppConfig &c) { c.setKeepAlivePingS(0); }, "keepAlivePingS");
    row(
        "ping after grace, keep-alive off", [](AppConfig &c) { c.setKeepAlivePingS(40); }, "");
    row(
        "ping after grace, keep-alive on",
        [](AppConfig &c) {
            c.setKeepAliveInBackground(true);
            c.setKeepAlivePingS(30);
        },
        "keepAlivePingS");
    row(
        "ping before grace, keep-alive on",
        [](AppConfig &c) {
            c.setKeepAliveInBackground(true);
            c.setKeepAlivePingS(29);
        },
        "");
    row(
        "heartbeat 0", [](AppConfig &c) { c.setHeartbeatIntervalS(0); }, "heartbeatIntervalS");
    row(
        "heartbeat timeout 0", [](AppConfig &c) { c.setHeartbeatTimeoutS(0); },
        "heartbeatTimeoutS");
    row(
        "reconnect initial 0", [](AppConfig &c) { c.setReconnectInitialS(0); },
        "reconnectInitialS");
    row(
        "reconnect max < initial",
        [](AppConfig &c) {
            c.setReconnectInitialS(10);
            c.setReconnectMaxS(5);
        },
        "reconnectMaxS");
    row(
        "never give up", [](AppConfig &c) { c.setMaxAttempts(0); }, "");
    row(
        "negative attempts", [](AppConfig &c) { c.setMaxAttempts(-1); }, "maxAttempts");
    row(
        "jitter 0", [](AppConfig &c) { c.setJitter(0.0); }, "");
    row(
        "jitter 1", [](AppConfig &c) { c.setJitter(1.0); }, "");
    row(
        "negative jitter", [](AppConfig &c) { c.setJitter(-0.1); }, "jitter");
    row(
        "jitter > 1", [](AppConfig &c) { c.setJitter(1.5); }, "jitter");
    row(
        "language de", [](AppConfig &c) { c.setLanguage(QStringLiteral("de")); }, "");
    row(
        "language en_GB", [](AppConfig &c) { c.setLanguage(QStringLiteral("en_GB")); }, "");
    row(
        "language garbage", [](AppConfig &c) { c.setLanguage(QStringLiteral("German!")); },
        "language");
}

void TestAppConfig::validation()
{
    QFETCH(std::function<void(AppConfig &)>, change);
    QFETCH(QString, field);

    AppConfig config = validConfig();
    change(config);
    const QStringList errors = config.validationErrors();
    if (field.isEmpty()) {
        QCOMPARE(errors, QStringList());
        return;
    }
    QCOMPARE(errors.size(), 1);
    QVERIFY2(errors.first().startsWith(field + QLatin1String(": ")), qPrintable(errors.first()));
    // The problem is named, not just the field.
    QVERIFY2(errors.first().size() > field.size() + 10, qPrintable(errors.first()));
}

void TestAppConfig::serverUrlsSplitTheList()
{
    AppConfig config = validConfig();
    QCOMPARE(config.serverUrls(), QList<QUrl>());
    config.setServerUrl(QStringLiteral(" ws://a.example:1 ,wss://b.example:2"));
    const QList<QUrl> urls {QUrl(QStringLiteral("ws://a.example:1")),
                            QUrl(QStringLiteral("wss://b.example:2"))};
    QCOMPARE(config.serverUrls(), urls);
    QCOMPARE(config.toAppSettings(urls, QStringLiteral("/tmp/x")).serverUrls(), urls);
}

void TestAppConfig::toAppSettings()
{
    AppConfig config = validConfig();
    config.setMode(AppConfig::Mode::Manual);
    config.setBackgroundGraceS(45);
    config.setHeartbeatIntervalS(12);
    config.setHeartbeatTimeoutS(4);
    config.setReconnectInitialS(2);
    config.setReconnectMaxS(20);
    config.setMaxAttempts(7);
    config.setJitter(0.3);
    // The URL passed in wins over serverUrl(): the caller knows where the proxy listens.
    config.setServerUrl(QStringLiteral("ws://elsewhere.example:1"));

    const QUrl url(QStringLiteral("ws://127.0.0.1:4567"));
    const lifeline::AppSettings settings = config.toAppSettings({url}, QStringLiteral("/tmp/x"));
    QCOMPARE(settings.validationErrors(), QStringList());
    QCOMPARE(settings.serverUrl(), url);
    QCOMPARE(settings.dataDirectory(), QStringLiteral("/tmp/x"));
    QCOMPARE(settings.autoEstablishSocketConnection(), false);
    QCOMPARE(settings.backgroundGrace(), 45s);
    QCOMPARE(settings.heartbeatInterval(), 12s);
    QCOMPARE(settings.heartbeatTimeout(), 4s);
    QCOMPARE(settings.reconnectInitialDelay(), 2s);
    QCOMPARE(settings.reconnectMaxDelay(), 20s);
    QCOMPARE(settings.maxReconnectAttempts(), 7);
    QCOMPARE(settings.reconnectJitter(), 0.3);

    config.setMode(AppConfig::Mode::Auto);
    QCOMPARE(config.toAppSettings({url}, QStringLiteral("/tmp/x")).autoEstablishSocketConnection(),
             true);
}

void TestAppConfig::modeNames()
{
    QCOMPARE(AppConfig::modeName(AppConfig::Mode::Auto), QStringLiteral("auto"));
    QCOMPARE(AppConfig::modeName(AppConfig::Mode::Manual), QStringLiteral("manual"));
    QVERIFY(AppConfig::modeFromName(QStringLiteral("auto")) == AppConfig::Mode::Auto);
    QVERIFY(AppConfig::modeFromName(QStringLiteral("manual")) == AppConfig::Mode::Manual);
    QVERIFY(!AppConfig::modeFromName(QStringLiteral("Manual")));
    QVERIFY(!AppConfig::modeFromName(QString()));
}

QTEST_MAIN(TestAppConfig)
#include "tst_appconfig.moc"
