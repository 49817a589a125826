// EventLog recording what a real ConnectionManager did against the real lifeline-server.
#include "clientserverfixture.h"
#include "eventlog.h"
#include "faultproxy.h"
#include "testsetup.h"
#include "translations.h"

#include <lifeline/connectionmanager.h>

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLocale>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTest>

using namespace std::chrono_literals;
using namespace lifeline;
using namespace lifeline::ui;

namespace {
// Generous bound for "this happens soon" on a loaded 2-core machine.
constexpr int Soon = 5000;
} // namespace

class TestEventLog : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();

    void recordsStatusErrorsAndReconnects();
    void statusNamesTheServerAmongSeveral();
    void recordsAppStateSwitch();
    void displaysMillisecondTimes();
    void exportWritesJsonLines();
    void exportReportsUnwritablePath();
    void capDropsOldestAndCounts();
    void showsRecordedRowsInTheLanguageOfNow();
    void exportStaysEnglishInGerman();

private:
    QStringList shownTexts(const QString &kind) const;
    bool initAndLogin();
    QStringList rowsOfKind(const QString &kind) const;

    testkit::ClientServerFixture m_fixture;
    std::unique_ptr<EventLog> m_log;
};

void TestEventLog::init()
{
    QVERIFY(m_fixture.start());
    m_log = std::make_unique<EventLog>(m_fixture.manager());
}

void TestEventLog::cleanup()
{
    Translations::remove(QCoreApplication::instance());
    m_log.reset();
    m_fixture.stop();
}

bool TestEventLog::initAndLogin()
{
    AppSettingsBuilder builder = m_fixture.fastSettings();
    return m_fixture.initAndLogin(builder.build());
}

QStringList TestEventLog::rowsOfKind(const QString &kind) const
{
    QStringList texts;
    for (int row = 0; row < m_log->rowCount(); ++row) {
        if (m_log->entry(row).kind == kind)
            texts.append(m_log->entry(row).text);
    }
    return texts;
}

void TestEventLog::recordsStatusErrorsAndReconnects()
{
    QCOMPARE(m_log->columnCount(), 3);
    QCOMPARE(m_log->headerData(0, Qt::Horizontal).toString(), QStringLiteral("Time"));
    QCOMPARE(m_log->headerData(1, Qt::Horizontal).toString(), QStringLiteral("Kind"));
    QCOMPARE(m_log->headerData(2, Qt::Horizontal).toString(), QStringLiteral("Text"));

    QVERIFY(initAndLogin());
    QTRY_COMPARE_WITH_TIMEOUT(m_fixture.manager()->connectionStatus(), ConnectionStatus::Connected,
                              Soon);
    QSignalSpy connected(m_fixture.manager(), &ConnectionManager::connected);
    m_fixture.proxy()->resetAll();
    QVERIFY(connected.wait(Soon));

    QCOMPARE(rowsOfKind(EventLog::StatusKind),
             (QStringList {QStringLiteral("Connecting"), QStringLiteral("Connected"),
                           QStringLiteral("Reconnecting"), QStringLiteral("Connecting"),
                           QStringLiteral("Connected")}));
    QCOMPARE(rowsOfKind(EventLog::ReconnectingKind),
             QStringList {QStringLiteral("Attempt 1 in 100 ms")});
    const QStringList errors = rowsOfKind(EventLog::ErrorKind);
    QCOMPARE(errors.size(), 1);
    const ChatError error = m_fixture.manager()->lastError();
    QCOMPARE(errors.first(), error.code + QStringLiteral(": ") + error.message);

    // Rows are in the order things happened, the error before the retry it causes.
    QDateTime previous;
    int errorRow = -1;
    int reconnectingRow = -1;
    for (int row = 0; row < m_log->rowCount(); ++row) {
        const EventLog::Entry entry = m_log->entry(row);
        QVERIFY(!previous.isValid() || previous <= entry.time);
        previous = entry.time;
        if (entry.kind == EventLog::ErrorKind) {
            errorRow = row;
            QCOMPARE(entry.error, error);
            QCOMPARE(m_log->data(m_log->index(row, 2), Qt::ToolTipRole).toString(), error.details);
        }
        if (entry.kind == EventLog::ReconnectingKind)
            reconnectingRow = row;
    }
    QVERIFY(errorRow >= 0 && errorRow < reconnectingRow);
}

