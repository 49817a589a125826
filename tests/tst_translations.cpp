// The translations embedded in lifeline_ui: German replaces the texts a real connection shows,
// English gets its plural forms right, and every entry of the .ts files is finished.
#include "bundledserver.h"
#include "serverwaits.h"
#include "statusindicator.h"
#include "translations.h"

#include <lifeline/appsettingsbuilder.h>
#include <lifeline/chaterror.h>
#include <lifeline/connectionmanager.h>

#include <QApplication>
#include <QFile>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>
#include <QXmlStreamReader>

using lifeline::harness::BundledServer;

using namespace lifeline;
using namespace lifeline::ui;

namespace {
// Generous bound for "this happens soon" on a loaded 2-core machine.
constexpr int Soon = 5000;

// catalogue: "lifeline" for the app, "lifeline_core" for the SDK's own texts.
QString tsFile(const QString &catalogue, const QString &language)
{
    return QStringLiteral(LIFELINE_TRANSLATIONS_DIR "/%1_%2.ts").arg(catalogue, language);
}

// One <message> of a .ts file, as far as these checks need it.
struct TsEntry
{
    QString context;
    QString source;
    QString type; // the <translation type="..."> attribute; empty when finished
    bool numerus = false;
    QStringList forms; // the numerus forms, or the single translation
};

QList<TsEntry> readTs(const QString &fileName, QString *error)
{
    QFile file(fileName);
    if (!file.open(QIODevice::ReadOnly)) {
        *error = file.errorString();
        return {};
    }
    QList<TsEntry> entries;
    QString context;
    TsEntry entry;
    QXmlStreamReader xml(&file);
    while (!xml.atEnd()) {
        xml.readNext();
        if (xml.isEndElement() && xml.name() == QLatin1String("message")) {
            entries.append(entry);
            continue;
        }
        if (!xml.isStartElement())
            continue;
        const auto name = xml.name();
        if (name == QLatin1String("name")) {
            context = xml.readElementText();
        } else if (name == QLatin1String("message")) {
            entry = TsEntry {context, {}, {}, false, {}};
            entry.numerus
                = xml.attributes().value(QLatin1String("numerus")) == QLatin1String("yes");
        } else if (name == QLatin1String("source")) {
            entry.source = xml.readElementText();
        } else if (name == QLatin1String("translation")) {
            entry.type = xml.attributes().value(QLatin1String("type")).toString();
            if (!entry.numerus)
                entry.forms.append(xml.readElementText());
        } else if (name == QLatin1String("numerusform")) {
            entry.forms.append(xml.readElementText());
        }
    }
    if (xml.hasError())
        *error = xml.errorString();
    return entries;
}

// Counts the LanguageChange events that reach any object.
class LanguageChangeCounter : public QObject
{
public:
    int count = 0;

protected:
    bool eventFilter(QObject *watched, QEvent *event) override
    {
        if (event->type() == QEvent::LanguageChange)
            ++count;
        return QObject::eventFilter(watched, event);
    }
};

QString queueBadge(int pending)
{
    // The context and text ChatPanel::updateQueueBadge() uses.
    return QCoreApplication::translate("lifeline::ui::ChatPanel", "%n message(s) waiting to send",
                                       nullptr, pending);
}
} // namespace

class TestTranslations : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();

    void germanReplacesStatusText();
    void germanSdkError();
    void germanPlurals_data();
    void germanPlurals();
    void englishPlurals_data();
    void englishPlurals();
    void unknownLanguageFallsBackToEnglish();
    void emptyLanguageMeansTheSystemLocale();
    void installingTheSameLocaleAgainChangesNothing();
    void germanFileIsComplete_data();
    void germanFileIsComplete();
    void englishFileHasEveryPluralForm_data();
    void englishFileHasEveryPluralForm();

private:
    bool initManager(bool login);

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<BundledServer> m_server;
    std::unique_ptr<ConnectionManager> m_manager;
};

void TestTranslations::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
}

void TestTranslations::cleanup()
{
    m_manager.reset();
    m_server.reset();
    m_dir.reset();
    Translations::remove(QCoreApplication::instance());
}

bool TestTranslations::initManager(bool login)
{
    AppSettingsBuilder builder;
    builder.setServerUrl(m_server ? m_server->url() : QUrl(QStringLiteral("ws://127.0.0.1:1")))
        .setDataDirectory(m_dir->filePath(QStringLiteral("client")))
        .setAutoEstablishSocketConnection(login);
    m_manager = std::make_unique<ConnectionManager>();
    bool ok = false;
    m_manager->init(QStringLiteral("lifeline-test"), builder.build(),
                    [&ok](const QString &) { ok = true; });
    if (!ok || !login)
        return ok;
    ok = false;
    m_manager->login(QStringLiteral("alice"), QStringLiteral("secret-token"),
                     [&ok](const QString &) { ok = true; });
    return ok;
}

