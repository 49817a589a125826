#include "testcerts.h"

#include <lifeline/connectionmanager.h>

#include <QDir>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <limits>

using lifeline::testkit::TestCerts;
using namespace std::chrono_literals;
using namespace lifeline;

class TestAppSettings : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void defaults();
    void builderKeepsEveryValue();
    void invalidFieldIsNamed_data();
    void invalidFieldIsNamed();
    void initRefusesInvalidSettings_data();
    void initRefusesInvalidSettings();
    void initRefusesUnwritableDataDirectory();
    void trustedCertificatesAreReadAtInit();
};

void TestAppSettings::defaults()
{
    const AppSettings settings
        = AppSettingsBuilder().setServerUrl(QUrl(QStringLiteral("ws://h:1"))).build();
    QCOMPARE(settings.region(), QStringLiteral("local"));
    QVERIFY(settings.autoEstablishSocketConnection());
    QCOMPARE(settings.backgroundGrace(), 30s);
    QCOMPARE(settings.heartbeatInterval(), 10s);
    QCOMPARE(settings.heartbeatTimeout(), 5s);
    QCOMPARE(settings.connectTimeout(), 10s);
    QCOMPARE(settings.reconnectInitialDelay(), 1s);
    QCOMPARE(settings.reconnectMaxDelay(), 30s);
    QCOMPARE(settings.reconnectJitter(), 0.5);
    QCOMPARE(settings.maxReconnectAttempts(), 5);
    QVERIFY(!settings.dataDirectory().isEmpty());
    QVERIFY2(settings.validationErrors().isEmpty(),
             qPrintable(settings.validationErrors().join(QLatin1Char('\n'))));
}

void TestAppSettings::builderKeepsEveryValue()
{
    const AppSettings settings
        = AppSettingsBuilder()
              .setServerUrl(QUrl(QStringLiteral("wss://chat.example:443/ws")))
              .setRegion(QStringLiteral("eu"))
              .setAutoEstablishSocketConnection(false)
              .setBackgroundGrace(12s)
              .setHeartbeatInterval(3s)
              .setHeartbeatTimeout(2s)
              .setConnectTimeout(4s)
              .setReconnectDelay(250ms, 8s)
              .setReconnectJitter(0.25)
              .setMaxReconnectAttempts(0)
              .setDataDirectory(QStringLiteral("/tmp/x"))
              .build();
    QCOMPARE(settings.serverUrl(), QUrl(QStringLiteral("wss://chat.example:443/ws")));
    QCOMPARE(settings.region(), QStringLiteral("eu"));
    QVERIFY(!settings.autoEstablishSocketConnection());
    QCOMPARE(settings.backgroundGrace(), 12s);
    QCOMPARE(settings.heartbeatInterval(), 3s);
    QCOMPARE(settings.heartbeatTimeout(), 2s);
    QCOMPARE(settings.connectTimeout(), 4s);
    QCOMPARE(settings.reconnectInitialDelay(), 250ms);
    QCOMPARE(settings.reconnectMaxDelay(), 8s);
    QCOMPARE(settings.reconnectJitter(), 0.25);
    QCOMPARE(settings.maxReconnectAttempts(), 0);
    QCOMPARE(settings.dataDirectory(), QStringLiteral("/tmp/x"));
    QVERIFY(settings.validationErrors().isEmpty());
}

using Tweak = std::function<void(AppSettingsBuilder &)>;
Q_DECLARE_METATYPE(Tweak)

static void addInvalidRows()
{
    QTest::addColumn<Tweak>("tweak");
    QTest::addColumn<QString>("field");
    const auto row = [](const char *name, Tweak tweak, const char *field) {
        QTest::newRow(name) << tweak << QString::fromLatin1(field);
    };
    row(
        "no URL", [](AppSettingsBuilder &b) { b.setServerUrl(QUrl()); }, "serverUrl");
    row(
        "http URL",
        [](AppSettingsBuilder &b) { b.setServerUrl(QUrl(QStringLiteral("http://h:1"))); },
        "serverUrl");
    row(
        "no host", [](AppSettingsBuilder &b) { b.setServerUrl(QUrl(QStringLiteral("ws://"))); },
        "serverUrl");
    row(
        "ftp URL", [](AppSettingsBuilder &b) { b.setServerUrl(QUrl(QStringLiteral("ftp://h/"))); },
        "serverUrl");
    row(
        "empty region", [](AppSettingsBuilder &b) { b.setRegion(QString()); }, "region");
    row(
        "negative grace", [](AppSettingsBuilder &b) { b.setBackgroundGrace(-1ms); },
        "backgroundGrace");
    row(
        "zero heartbeat", [](AppSettingsBuilder &b) { b.setHeartbeatInterval(0ms); },
        "heartbeatInterval");
    row(
        "negative heartbeat timeout", [](AppSettingsBuilder &b) { b.setHeartbeatTimeout(-5ms); },
        "heartbeatTimeout");
    row(
        "zero connect timeout", [](AppSettingsBuilder &b) { b.setConnectTimeout(0ms); },
        "connectTimeout");
    row(
        "zero initial delay", [](AppSettingsBuilder &b) { b.setReconnectDelay(0ms, 1s); },
        "reconnectInitialDelay");
    row(
        "max below initial", [](AppSettingsBuilder &b) { b.setReconnectDelay(2s, 1s); },
        "reconnectMaxDelay");
    row(
        "jitter above 1", [](AppSettingsBuilder &b) { b.setReconnectJitter(1.5); },
        "reconnectJitter");
    row(
        "negative jitter", [](AppSettingsBuilder &b) { b.setReconnectJitter(-0.1); },
        "reconnectJitter");
    row(
        "NaN jitter",
        [](AppSettingsBuilder &b) {
            b.setReconnectJitter(std::numeric_limits<double>::quiet_NaN());
        },
        "reconnectJitter");
    row(
        "negative attempts", [](AppSettingsBuilder &b) { b.setMaxReconnectAttempts(-1); },
        "maxReconnectAttempts");
    row(
        "missing certificate file",
        [](AppSettingsBuilder &b) {
            b.setTrustedCertificates(QDir::temp().filePath(QStringLiteral("no-such-ca.pem")));
        },
        "trustedCertificates");
    row(
        "certificate file is a directory",
        [](AppSettingsBuilder &b) { b.setTrustedCertificates(QDir::tempPath()); },
        "trustedCertificates");
    // This test's own executable: a readable file, but no certificate in it.
    row(
        "file without a certificate",
        [](AppSettingsBuilder &b) {
            b.setTrustedCertificates(QCoreApplication::applicationFilePath());
        },
        "trustedCertificates");
}