void TestEventLog::statusNamesTheServerAmongSeveral()
{
    // The same server twice, once through the proxy: the proxy's link is made to fail, and the
    // log says which server the app is on each time it connects.
    AppSettingsBuilder builder = m_fixture.fastSettings();
    builder.setServerUrls({m_fixture.proxyUrl(), m_fixture.serverUrl()});
    QVERIFY(m_fixture.initAndLogin(builder.build()));
    QTRY_COMPARE_WITH_TIMEOUT(m_fixture.manager()->connectionStatus(), ConnectionStatus::Connected,
                              Soon);
    const QUrl first = m_fixture.manager()->connectedServerUrl();
    if (first == m_fixture.proxyUrl()) {
        m_fixture.proxy()->resetAll();
        QTRY_COMPARE_WITH_TIMEOUT(m_fixture.manager()->connectedServerUrl(), m_fixture.serverUrl(),
                                  Soon);
    }
    QStringList expected {QStringLiteral("Connected to ") + first.toDisplayString()};
    if (first == m_fixture.proxyUrl())
        expected.append(QStringLiteral("Connected to ") + m_fixture.serverUrl().toDisplayString());
    QCOMPARE(rowsOfKind(EventLog::StatusKind).filter(QStringLiteral("Connected")), expected);
    // The table shows it as the export does, translated.
    for (int row = 0; row < m_log->rowCount(); ++row) {
        if (m_log->entry(row).status == ConnectionStatus::Connected
            && m_log->entry(row).kind == EventLog::StatusKind)
            QCOMPARE(m_log->data(m_log->index(row, 2)).toString(), m_log->entry(row).text);
    }
}

void TestEventLog::recordsAppStateSwitch()
{
    QVERIFY(initAndLogin());
    QTRY_COMPARE_WITH_TIMEOUT(m_fixture.manager()->connectionStatus(), ConnectionStatus::Connected,
                              Soon);
    m_fixture.manager()->setAppState(AppState::Background);
    QCOMPARE(rowsOfKind(EventLog::AppStateKind), QStringList {QStringLiteral("Background")});
    QCOMPARE(rowsOfKind(EventLog::StatusKind).last(), QStringLiteral("Disconnected (Background)"));
    m_fixture.manager()->setAppState(AppState::Foreground);
    QCOMPARE(rowsOfKind(EventLog::AppStateKind),
             (QStringList {QStringLiteral("Background"), QStringLiteral("Foreground")}));
}

void TestEventLog::displaysMillisecondTimes()
{
    QSignalSpy inserted(m_log.get(), &QAbstractItemModel::rowsInserted);
    m_log->record(QStringLiteral("ping"), QStringLiteral("Ping answered in 3 ms"));
    QCOMPARE(inserted.size(), 1);
    QCOMPARE(m_log->rowCount(), 1);
    const QString time = m_log->data(m_log->index(0, 0)).toString();
    QVERIFY2(QRegularExpression(QStringLiteral("^\\d\\d:\\d\\d:\\d\\d\\.\\d\\d\\d$"))
                 .match(time)
                 .hasMatch(),
             qPrintable(time));
    QCOMPARE(m_log->data(m_log->index(0, 1)).toString(), QStringLiteral("ping"));
    QCOMPARE(m_log->data(m_log->index(0, 2)).toString(), QStringLiteral("Ping answered in 3 ms"));
}