void TestTranslations::germanReplacesStatusText()
{
    m_server = std::make_unique<BundledServer>();
    m_server->setDataDirectory(m_dir->filePath(QStringLiteral("server")));
    m_server->start();
    QVERIFY(lifeline::testkit::waitForStarted(*m_server));

    QVERIFY(Translations::install(QCoreApplication::instance(), QLocale(QLocale::German)));
    QVERIFY(initManager(true));
    StatusIndicator indicator(m_manager.get());
    QTRY_COMPARE_WITH_TIMEOUT(m_manager->connectionStatus(), ConnectionStatus::Connected, Soon);
    QTRY_COMPARE_WITH_TIMEOUT(indicator.level(), StatusIndicator::Level::Green, Soon);
    QCOMPARE(indicator.text(), QStringLiteral("Verbunden"));
}

void TestTranslations::germanSdkError()
{
    QVERIFY(Translations::install(QCoreApplication::instance(), QLocale(QLocale::German)));
    QVERIFY(initManager(false));
    ChatError error;
    m_manager->connectToServer({}, [&error](const ChatError &e) { error = e; });
    QCOMPARE(error.code, QStringLiteral("ERR_NOT_LOGGED_IN"));
    QCOMPARE(error.message, QStringLiteral("Keine aktive Benutzersitzung."));
    QCOMPARE(error.details,
             QStringLiteral("Bitte melden Sie sich an, bevor Sie eine WebSocket-Verbindung "
                            "aufbauen."));
}

void TestTranslations::germanPlurals_data()
{
    QTest::addColumn<int>("pending");
    QTest::addColumn<QString>("expected");
    QTest::newRow("one") << 1 << QStringLiteral("1 Nachricht wartet auf den Versand");
    QTest::newRow("two") << 2 << QStringLiteral("2 Nachrichten warten auf den Versand");
}

void TestTranslations::germanPlurals()
{
    QFETCH(int, pending);
    QFETCH(QString, expected);
    QVERIFY(Translations::install(QCoreApplication::instance(), QLocale(QLocale::German)));
    QCOMPARE(queueBadge(pending), expected);
}

void TestTranslations::englishPlurals_data()
{
    QTest::addColumn<QString>("context");
    QTest::addColumn<QString>("source");
    QTest::addColumn<int>("n");
    QTest::addColumn<QString>("expected");
    const auto badge = QStringLiteral("%n message(s) waiting to send");
    const auto failed = QStringLiteral("Connection failed after %n attempts");
    QTest::newRow("1 message") << QStringLiteral("lifeline::ui::ChatPanel") << badge << 1
                               << QStringLiteral("1 message waiting to send");
    QTest::newRow("2 messages") << QStringLiteral("lifeline::ui::ChatPanel") << badge << 2
                                << QStringLiteral("2 messages waiting to send");
    QTest::newRow("1 attempt") << QStringLiteral("lifeline::ui::StatusIndicator") << failed << 1
                               << QStringLiteral("Connection failed after 1 attempt");
    QTest::newRow("3 attempts") << QStringLiteral("lifeline::ui::StatusIndicator") << failed << 3
                                << QStringLiteral("Connection failed after 3 attempts");
}

void TestTranslations::englishPlurals()
{
    QFETCH(QString, context);
    QFETCH(QString, source);
    QFETCH(int, n);
    QFETCH(QString, expected);
    QVERIFY(Translations::install(QCoreApplication::instance(), QLocale(QLocale::English)));
    QCOMPARE(QCoreApplication::translate(qPrintable(context), qPrintable(source), nullptr, n),
             expected);
    // Texts without plural forms stay the source text.
    QCOMPARE(QCoreApplication::translate("lifeline::ui::StatusIndicator", "Connected"),
             QStringLiteral("Connected"));
}

void TestTranslations::unknownLanguageFallsBackToEnglish()
{
    QTest::ignoreMessage(QtInfoMsg, QRegularExpression(QStringLiteral("no translation for")));
    QVERIFY(!Translations::install(QCoreApplication::instance(),
                                   QLocale(QLocale::Finnish, QLocale::Finland)));
    QCOMPARE(queueBadge(1), QStringLiteral("1 message waiting to send"));
    QCOMPARE(QCoreApplication::translate("lifeline::ui::StatusIndicator", "Connected"),
             QStringLiteral("Connected"));
}

