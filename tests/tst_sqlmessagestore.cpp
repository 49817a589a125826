// SqlMessageStore on real SQLite files in a temporary directory: seq order, the id dedupe,
// catch-up reads, retention, and what survives closing and opening the file again.

#include "sqlmessagestore.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace lifeline::server;

namespace {

StoredMessage message(const QString &id, const QString &sender = QStringLiteral("alice"),
                      const QString &text = QStringLiteral("hello"))
{
    StoredMessage m;
    m.id = id;
    m.room = QStringLiteral("general");
    m.sender = sender;
    m.text = text;
    m.sentAt = 1700000000000;
    return m;
}

QList<StoredMessage> numbered(const QString &prefix, int count)
{
    QList<StoredMessage> messages;
    for (int i = 0; i < count; ++i)
        messages.append(message(prefix + QString::number(i)));
    return messages;
}

QList<qint64> seqs(const QList<StoredMessage> &messages)
{
    QList<qint64> result;
    for (const StoredMessage &m : messages)
        result.append(m.seq);
    return result;
}

QList<qint64> range(qint64 first, qint64 last)
{
    QList<qint64> result;
    for (qint64 seq = first; seq <= last; ++seq)
        result.append(seq);
    return result;
}

QByteArray readAll(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

// Runs statements on the file with a connection of its own, as another program would.
bool runSql(const QString &path, const QStringList &statements)
{
    bool ok = true;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"),
                                                    QStringLiteral("tst_sqlmessagestore"));
        db.setDatabaseName(path);
        ok = db.open();
        for (const QString &statement : statements) {
            QSqlQuery query(db);
            ok = ok && query.exec(statement);
        }
        db.close();
    }
    QSqlDatabase::removeDatabase(QStringLiteral("tst_sqlmessagestore"));
    return ok;
}

} // namespace

class tst_SqlMessageStore : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();

    void emptyStore();
    void appendAssignsIncreasingSeq();
    void duplicateIdIsStoredOnce();
    void readAfterInSeqOrder_data();
    void readAfterInSeqOrder();
    void retentionKeepsTheNewest();
    void seqIsNeverReused();
    void everythingSurvivesReopening();
    void failedAppendStoresNothing();
    void secondStoreOnTheSameFileIsRefused();
    void unusableFileIsRefused_data();
    void unusableFileIsRefused();

private:
    QString path() const { return m_dir->filePath(SqlMessageStore::fileName()); }
    bool open(SqlMessageStore *store) const;

    std::unique_ptr<QTemporaryDir> m_dir;
};

void tst_SqlMessageStore::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY2(m_dir->isValid(), qPrintable(m_dir->errorString()));
}

void tst_SqlMessageStore::cleanup()
{
    m_dir.reset();
}

bool tst_SqlMessageStore::open(SqlMessageStore *store) const
{
    QString error;
    if (store->open(path(), &error))
        return true;
    qWarning("cannot open the store: %s", qPrintable(error));
    return false;
}

void tst_SqlMessageStore::emptyStore()
{
    SqlMessageStore store;
    QVERIFY(!store.isOpen());
    QVERIFY(open(&store));
    QVERIFY(store.isOpen());
    QCOMPARE(store.oldestSeq(), 0);
    QCOMPARE(store.newestSeq(), 0);
    QList<StoredMessage> read;
    QString error;
    QVERIFY(store.readAfter(0, 10, &read, &error));
    QVERIFY(read.isEmpty());
    qint64 seq = -1;
    QVERIFY(store.seqOf(QStringLiteral("nothing"), &seq, &error));
    QCOMPARE(seq, 0);
    QList<MessageStore::Appended> results;
    QVERIFY(store.append({}, &results, &error));
    QVERIFY(results.isEmpty());
    QCOMPARE(store.newestSeq(), 0);
}

