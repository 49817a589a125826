// Who may log in to lifeline-server: the tokens file format, dev mode, and the constant-time
// comparison.

#include "tokenstore.h"

#include <QTemporaryDir>
#include <QTest>

using namespace lifeline::server;

class tst_TokenStore : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void devModeByDefault();
    void parsesValidFiles_data();
    void parsesValidFiles();
    void checksTokens_data();
    void checksTokens();
    void refusesMalformedFiles_data();
    void refusesMalformedFiles();
    void loadsFromDisk();
    void reportsUnreadableFile();
    void constantTimeEquals_data();
    void constantTimeEquals();
};

void tst_TokenStore::devModeByDefault()
{
    const TokenStore store;
    QVERIFY(store.isDevMode());
    QCOMPARE(store.userCount(), 0);
    QVERIFY(store.check(QStringLiteral("anyone"), QStringLiteral("anything")));
    QVERIFY(store.check(QStringLiteral("\u00e9"), QStringLiteral(" ")));
    // Even dev mode wants something in both.
    QVERIFY(!store.check(QString(), QStringLiteral("anything")));
    QVERIFY(!store.check(QStringLiteral("anyone"), QString()));
    QVERIFY(!store.check(QString(), QString()));
}

void tst_TokenStore::parsesValidFiles_data()
{
    QTest::addColumn<QByteArray>("data");
    QTest::addColumn<int>("users");

    QTest::newRow("empty file") << QByteArray() << 0;
    QTest::newRow("comments only") << QByteArray("# nobody yet\n#alice a\n") << 0;
    QTest::newRow("one user, no final newline") << QByteArray("alice a-token") << 1;
    QTest::newRow("comments and blank lines")
        << QByteArray("# users\n\nalice a-token\n   \n  # indented comment\nbob b-token\n\n") << 2;
    QTest::newRow("tabs and runs of spaces")
        << QByteArray("alice\t a-token  \n\tbob   b-token\n") << 2;
    QTest::newRow("CRLF line ends") << QByteArray("alice a-token\r\nbob b-token\r\n") << 2;
    QTest::newRow("UTF-8 uid") << QByteArray("j\xc3\xbcrgen j-token\n") << 1;
}

void tst_TokenStore::parsesValidFiles()
{
    QFETCH(QByteArray, data);
    QFETCH(int, users);
    TokenStore store;
    QString error;
    QVERIFY2(store.loadData(data, &error), qPrintable(error));
    QVERIFY(!store.isDevMode());
    QCOMPARE(store.userCount(), users);
    // A file with no users locks everyone out rather than falling back to dev mode.
    QVERIFY(!store.check(QStringLiteral("anyone"), QStringLiteral("anything")));
}

void tst_TokenStore::checksTokens_data()
{
    QTest::addColumn<QString>("uid");
    QTest::addColumn<QString>("token");
    QTest::addColumn<bool>("accepted");

    QTest::newRow("alice") << QStringLiteral("alice") << QStringLiteral("a-token") << true;
    QTest::newRow("bob") << QStringLiteral("bob") << QStringLiteral("b-token") << true;
    QTest::newRow("UTF-8 uid") << QStringLiteral("j\u00fcrgen") << QStringLiteral("j-token")
                               << true;
    QTest::newRow("another user's token")
        << QStringLiteral("alice") << QStringLiteral("b-token") << false;
    QTest::newRow("wrong token") << QStringLiteral("alice") << QStringLiteral("a-tokem") << false;
    QTest::newRow("prefix of the token")
        << QStringLiteral("alice") << QStringLiteral("a-toke") << false;
    QTest::newRow("token with more")
        << QStringLiteral("alice") << QStringLiteral("a-token2") << false;
    QTest::newRow("token in other case")
        << QStringLiteral("alice") << QStringLiteral("A-TOKEN") << false;
    QTest::newRow("uid in other case")
        << QStringLiteral("Alice") << QStringLiteral("a-token") << false;
    QTest::newRow("unknown uid") << QStringLiteral("mallory") << QStringLiteral("a-token") << false;
    QTest::newRow("empty token") << QStringLiteral("alice") << QString() << false;
    QTest::newRow("empty uid") << QString() << QStringLiteral("a-token") << false;
    QTest::newRow("comment is no user")
        << QStringLiteral("#carol") << QStringLiteral("c-token") << false;
}

void tst_TokenStore::checksTokens()
{
    QFETCH(QString, uid);
    QFETCH(QString, token);
    QFETCH(bool, accepted);
    TokenStore store;
    QString error;
    QVERIFY(store.loadData("alice a-token\nbob b-token\nj\xc3\xbcrgen j-token\n#carol c-token\n",
                           &error));
    QCOMPARE(store.check(uid, token), accepted);
}

