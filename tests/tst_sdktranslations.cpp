// The SDK's own translations, without the app: lifeline::installTranslations() words every
// ChatError in the locale's language from the catalogue built into the library.
#include <lifeline/connectionmanager.h>
#include <lifeline/translations.h>

#include <QCoreApplication>
#include <QTest>

using namespace lifeline;

namespace {

// The error a call before init() gets, worded as the SDK words it now.
ChatError notInitialized()
{
    ConnectionManager manager;
    ChatError error;
    manager.connectToServer({}, [&error](const ChatError &e) { error = e; });
    return error;
}

} // namespace

class TestSdkTranslations : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void cleanup();
    void germanWordsTheErrors();
    void englishPluralsComeWithEveryLocale_data();
    void englishPluralsComeWithEveryLocale();
    void unknownLanguageStaysEnglish();
    void removingGoesBackToEnglish();
};

void TestSdkTranslations::cleanup()
{
    removeTranslations();
}

void TestSdkTranslations::germanWordsTheErrors()
{
    QVERIFY(installTranslations(QLocale(QLocale::German)));
    const ChatError error = notInitialized();
    QCOMPARE(error.code, QStringLiteral("ERR_NOT_INITIALIZED")); // codes are never translated
    QCOMPARE(error.message, QStringLiteral("Das SDK ist nicht initialisiert."));
    QCOMPARE(error.details,
             QStringLiteral("Rufen Sie zuerst ConnectionManager::init() mit einer "
                            "App-ID und Einstellungen auf."));
}

void TestSdkTranslations::englishPluralsComeWithEveryLocale_data()
{
    QTest::addColumn<QLocale>("locale");
    QTest::addColumn<int>("attempts");
    QTest::addColumn<QString>("message");
    const QLocale english(QLocale::English);
    const QLocale german(QLocale::German);
    QTest::newRow("en, 1") << english << 1 << QStringLiteral("Connection failed after 1 attempt.");
    QTest::newRow("en, 5") << english << 5 << QStringLiteral("Connection failed after 5 attempts.");
    QTest::newRow("de, 1") << german << 1
                           << QStringLiteral("Verbindung nach 1 Versuch fehlgeschlagen.");
    QTest::newRow("de, 5") << german << 5
                           << QStringLiteral("Verbindung nach 5 Versuchen fehlgeschlagen.");
}

void TestSdkTranslations::englishPluralsComeWithEveryLocale()
{
    QFETCH(QLocale, locale);
    QFETCH(int, attempts);
    QFETCH(QString, message);
    QVERIFY(installTranslations(locale));
    QCOMPARE(QCoreApplication::translate("lifeline::ChatError",
                                         "Connection failed after %n attempts.", nullptr, attempts),
             message);
}

void TestSdkTranslations::unknownLanguageStaysEnglish()
{
    QVERIFY(!installTranslations(QLocale(QLocale::Swahili)));
    QCOMPARE(notInitialized().message, QStringLiteral("The SDK is not initialised."));
}

void TestSdkTranslations::removingGoesBackToEnglish()
{
    QVERIFY(installTranslations(QLocale(QLocale::German)));
    QVERIFY(installTranslations(QLocale(QLocale::German))); // replaces, does not stack
    removeTranslations();
    QCOMPARE(notInitialized().message, QStringLiteral("The SDK is not initialised."));
}

QTEST_GUILESS_MAIN(TestSdkTranslations)
#include "tst_sdktranslations.moc"