void tst_SqlMessageStore::appendAssignsIncreasingSeq()
{
    SqlMessageStore store;
    QVERIFY(open(&store));
    QList<MessageStore::Appended> results;
    QString error;
    QVERIFY2(store.append(numbered(QStringLiteral("a"), 3), &results, &error), qPrintable(error));
    QCOMPARE(results.size(), 3);
    for (int i = 0; i < 3; ++i) {
        QCOMPARE(results.at(i).seq, i + 1);
        QVERIFY(results.at(i).isNew);
        QCOMPARE(results.at(i).sender, QStringLiteral("alice"));
    }
    QVERIFY(store.append(numbered(QStringLiteral("b"), 2), &results, &error));
    QCOMPARE(results.at(0).seq, 4);
    QCOMPARE(results.at(1).seq, 5);
    QCOMPARE(store.oldestSeq(), 1);
    QCOMPARE(store.newestSeq(), 5);
    qint64 seq = 0;
    QVERIFY(store.seqOf(QStringLiteral("b1"), &seq, &error));
    QCOMPARE(seq, 5);
}

void tst_SqlMessageStore::duplicateIdIsStoredOnce()
{
    SqlMessageStore store;
    QVERIFY(open(&store));
    QList<MessageStore::Appended> results;
    QString error;
    QVERIFY(store.append({message(QStringLiteral("x"))}, &results, &error));
    // Again later, twice in one batch, and by someone else: always the first one's seq.
    QVERIFY(store.append(
        {message(QStringLiteral("y")),
         message(QStringLiteral("x"), QStringLiteral("alice"), QStringLiteral("changed")),
         message(QStringLiteral("y")), message(QStringLiteral("x"), QStringLiteral("mallory"))},
        &results, &error));
    QCOMPARE(results.size(), 4);
    QCOMPARE(results.at(0).seq, 2);
    QVERIFY(results.at(0).isNew);
    QCOMPARE(results.at(1).seq, 1);
    QVERIFY(!results.at(1).isNew);
    QCOMPARE(results.at(2).seq, 2);
    QVERIFY(!results.at(2).isNew);
    QCOMPARE(results.at(3).seq, 1);
    QVERIFY(!results.at(3).isNew);
    QCOMPARE(results.at(3).sender, QStringLiteral("alice"));

    QList<StoredMessage> read;
    QVERIFY(store.readAfter(0, 10, &read, &error));
    QCOMPARE(seqs(read), range(1, 2));
    QCOMPARE(read.at(0).text, QStringLiteral("hello")); // the first text stays
    QCOMPARE(store.newestSeq(), 2);
}

void tst_SqlMessageStore::readAfterInSeqOrder_data()
{
    QTest::addColumn<qint64>("after");
    QTest::addColumn<int>("limit");
    QTest::addColumn<QList<qint64>>("expected");
    QTest::newRow("everything") << qint64(0) << 100 << range(1, 12);
    QTest::newRow("first page") << qint64(0) << 5 << range(1, 5);
    QTest::newRow("next page") << qint64(5) << 5 << range(6, 10);
    QTest::newRow("last page, short") << qint64(10) << 5 << range(11, 12);
    QTest::newRow("at the end") << qint64(12) << 5 << QList<qint64>();
    QTest::newRow("beyond the end") << qint64(1000) << 5 << QList<qint64>();
}

void tst_SqlMessageStore::readAfterInSeqOrder()
{
    QFETCH(qint64, after);
    QFETCH(int, limit);
    QFETCH(QList<qint64>, expected);
    SqlMessageStore store;
    QVERIFY(open(&store));
    QList<MessageStore::Appended> results;
    QString error;
    // Several batches, so the order cannot come from one insert loop only.
    QVERIFY(store.append(numbered(QStringLiteral("a"), 4), &results, &error));
    QVERIFY(store.append(numbered(QStringLiteral("b"), 8), &results, &error));
    QList<StoredMessage> read;
    QVERIFY2(store.readAfter(after, limit, &read, &error), qPrintable(error));
    QCOMPARE(seqs(read), expected);
    if (!read.isEmpty()) {
        const StoredMessage &first = read.constFirst();
        QCOMPARE(first.id,
                 first.seq <= 4 ? QStringLiteral("a%1").arg(first.seq - 1)
                                : QStringLiteral("b%1").arg(first.seq - 5));
    }
}