void tst_TokenStore::refusesMalformedFiles_data()
{
    QTest::addColumn<QByteArray>("data");
    QTest::addColumn<QString>("problem");

    QTest::newRow("uid without token") << QByteArray("alice\n") << QStringLiteral("line 1: ");
    QTest::newRow("three fields, after comments")
        << QByteArray("# users\n\nalice a-token\nbob b-token extra-secret\n")
        << QStringLiteral("line 4: ");
    QTest::newRow("token with a space")
        << QByteArray("alice a-token\n\n\n\nbob first-half second-half\n")
        << QStringLiteral("line 5: ");
    QTest::newRow("uid listed twice")
        << QByteArray("alice a-token\nbob b-token\nalice other-secret\n")
        << QStringLiteral("line 3: uid \"alice\" is already listed on line 1");
}

void tst_TokenStore::refusesMalformedFiles()
{
    QFETCH(QByteArray, data);
    QFETCH(QString, problem);
    TokenStore store;
    QString error;
    QVERIFY(!store.loadData(data, &error));
    QVERIFY2(error.startsWith(problem), qPrintable(error));
    // The error may reach a log; it must not carry what might be a token.
    for (const char *secret :
         {"a-token", "b-token", "extra-secret", "first-half", "second-half", "other-secret"})
        QVERIFY2(!error.contains(QLatin1String(secret)), qPrintable(error));
    // A failed load changes nothing.
    QVERIFY(store.isDevMode());
    QCOMPARE(store.userCount(), 0);
}

void tst_TokenStore::loadsFromDisk()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(QStringLiteral("tokens"));
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("# users\nalice a-token\n");
    file.close();

    TokenStore store;
    QString error;
    QVERIFY2(store.loadFile(path, &error), qPrintable(error));
    QVERIFY(store.check(QStringLiteral("alice"), QStringLiteral("a-token")));

    QVERIFY(file.open(QIODevice::Append));
    file.write("bob\n");
    file.close();
    TokenStore broken;
    QVERIFY(!broken.loadFile(path, &error));
    QVERIFY2(error.startsWith(path + QStringLiteral(": line 3: ")), qPrintable(error));
}

void tst_TokenStore::reportsUnreadableFile()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(QStringLiteral("missing"));
    TokenStore store;
    QString error;
    QVERIFY(!store.loadFile(path, &error));
    QVERIFY2(error.contains(path), qPrintable(error));
    QVERIFY(store.isDevMode());
}

void tst_TokenStore::constantTimeEquals_data()
{
    QTest::addColumn<QByteArray>("a");
    QTest::addColumn<QByteArray>("b");
    QTest::addColumn<bool>("equal");

    QTest::newRow("equal") << QByteArray("secret") << QByteArray("secret") << true;
    QTest::newRow("both empty") << QByteArray() << QByteArray() << true;
    QTest::newRow("binary, equal")
        << QByteArray("\0\xff\x80", 3) << QByteArray("\0\xff\x80", 3) << true;
    QTest::newRow("first byte differs") << QByteArray("secret") << QByteArray("Secret") << false;
    QTest::newRow("last byte differs") << QByteArray("secret") << QByteArray("secreT") << false;
    QTest::newRow("one bit differs") << QByteArray("\x01", 1) << QByteArray("\x03", 1) << false;
    QTest::newRow("high bit differs") << QByteArray("\x80", 1) << QByteArray("\x00", 1) << false;
    QTest::newRow("b is a prefix of a") << QByteArray("secret") << QByteArray("secr") << false;
    QTest::newRow("a is a prefix of b") << QByteArray("secr") << QByteArray("secret") << false;
    QTest::newRow("a repeats to b") << QByteArray("ab") << QByteArray("abab") << false;
    QTest::newRow("a empty") << QByteArray() << QByteArray("secret") << false;
    QTest::newRow("b empty") << QByteArray("secret") << QByteArray() << false;
    QTest::newRow("NUL vs empty") << QByteArray("\0", 1) << QByteArray() << false;
}

void tst_TokenStore::constantTimeEquals()
{
    QFETCH(QByteArray, a);
    QFETCH(QByteArray, b);
    QFETCH(bool, equal);
    QCOMPARE(TokenStore::constantTimeEquals(a, b), equal);
    QCOMPARE(TokenStore::constantTimeEquals(b, a), equal);
}

QTEST_GUILESS_MAIN(tst_TokenStore)
#include "tst_tokenstore.moc"