void TestEventLog::exportWritesJsonLines()
{
    QVERIFY(initAndLogin());
    QTRY_COMPARE_WITH_TIMEOUT(m_fixture.manager()->connectionStatus(), ConnectionStatus::Connected,
                              Soon);
    QSignalSpy connected(m_fixture.manager(), &ConnectionManager::connected);
    m_fixture.proxy()->resetAll();
    QVERIFY(connected.wait(Soon));
    m_fixture.manager()->setAppState(AppState::Background);
    m_log->record(QStringLiteral("manual"), QStringLiteral("ping: Ping answered in 2 ms"));

    const QString path = m_fixture.filePath(QStringLiteral("events.jsonl"));
    QString error;
    QVERIFY2(m_log->exportJsonLines(path, &error), qPrintable(error));
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QList<QByteArray> lines = file.readAll().split('\n');
    QCOMPARE(lines.last(), QByteArray()); // every line ends with a newline
    QCOMPARE(lines.size() - 1, m_log->rowCount());

    QSet<QString> kinds;
    for (int i = 0; i < lines.size() - 1; ++i) {
        QJsonParseError parseError;
        const QJsonDocument document = QJsonDocument::fromJson(lines.at(i), &parseError);
        QVERIFY2(document.isObject(), qPrintable(parseError.errorString()));
        const QJsonObject object = document.object();
        const EventLog::Entry entry = m_log->entry(i);
        const QDateTime time = QDateTime::fromString(
            object.value(QStringLiteral("time")).toString(), Qt::ISODateWithMs);
        QVERIFY(time.isValid());
        QCOMPARE(time, entry.time); // the milliseconds survive
        QCOMPARE(object.value(QStringLiteral("kind")).toString(), entry.kind);
        QCOMPARE(object.value(QStringLiteral("text")).toString(), entry.text);
        kinds.insert(entry.kind);
        if (entry.kind == EventLog::ErrorKind) {
            QCOMPARE(object.value(QStringLiteral("code")).toString(), entry.error.code);
            QVERIFY(
                object.value(QStringLiteral("code")).toString().startsWith(QLatin1String("ERR_")));
            QCOMPARE(object.value(QStringLiteral("message")).toString(), entry.error.message);
            QCOMPARE(object.value(QStringLiteral("details")).toString(), entry.error.details);
        } else {
            QVERIFY(!object.contains(QStringLiteral("code")));
        }
    }
    QCOMPARE(kinds,
             (QSet<QString> {EventLog::StatusKind, EventLog::ErrorKind, EventLog::ReconnectingKind,
                             EventLog::AppStateKind, QStringLiteral("manual")}));
}

void TestEventLog::exportReportsUnwritablePath()
{
    m_log->record(QStringLiteral("manual"), QStringLiteral("x"));
    QString error;
    QVERIFY(!m_log->exportJsonLines(m_fixture.filePath(QStringLiteral("missing/dir/events.jsonl")),
                                    &error));
    QVERIFY(error.contains(QLatin1String("missing/dir/events.jsonl")));
}

void TestEventLog::capDropsOldestAndCounts()
{
    QSignalSpy dropped(m_log.get(), &EventLog::droppedCountChanged);
    for (int i = 0; i < EventLog::MaxRows + 5; ++i)
        m_log->record(QStringLiteral("ping"), QString::number(i));
    QCOMPARE(m_log->rowCount(), EventLog::MaxRows);
    QCOMPARE(m_log->droppedCount(), 5);
    QCOMPARE(dropped.size(), 5);
    QCOMPARE(m_log->entry(0).text, QStringLiteral("5"));
    QCOMPARE(m_log->entry(EventLog::MaxRows - 1).text, QString::number(EventLog::MaxRows + 4));

    const QString path = m_fixture.filePath(QStringLiteral("events.jsonl"));
    QVERIFY(m_log->exportJsonLines(path, nullptr));
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QJsonObject first = QJsonDocument::fromJson(file.readLine()).object();
    QCOMPARE(first.value(QStringLiteral("kind")).toString(), QStringLiteral("dropped"));
    QCOMPARE(first.value(QStringLiteral("count")).toInt(), 5);
}

QStringList TestEventLog::shownTexts(const QString &kind) const
{
    QStringList texts;
    for (int row = 0; row < m_log->rowCount(); ++row) {
        if (m_log->entry(row).kind == kind)
            texts.append(m_log->data(m_log->index(row, int(EventLog::Column::Text))).toString());
    }
    return texts;
}