void tst_SqlMessageStore::retentionKeepsTheNewest()
{
    SqlMessageStore store;
    QVERIFY(open(&store));
    store.setRetention(5);
    QList<MessageStore::Appended> results;
    QString error;
    QVERIFY(store.append(numbered(QStringLiteral("a"), 3), &results, &error));
    QCOMPARE(store.oldestSeq(), 1); // fewer than 5: nothing goes
    QVERIFY(store.append(numbered(QStringLiteral("b"), 9), &results, &error));
    QCOMPARE(store.oldestSeq(), 8);
    QCOMPARE(store.newestSeq(), 12);
    QList<StoredMessage> read;
    QVERIFY(store.readAfter(0, 100, &read, &error));
    QCOMPARE(seqs(read), range(8, 12));
    // A removed message is gone for the dedupe too; its id gets a new seq.
    qint64 seq = -1;
    QVERIFY(store.seqOf(QStringLiteral("a0"), &seq, &error));
    QCOMPARE(seq, 0);
    QVERIFY(store.append({message(QStringLiteral("a0"))}, &results, &error));
    QCOMPARE(results.at(0).seq, 13);
    QCOMPARE(store.oldestSeq(), 9);
}

void tst_SqlMessageStore::seqIsNeverReused()
{
    {
        SqlMessageStore store;
        QVERIFY(open(&store));
        store.setRetention(3);
        QList<MessageStore::Appended> results;
        QString error;
        QVERIFY(store.append(numbered(QStringLiteral("a"), 10), &results, &error));
        QCOMPARE(store.oldestSeq(), 8);
        QCOMPARE(store.newestSeq(), 10);
    }
    // Even with every row gone, the next seq is above every one handed out before.
    QVERIFY(runSql(path(), {QStringLiteral("DELETE FROM messages")}));
    SqlMessageStore store;
    QVERIFY(open(&store));
    QCOMPARE(store.oldestSeq(), 0);
    QCOMPARE(store.newestSeq(), 0);
    QList<MessageStore::Appended> results;
    QString error;
    QVERIFY(store.append({message(QStringLiteral("new"))}, &results, &error));
    QCOMPARE(results.at(0).seq, 11);
}

void tst_SqlMessageStore::everythingSurvivesReopening()
{
    const QString text = QStringLiteral("Grüße, \u4f60\u597d, \U0001F600 and a \"quote\"\n");
    {
        SqlMessageStore store;
        QVERIFY(open(&store));
        QList<MessageStore::Appended> results;
        QString error;
        StoredMessage m = message(QStringLiteral("x"), QStringLiteral("bob"), text);
        m.room = QStringLiteral("random");
        m.sentAt = 9007199254740992; // 2^53
        QVERIFY(store.append({m, message(QStringLiteral("y"))}, &results, &error));
        store.close();
        QVERIFY(!store.isOpen());
        QVERIFY(!store.append({message(QStringLiteral("z"))}, &results, &error));
    }
    SqlMessageStore store;
    QVERIFY(open(&store));
    QCOMPARE(store.oldestSeq(), 1);
    QCOMPARE(store.newestSeq(), 2);
    QList<StoredMessage> read;
    QString error;
    QVERIFY(store.readAfter(0, 10, &read, &error));
    QCOMPARE(read.size(), 2);
    const StoredMessage &m = read.at(0);
    QCOMPARE(m.seq, 1);
    QCOMPARE(m.id, QStringLiteral("x"));
    QCOMPARE(m.room, QStringLiteral("random"));
    QCOMPARE(m.sender, QStringLiteral("bob"));
    QCOMPARE(m.text, text);
    QCOMPARE(m.sentAt, 9007199254740992);
    // The dedupe remembers across reopening, and seq goes on.
    QList<MessageStore::Appended> results;
    QVERIFY(store.append({message(QStringLiteral("x")), message(QStringLiteral("w"))}, &results,
                         &error));
    QCOMPARE(results.at(0).seq, 1);
    QVERIFY(!results.at(0).isNew);
    QCOMPARE(results.at(1).seq, 3);
}

