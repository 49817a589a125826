// The server writes text frames it encoded itself (EncodedTextFrames) to the socket under its
// QWebSocket. Each length form of RFC 6455 (7-bit, 16-bit, 64-bit) is written here the same way
// to a real QWebSocket client, which must receive the text unchanged.

#include "encodedtextframes.h"

#include <QPointer>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>
#include <QWebSocket>
#include <QWebSocketServer>

#include <memory>

using namespace lifeline::server;

class tst_EncodedTextFrames : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();

    void clientReceivesTheText_data();
    void clientReceivesTheText();
    void framesFollowEachOtherAndQtsOwn();

private:
    // Connects a client and returns the server's side of it: the TCP socket under the server's
    // QWebSocket, as ChatServer holds it.
    QTcpSocket *connectClient();

    std::unique_ptr<QTcpServer> m_tcpServer;
    std::unique_ptr<QWebSocketServer> m_webSocketServer;
    std::unique_ptr<QWebSocket> m_client;
    std::unique_ptr<QWebSocket> m_serverSide;
    QPointer<QTcpSocket> m_transport; // a child of m_tcpServer
};

void tst_EncodedTextFrames::init()
{
    m_tcpServer = std::make_unique<QTcpServer>();
    QVERIFY(m_tcpServer->listen(QHostAddress::LocalHost));
    m_webSocketServer = std::make_unique<QWebSocketServer>(QStringLiteral("test"),
                                                           QWebSocketServer::NonSecureMode);
    connect(m_tcpServer.get(), &QTcpServer::newConnection, this, [this] {
        m_transport = m_tcpServer->nextPendingConnection();
        m_webSocketServer->handleConnection(m_transport);
    });
    m_client = std::make_unique<QWebSocket>();
}

void tst_EncodedTextFrames::cleanup()
{
    m_client.reset();
    m_serverSide.reset();
    m_webSocketServer.reset();
    m_tcpServer.reset();
}

QTcpSocket *tst_EncodedTextFrames::connectClient()
{
    QSignalSpy accepted(m_webSocketServer.get(), &QWebSocketServer::newConnection);
    QSignalSpy connected(m_client.get(), &QWebSocket::connected);
    m_client->open(QUrl(QStringLiteral("ws://127.0.0.1:%1/").arg(m_tcpServer->serverPort())));
    if (!accepted.wait() || (connected.isEmpty() && !connected.wait()))
        return nullptr;
    m_serverSide.reset(m_webSocketServer->nextPendingConnection());
    return m_transport && m_transport->state() == QAbstractSocket::ConnectedState ? m_transport
                                                                                  : nullptr;
}

void tst_EncodedTextFrames::clientReceivesTheText_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<int>("headerBytes");

    const auto ascii = [](int bytes) { return QString(bytes, QLatin1Char('x')); };
    QTest::newRow("1 byte") << ascii(1) << 2;
    QTest::newRow("125 bytes, the longest 7-bit length") << ascii(125) << 2;
    QTest::newRow("126 bytes, the shortest 16-bit length") << ascii(126) << 4;
    QTest::newRow("65,535 bytes, the longest 16-bit length") << ascii(65535) << 4;
    QTest::newRow("65,536 bytes, the shortest 64-bit length") << ascii(65536) << 10;
    // Lengths count UTF-8 bytes, not characters: 50 three-byte characters are 150 bytes.
    QTest::newRow("multi-byte UTF-8") << QString(50, QChar(0x20AC)) << 4;
    QTest::newRow("empty") << QString() << 2;
}

void tst_EncodedTextFrames::clientReceivesTheText()
{
    QFETCH(QString, text);
    QFETCH(int, headerBytes);

    const EncodedTextFrames frame(text);
    // The shortest length form is a must (RFC 6455 section 5.2).
    QCOMPARE(frame.bytes().size(), headerBytes + text.toUtf8().size());

    QTcpSocket *transport = connectClient();
    QVERIFY(transport);
    QSignalSpy received(m_client.get(), &QWebSocket::textMessageReceived);
    transport->write(frame.bytes());
    QVERIFY(received.wait());
    QCOMPARE(received.size(), 1);
    QCOMPARE(received.at(0).at(0).toString(), text);
}

void tst_EncodedTextFrames::framesFollowEachOtherAndQtsOwn()
{
    // Several messages in one write, as a commit's batch goes out, and between them what the
    // server's QWebSocket writes itself: one byte stream, read in order.
    QTcpSocket *transport = connectClient();
    QVERIFY(transport);
    QSignalSpy received(m_client.get(), &QWebSocket::textMessageReceived);
    const QString longer(300, QLatin1Char('y'));
    EncodedTextFrames batch(QStringLiteral("first"));
    batch.append(longer);
    transport->write(batch.bytes());
    m_serverSide->sendTextMessage(QStringLiteral("from QWebSocket"));
    transport->write(EncodedTextFrames(QStringLiteral("last")).bytes());
    QTRY_COMPARE(received.size(), 4);
    QCOMPARE(received.at(0).at(0).toString(), QStringLiteral("first"));
    QCOMPARE(received.at(1).at(0).toString(), longer);
    QCOMPARE(received.at(2).at(0).toString(), QStringLiteral("from QWebSocket"));
    QCOMPARE(received.at(3).at(0).toString(), QStringLiteral("last"));
}

QTEST_GUILESS_MAIN(tst_EncodedTextFrames)
#include "tst_encodedtextframes.moc"