void TestTranslations::emptyLanguageMeansTheSystemLocale()
{
    QCOMPARE(Translations::localeFor(QString()), QLocale::system());
    QCOMPARE(Translations::localeFor(QStringLiteral("de")).language(), QLocale::German);
    const QLocale british = Translations::localeFor(QStringLiteral("en_GB"));
    QCOMPARE(british.language(), QLocale::English);
    QCOMPARE(british.territory(), QLocale::UnitedKingdom);
}

void TestTranslations::installingTheSameLocaleAgainChangesNothing()
{
    // main() installs the language before the window exists, and the window's first
    // applyConfig() installs it again: the second must not make every widget retranslate.
    LanguageChangeCounter changes;
    QCoreApplication::instance()->installEventFilter(&changes);
    const QLocale german = Translations::localeFor(QStringLiteral("de"));
    QVERIFY(Translations::install(QCoreApplication::instance(), german));
    const int afterFirst = changes.count;
    QVERIFY(afterFirst > 0);
    QVERIFY(Translations::install(QCoreApplication::instance(), german));
    QCOMPARE(changes.count, afterFirst);
    QCOMPARE(queueBadge(2), QStringLiteral("2 Nachrichten warten auf den Versand"));

    QVERIFY(Translations::install(QCoreApplication::instance(),
                                  Translations::localeFor(QStringLiteral("en"))));
    QVERIFY(changes.count > afterFirst);
    QCOMPARE(queueBadge(2), QStringLiteral("2 messages waiting to send"));
    QCOMPARE(QCoreApplication::translate("lifeline::ui::StatusIndicator", "Connected"),
             QStringLiteral("Connected"));
    QCoreApplication::instance()->removeEventFilter(&changes);
}

void TestTranslations::germanFileIsComplete_data()
{
    QTest::addColumn<QString>("catalogue");
    QTest::addColumn<int>("atLeast");
    QTest::newRow("app") << QStringLiteral("lifeline") << 150;
    QTest::newRow("SDK") << QStringLiteral("lifeline_core") << 30;
}

void TestTranslations::germanFileIsComplete()
{
    QFETCH(QString, catalogue);
    QFETCH(int, atLeast);
    QString error;
    const QList<TsEntry> entries = readTs(tsFile(catalogue, QStringLiteral("de")), &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QVERIFY(entries.size() >= atLeast);
    for (const TsEntry &entry : entries) {
        const QString where = entry.context + QStringLiteral(": ") + entry.source;
        QVERIFY2(entry.type.isEmpty(),
                 qPrintable(QStringLiteral("%1 is %2").arg(where, entry.type)));
        // German has two forms: one, and everything else.
        QVERIFY2(entry.forms.size() == (entry.numerus ? 2 : 1), qPrintable(where));
        for (const QString &form : entry.forms) {
            QVERIFY2(!form.isEmpty(), qPrintable(where));
            if (entry.source.contains(QLatin1String("%n")))
                QVERIFY2(form.contains(QLatin1String("%n")), qPrintable(where));
        }
        for (const auto placeholder :
             {QLatin1String("%1"), QLatin1String("%2"), QLatin1String("%3")}) {
            if (entry.source.contains(placeholder))
                QVERIFY2(entry.forms.constFirst().contains(placeholder), qPrintable(where));
        }
    }
}

void TestTranslations::englishFileHasEveryPluralForm_data()
{
    QTest::addColumn<QString>("catalogue");
    QTest::addColumn<int>("atLeast");
    QTest::newRow("app") << QStringLiteral("lifeline") << 3;
    QTest::newRow("SDK") << QStringLiteral("lifeline_core") << 1;
}

void TestTranslations::englishFileHasEveryPluralForm()
{
    QFETCH(QString, catalogue);
    QFETCH(int, atLeast);
    QString error;
    const QList<TsEntry> entries = readTs(tsFile(catalogue, QStringLiteral("en")), &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    int numerus = 0;
    for (const TsEntry &entry : entries) {
        if (!entry.numerus)
            continue;
        ++numerus;
        const QString where = entry.context + QStringLiteral(": ") + entry.source;
        QVERIFY2(entry.type.isEmpty(), qPrintable(where));
        QVERIFY2(entry.forms.size() == 2, qPrintable(where));
        for (const QString &form : entry.forms)
            QVERIFY2(form.contains(QLatin1String("%n")) && !form.contains(QLatin1String("(s)")),
                     qPrintable(where));
    }
    QVERIFY(numerus >= atLeast);
}

QTEST_MAIN(TestTranslations)
#include "tst_translations.moc"