void TestAppSettings::invalidFieldIsNamed_data()
{
    addInvalidRows();
}

void TestAppSettings::invalidFieldIsNamed()
{
    QFETCH(Tweak, tweak);
    QFETCH(QString, field);
    AppSettingsBuilder builder;
    builder.setServerUrl(QUrl(QStringLiteral("ws://127.0.0.1:1")));
    tweak(builder);
    const QStringList errors = builder.build().validationErrors();
    QCOMPARE(errors.size(), 1);
    QVERIFY2(errors.first().startsWith(field + QLatin1Char(':')), qPrintable(errors.first()));
}

void TestAppSettings::initRefusesInvalidSettings_data()
{
    addInvalidRows();
}

void TestAppSettings::initRefusesInvalidSettings()
{
    QFETCH(Tweak, tweak);
    QFETCH(QString, field);
    QTemporaryDir dir;
    AppSettingsBuilder builder;
    builder.setServerUrl(QUrl(QStringLiteral("ws://127.0.0.1:1"))).setDataDirectory(dir.path());
    tweak(builder);

    ConnectionManager manager;
    ChatError error;
    bool succeeded = false;
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("init failed")));
    manager.init(
        QStringLiteral("app"), builder.build(), [&succeeded](const QString &) { succeeded = true; },
        [&error](const ChatError &e) { error = e; });
    QVERIFY(!succeeded);
    QCOMPARE(error.code, QStringLiteral("ERR_CHAT_API_FAILURE"));
    QVERIFY2(error.details.contains(field), qPrintable(error.details));
    QVERIFY(!manager.isInitialized());
    QCOMPARE(manager.connectionStatus(), ConnectionStatus::Disconnected);
}

void TestAppSettings::initRefusesUnwritableDataDirectory()
{
    QTemporaryDir dir;
    QFile blocker(dir.filePath(QStringLiteral("file")));
    QVERIFY(blocker.open(QIODevice::WriteOnly));
    blocker.close();
    ConnectionManager manager;
    ChatError error;
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("init failed")));
    manager.init(QStringLiteral("app"),
                 AppSettingsBuilder()
                     .setServerUrl(QUrl(QStringLiteral("ws://127.0.0.1:1")))
                     .setDataDirectory(blocker.fileName() + QStringLiteral("/below-a-file"))
                     .build(),
                 {}, [&error](const ChatError &e) { error = e; });
    QCOMPARE(error.code, QStringLiteral("ERR_CHAT_API_FAILURE"));
    QVERIFY2(error.details.startsWith(QStringLiteral("dataDirectory:")), qPrintable(error.details));
}

void TestAppSettings::trustedCertificatesAreReadAtInit()
{
    QTemporaryDir dir;
    QString problem;
    const std::optional<TestCerts> certs = TestCerts::make(dir.path(), &problem);
    QVERIFY2(certs, qPrintable(problem));
    // Several certificates in one file: a CA and a server's own, say.
    QFile both(dir.filePath(QStringLiteral("both.pem")));
    QVERIFY(both.open(QIODevice::WriteOnly));
    for (const QString &path : {certs->caFile, certs->selfSignedCert}) {
        QFile part(path);
        QVERIFY(part.open(QIODevice::ReadOnly));
        both.write(part.readAll());
    }
    both.close();

    for (const QString &file : {certs->caFile, both.fileName()}) {
        const AppSettings settings = AppSettingsBuilder()
                                         .setServerUrl(QUrl(QStringLiteral("wss://127.0.0.1:1")))
                                         .setDataDirectory(dir.filePath(QStringLiteral("data")))
                                         .setTrustedCertificates(file)
                                         .build();
        QCOMPARE(settings.trustedCertificates(), file);
        QVERIFY2(settings.validationErrors().isEmpty(),
                 qPrintable(settings.validationErrors().join(QLatin1Char('\n'))));
        ConnectionManager manager;
        bool succeeded = false;
        manager.init(QStringLiteral("app"), settings,
                     [&succeeded](const QString &) { succeeded = true; });
        QVERIFY(succeeded);
    }
    QCOMPARE(AppSettingsBuilder().build().trustedCertificates(), QString());
}

QTEST_GUILESS_MAIN(TestAppSettings)
#include "tst_appsettings.moc"
