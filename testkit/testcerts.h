#pragma once

#include <QString>

#include <optional>

namespace lifeline::testkit {

// Certificates for TLS tests, made at test time with the openssl command line tool (Debian's
// openssl package) in a directory the test owns, usually a QTemporaryDir. All keys are
// unencrypted PEM EC P-256 keys; every certificate is PEM.
//
//   auto certs = TestCerts::make(dir.path(), &error);
//   QVERIFY2(certs, qPrintable(error));
//   server args: --tls-cert certs->serverCert --tls-key certs->serverKey
//   client: QSslConfiguration::setCaCertificates(QSslCertificate::fromPath(certs->caFile))
struct TestCerts
{
    // Makes every file below in dir (which must exist). On failure returns nothing and says
    // which openssl step failed, with its output, in *error.
    static std::optional<TestCerts> make(const QString &dir, QString *error);

    // The test CA that signed the server, wrong-host and expired certificates.
    QString caFile;
    // For 127.0.0.1 and localhost (subjectAltName IP:127.0.0.1, DNS:localhost).
    QString serverCert;
    QString serverKey;
    // Signed by the CA, but for DNS:wrong.example only: a client must refuse it on 127.0.0.1.
    QString wrongHostCert;
    QString wrongHostKey;
    // Signed by the CA for 127.0.0.1 and localhost, valid from 2020-01-01 to 2020-01-02 only.
    QString expiredCert;
    QString expiredKey;
    // For 127.0.0.1 and localhost, but self-signed: no CA a client trusts vouches for it.
    QString selfSignedCert;
    QString selfSignedKey;
};

} // namespace lifeline::testkit