void tst_SqlMessageStore::failedAppendStoresNothing()
{
    SqlMessageStore store;
    QVERIFY(open(&store));
    QList<MessageStore::Appended> results;
    QString error;
    QVERIFY(store.append({message(QStringLiteral("before"))}, &results, &error));
    // The table refuses a NULL sender, so the third message fails the whole batch.
    StoredMessage broken = message(QStringLiteral("broken"));
    broken.sender = QString();
    QVERIFY(!store.append({message(QStringLiteral("a")), message(QStringLiteral("b")), broken},
                          &results, &error));
    QVERIFY(!error.isEmpty());
    QVERIFY(results.isEmpty());
    QCOMPARE(store.newestSeq(), 1);
    QList<StoredMessage> read;
    QVERIFY(store.readAfter(0, 10, &read, &error));
    QCOMPARE(read.size(), 1);
    qint64 seq = -1;
    QVERIFY(store.seqOf(QStringLiteral("a"), &seq, &error));
    QCOMPARE(seq, 0);
    // The store goes on working.
    QVERIFY(store.append({message(QStringLiteral("a"))}, &results, &error));
    QVERIFY(results.at(0).isNew);
    QVERIFY(results.at(0).seq > 1);
}

void tst_SqlMessageStore::secondStoreOnTheSameFileIsRefused()
{
    SqlMessageStore first;
    QVERIFY(open(&first));
    SqlMessageStore second;
    QString error;
    QVERIFY(!second.open(path(), &error));
    QVERIFY2(error.contains(QStringLiteral("another lifeline-server")), qPrintable(error));
    QVERIFY(!second.isOpen());
    QList<MessageStore::Appended> results;
    QVERIFY(first.append({message(QStringLiteral("x"))}, &results, &error));
    first.close();
    QVERIFY(open(&second));
    QCOMPARE(second.newestSeq(), 1);
}

void tst_SqlMessageStore::unusableFileIsRefused_data()
{
    QTest::addColumn<QString>("kind");
    QTest::addColumn<QString>("reason"); // part of the error
    QTest::newRow("a directory") << QStringLiteral("directory") << QStringLiteral("is not a file");
    QTest::newRow("in a missing directory")
        << QStringLiteral("missing") << QStringLiteral("unable to open");
    QTest::newRow("not a database")
        << QStringLiteral("garbage") << QStringLiteral("not a database");
    QTest::newRow("from a newer server")
        << QStringLiteral("newer") << QStringLiteral("newer lifeline-server");
    QTest::newRow("another program's messages table")
        << QStringLiteral("foreign") << QStringLiteral("no such column");
}

void tst_SqlMessageStore::unusableFileIsRefused()
{
    QFETCH(QString, kind);
    QFETCH(QString, reason);
    QString file = path();
    if (kind == QLatin1String("directory")) {
        QVERIFY(QDir(m_dir->path()).mkdir(SqlMessageStore::fileName()));
    } else if (kind == QLatin1String("missing")) {
        file = m_dir->filePath(QStringLiteral("missing/messages.db"));
    } else if (kind == QLatin1String("garbage")) {
        QFile garbage(file);
        QVERIFY(garbage.open(QIODevice::WriteOnly));
        garbage.write(QByteArray(8192, 'x'));
    } else if (kind == QLatin1String("newer")) {
        QVERIFY(runSql(file, {QStringLiteral("PRAGMA user_version = 99")}));
    } else if (kind == QLatin1String("foreign")) {
        QVERIFY(runSql(file, {QStringLiteral("CREATE TABLE messages (id TEXT, content TEXT)")}));
    }
    const QByteArray before = QFileInfo(file).isFile() ? readAll(file) : QByteArray();
    SqlMessageStore store;
    QString error;
    QVERIFY(!store.open(file, &error));
    QVERIFY2(error.contains(reason), qPrintable(error));
    QVERIFY2(error.contains(file), qPrintable(error));
    QVERIFY(!store.isOpen());
    // Refused without writing a byte.
    if (!before.isEmpty())
        QCOMPARE(readAll(file), before);
}

QTEST_GUILESS_MAIN(tst_SqlMessageStore)
#include "tst_sqlmessagestore.moc"