void TestEventLog::showsRecordedRowsInTheLanguageOfNow()
{
    QVERIFY(initAndLogin());
    QTRY_COMPARE_WITH_TIMEOUT(m_fixture.manager()->connectionStatus(), ConnectionStatus::Connected,
                              Soon);
    m_fixture.manager()->setAppState(AppState::Background);
    m_log->record(EventLog::SettingsKind,
                  EventLog::TranslatableText {"lifeline::ui::MainWindow", "Settings applied", {}});
    QCOMPARE(shownTexts(EventLog::StatusKind),
             (QStringList {QStringLiteral("Connecting"), QStringLiteral("Connected"),
                           QStringLiteral("Disconnected: in background")}));
    QCOMPARE(shownTexts(EventLog::AppStateKind), QStringList {QStringLiteral("Background")});
    QCOMPARE(shownTexts(EventLog::SettingsKind), QStringList {QStringLiteral("Settings applied")});

    // Recorded in English, shown in German once it is installed; the views hear of it.
    QSignalSpy headerChanged(m_log.get(), &QAbstractItemModel::headerDataChanged);
    QSignalSpy rowsChanged(m_log.get(), &QAbstractItemModel::dataChanged);
    QVERIFY(Translations::install(QCoreApplication::instance(), QLocale(QLocale::German)));
    m_log->retranslate();
    QCOMPARE(headerChanged.size(), 1);
    QCOMPARE(rowsChanged.size(), 1);
    const auto first = rowsChanged.at(0).at(0).value<QModelIndex>();
    const auto last = rowsChanged.at(0).at(1).value<QModelIndex>();
    QCOMPARE(first.row(), 0);
    QCOMPARE(last.row(), m_log->rowCount() - 1);
    QVERIFY(first.column() <= int(EventLog::Column::Kind));
    QCOMPARE(last.column(), int(EventLog::Column::Text));

    QCOMPARE(m_log->headerData(int(EventLog::Column::Time), Qt::Horizontal).toString(),
             QStringLiteral("Zeit"));
    QCOMPARE(shownTexts(EventLog::StatusKind),
             (QStringList {QStringLiteral("Verbindungsaufbau"), QStringLiteral("Verbunden"),
                           QStringLiteral("Getrennt: im Hintergrund")}));
    QCOMPARE(shownTexts(EventLog::AppStateKind), QStringList {QStringLiteral("Hintergrund")});
    QCOMPARE(shownTexts(EventLog::SettingsKind),
             QStringList {QStringLiteral("Einstellungen übernommen")});
    int appStateRow = 0;
    while (appStateRow < m_log->rowCount()
           && m_log->entry(appStateRow).kind != EventLog::AppStateKind)
        ++appStateRow;
    QCOMPARE(m_log->data(m_log->index(appStateRow, int(EventLog::Column::Kind))).toString(),
             QStringLiteral("App-Zustand"));

    Translations::remove(QCoreApplication::instance());
    QCOMPARE(shownTexts(EventLog::StatusKind).last(),
             QStringLiteral("Disconnected: in background"));
}

void TestEventLog::exportStaysEnglishInGerman()
{
    QVERIFY(Translations::install(QCoreApplication::instance(), QLocale(QLocale::German)));
    QVERIFY(initAndLogin());
    QTRY_COMPARE_WITH_TIMEOUT(m_fixture.manager()->connectionStatus(), ConnectionStatus::Connected,
                              Soon);
    QSignalSpy connected(m_fixture.manager(), &ConnectionManager::connected);
    m_fixture.proxy()->resetAll();
    QVERIFY(connected.wait(Soon));
    m_fixture.manager()->setAppState(AppState::Background);
    m_log->record(EventLog::SettingsKind,
                  EventLog::TranslatableText {"lifeline::ui::MainWindow",
                                              "Could not save the settings to %1",
                                              {QStringLiteral("/x/lifeline.conf")}});

    // The table speaks German ...
    QCOMPARE(shownTexts(EventLog::ReconnectingKind),
             QStringList {QStringLiteral("Versuch 1 in 100 ms")});
    QCOMPARE(shownTexts(EventLog::SettingsKind),
             QStringList {QStringLiteral(
                 "Die Einstellungen konnten nicht in /x/lifeline.conf gespeichert werden")});

    // ... the export the same keys and enum names as in English.
    const QString path = m_fixture.filePath(QStringLiteral("events.jsonl"));
    QString error;
    QVERIFY2(m_log->exportJsonLines(path, &error), qPrintable(error));
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    QHash<QString, QStringList> byKind;
    for (const QByteArray &line : file.readAll().split('\n')) {
        if (line.isEmpty())
            continue;
        const QJsonObject object = QJsonDocument::fromJson(line).object();
        byKind[object.value(QStringLiteral("kind")).toString()].append(
            object.value(QStringLiteral("text")).toString());
    }
    QCOMPARE(
        byKind.value(EventLog::StatusKind),
        (QStringList {QStringLiteral("Connecting"), QStringLiteral("Connected"),
                      QStringLiteral("Reconnecting"), QStringLiteral("Connecting"),
                      QStringLiteral("Connected"), QStringLiteral("Disconnected (Background)")}));
    QCOMPARE(byKind.value(EventLog::ReconnectingKind),
             QStringList {QStringLiteral("Attempt 1 in 100 ms")});
    QCOMPARE(byKind.value(EventLog::AppStateKind), QStringList {QStringLiteral("Background")});
    QCOMPARE(byKind.value(EventLog::SettingsKind),
             QStringList {QStringLiteral("Could not save the settings to /x/lifeline.conf")});
}

QTEST_MAIN(TestEventLog)
#include "tst_eventlog.moc"
