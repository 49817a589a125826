// The frame header every hand-framed peer of the product writes and reads: the server's own
// frames, the test kit's raw peer and the fan-out benchmark's clients. Checked byte for byte
// against RFC 6455 section 5.7 and at the edges of each length form.
#include "websocketframe.h"

#include <QTest>

namespace websocketframe = lifeline::server::websocketframe;

namespace {

QByteArray header(quint8 opcode, quint64 length, bool fin = true, const char *mask = nullptr)
{
    char bytes[websocketframe::MaxHeaderBytes];
    return QByteArray(bytes, websocketframe::writeHeader(bytes, opcode, length, fin, mask));
}

QByteArray hex(const char *text)
{
    return QByteArray::fromHex(text);
}

} // namespace

class TestWebSocketFrame : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void writesTheRfcExamples_data();
    void writesTheRfcExamples();
    void lengthFormsChangeAtTheirEdges_data();
    void lengthFormsChangeAtTheirEdges();
    void readsWhatItWrites_data();
    void readsWhatItWrites();
    void incompleteHeadersAreNotRead_data();
    void incompleteHeadersAreNotRead();
};

void TestWebSocketFrame::writesTheRfcExamples_data()
{
    QTest::addColumn<QByteArray>("written");
    QTest::addColumn<QByteArray>("expected");
    const char mask[4] = {char(0x37), char(0xfa), char(0x21), char(0x3d)};
    // RFC 6455 section 5.7, the headers of its examples.
    QTest::newRow("unmasked text, \"Hello\"") << header(websocketframe::Text, 5) << hex("8105");
    QTest::newRow("masked text, \"Hello\"")
        << header(websocketframe::Text, 5, true, mask) << hex("818537fa213d");
    QTest::newRow("first fragment, \"Hel\"")
        << header(websocketframe::Text, 3, false) << hex("0103");
    QTest::newRow("last fragment, \"lo\"")
        << header(websocketframe::Continuation, 2) << hex("8002");
    QTest::newRow("unmasked ping") << header(websocketframe::Ping, 5) << hex("8905");
    QTest::newRow("masked pong") << header(websocketframe::Pong, 5, true, mask)
                                 << hex("8a8537fa213d");
    QTest::newRow("256 bytes binary") << header(websocketframe::Binary, 256) << hex("827e0100");
    QTest::newRow("64 KiB binary")
        << header(websocketframe::Binary, 65536) << hex("827f0000000000010000");
}

void TestWebSocketFrame::writesTheRfcExamples()
{
    QFETCH(QByteArray, written);
    QFETCH(QByteArray, expected);
    QCOMPARE(written.toHex(), expected.toHex());
}

void TestWebSocketFrame::lengthFormsChangeAtTheirEdges_data()
{
    QTest::addColumn<quint64>("length");
    QTest::addColumn<QByteArray>("expected");
    QTest::newRow("0") << quint64(0) << hex("8100");
    QTest::newRow("125, the last in the second byte") << quint64(125) << hex("817d");
    QTest::newRow("126, the first in 16 bits") << quint64(126) << hex("817e007e");
    QTest::newRow("65535, the last in 16 bits") << quint64(65535) << hex("817effff");
    QTest::newRow("65536, the first in 64 bits") << quint64(65536) << hex("817f0000000000010000");
    QTest::newRow("2^62") << (quint64(1) << 62) << hex("817f4000000000000000");
}

void TestWebSocketFrame::lengthFormsChangeAtTheirEdges()
{
    QFETCH(quint64, length);
    QFETCH(QByteArray, expected);
    QCOMPARE(header(websocketframe::Text, length).toHex(), expected.toHex());
}

void TestWebSocketFrame::readsWhatItWrites_data()
{
    QTest::addColumn<quint8>("opcode");
    QTest::addColumn<quint64>("length");
    QTest::addColumn<bool>("fin");
    QTest::addColumn<bool>("masked");
    for (const quint64 length : {quint64(0), quint64(125), quint64(126), quint64(65535),
                                 quint64(65536), quint64(1) << 62}) {
        for (const bool masked : {false, true}) {
            QTest::addRow("text, %llu bytes%s", length, masked ? ", masked" : "")
                << quint8(websocketframe::Text) << length << true << masked;
        }
    }
    QTest::newRow("close") << quint8(websocketframe::Close) << quint64(2) << true << true;
    QTest::newRow("a first fragment")
        << quint8(websocketframe::Binary) << quint64(300) << false << false;
}

void TestWebSocketFrame::readsWhatItWrites()
{
    QFETCH(quint8, opcode);
    QFETCH(quint64, length);
    QFETCH(bool, fin);
    QFETCH(bool, masked);
    const char mask[4] = {'a', 'b', 'c', 'd'};
    // The payload's first bytes follow: the header must end where it says.
    const QByteArray bytes = header(opcode, length, fin, masked ? mask : nullptr) + "payload";
    const auto read = websocketframe::readHeader(bytes.constData(), bytes.size());
    QVERIFY(read);
    QCOMPARE(read->opcode(), opcode);
    QCOMPARE(read->isFinal(), fin);
    QCOMPARE(read->reservedBits(), quint8(0));
    QCOMPARE(read->masked, masked);
    QCOMPARE(read->payloadLength, length);
    QCOMPARE(read->size, bytes.size() - qsizetype(sizeof "payload" - 1));
    if (masked)
        QCOMPARE(QByteArray(read->mask, 4), QByteArray(mask, 4));
    else
        QCOMPARE(read->mask, nullptr);
}

void TestWebSocketFrame::incompleteHeadersAreNotRead_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::newRow("nothing") << QByteArray();
    QTest::newRow("the first byte") << hex("81");
    QTest::newRow("16-bit length, one byte of it") << hex("817e00");
    QTest::newRow("64-bit length, seven bytes of it") << hex("817f00000000000001");
    QTest::newRow("masked, three bytes of the mask") << hex("818537fa21");
    QTest::newRow("16-bit length, masked, no mask yet") << hex("81fe0100");
}

void TestWebSocketFrame::incompleteHeadersAreNotRead()
{
    QFETCH(QByteArray, bytes);
    QVERIFY(!websocketframe::readHeader(bytes.constData(), bytes.size()));
    // One byte more of a valid header is always enough or still short, never a wrong read.
    const QByteArray more = bytes + QByteArray(1, '\x01');
    if (const auto read = websocketframe::readHeader(more.constData(), more.size()))
        QCOMPARE(read->size, more.size());
}

QTEST_GUILESS_MAIN(TestWebSocketFrame)
#include "tst_websocketframe.moc"
