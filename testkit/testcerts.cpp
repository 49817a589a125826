#include "testcerts.h"

#include <QDir>
#include <QFile>
#include <QProcess>

namespace lifeline::testkit {

namespace {

// Creating keys and signing takes milliseconds; this only bounds a hung tool.
constexpr int OpensslTimeoutMs = 30000;

const QString ServerSan = QStringLiteral("IP:127.0.0.1,DNS:localhost");

class Maker
{
public:
    explicit Maker(const QString &dir)
        : m_dir(dir)
    { }

    QString path(const QString &name) const { return m_dir.filePath(name); }

    bool run(const QStringList &arguments, QString *error) const
    {
        QProcess openssl;
        openssl.setWorkingDirectory(m_dir.path());
        openssl.setProcessChannelMode(QProcess::MergedChannels);
        openssl.start(QStringLiteral("openssl"), arguments);
        if (!openssl.waitForStarted(OpensslTimeoutMs)) {
            *error = QStringLiteral("cannot run openssl (%1): install Debian's openssl package "
                                    "(apt-get install openssl)")
                         .arg(openssl.errorString());
            return false;
        }
        if (!openssl.waitForFinished(OpensslTimeoutMs)
            || openssl.exitStatus() != QProcess::NormalExit || openssl.exitCode() != 0) {
            *error = QStringLiteral("openssl %1 failed (exit code %2): %3")
                         .arg(arguments.join(QLatin1Char(' ')))
                         .arg(openssl.exitCode())
                         .arg(QString::fromLocal8Bit(openssl.readAll()));
            return false;
        }
        return true;
    }

    bool write(const QString &name, const QByteArray &content, QString *error) const
    {
        QFile file(path(name));
        if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate) || file.write(content) < 0) {
            *error = QStringLiteral("cannot write %1: %2").arg(file.fileName(), file.errorString());
            return false;
        }
        return true;
    }

    // A new key in name.key and a signing request for it in name.csr.
    bool request(const QString &name, QString *error) const
    {
        return run({QStringLiteral("req"), QStringLiteral("-new"), QStringLiteral("-newkey"),
                    QStringLiteral("ec"), QStringLiteral("-pkeyopt"),
                    QStringLiteral("ec_paramgen_curve:prime256v1"), QStringLiteral("-nodes"),
                    QStringLiteral("-keyout"), name + QStringLiteral(".key"),
                    QStringLiteral("-out"), name + QStringLiteral(".csr"), QStringLiteral("-subj"),
                    QStringLiteral("/CN=") + name},
                   error);
    }

    // The extensions of a TLS server certificate for san.
    bool serverExtensions(const QString &name, const QString &san, QString *error) const
    {
        return write(name + QStringLiteral(".ext"),
                     QStringLiteral("subjectAltName=%1\n"
                                    "basicConstraints=CA:FALSE\n"
                                    "keyUsage=critical,digitalSignature\n"
                                    "extendedKeyUsage=serverAuth\n")
                         .arg(san)
                         .toUtf8(),
                     error);
    }

    // name.pem, signed by the CA, valid for a year from now.
    bool signByCa(const QString &name, const QString &san, int serial, QString *error) const
    {
        return request(name, error) && serverExtensions(name, san, error)
            && run({QStringLiteral("x509"), QStringLiteral("-req"), QStringLiteral("-in"),
                    name + QStringLiteral(".csr"), QStringLiteral("-CA"), QStringLiteral("ca.pem"),
                    QStringLiteral("-CAkey"), QStringLiteral("ca.key"),
                    QStringLiteral("-set_serial"), QString::number(serial), QStringLiteral("-days"),
                    QStringLiteral("365"), QStringLiteral("-out"), name + QStringLiteral(".pem"),
                    QStringLiteral("-extfile"), name + QStringLiteral(".ext")},
                   error);
    }

    // name.pem, signed by the CA with a validity that ended long ago. OpenSSL 3.0's x509 -req
    // cannot set the start date; "openssl ca" can, and needs a small database for it.
    bool signExpiredByCa(const QString &name, QString *error) const
    {
        return request(name, error) && serverExtensions(name, ServerSan, error)
            && m_dir.mkpath(QStringLiteral("ca-db"))
            && write(QStringLiteral("ca-db/index.txt"), {}, error)
            && write(QStringLiteral("ca-db/serial"), "10\n", error)
            && write(QStringLiteral("ca.cnf"),
                     "[ca]\n"
                     "default_ca = test_ca\n"
                     "[test_ca]\n"
                     "database = ca-db/index.txt\n"
                     "new_certs_dir = ca-db\n"
                     "serial = ca-db/serial\n"
                     "default_md = sha256\n"
                     "policy = any_name\n"
                     "unique_subject = no\n"
                     "[any_name]\n"
                     "commonName = supplied\n",
                     error)
            && run({QStringLiteral("ca"), QStringLiteral("-batch"), QStringLiteral("-notext"),
                    QStringLiteral("-config"), QStringLiteral("ca.cnf"), QStringLiteral("-cert"),
                    QStringLiteral("ca.pem"), QStringLiteral("-keyfile"), QStringLiteral("ca.key"),
                    QStringLiteral("-in"), name + QStringLiteral(".csr"), QStringLiteral("-out"),
                    name + QStringLiteral(".pem"), QStringLiteral("-startdate"),
                    QStringLiteral("20200101000000Z"), QStringLiteral("-enddate"),
                    QStringLiteral("20200102000000Z"), QStringLiteral("-extfile"),
                    name + QStringLiteral(".ext")},
                   error);
    }

    // name.pem with its key in name.key, self-signed, with the given extensions.
    bool selfSigned(const QString &name, const QStringList &extensions, QString *error) const
    {
        QStringList arguments
            = {QStringLiteral("req"),         QStringLiteral("-x509"),
               QStringLiteral("-newkey"),     QStringLiteral("ec"),
               QStringLiteral("-pkeyopt"),    QStringLiteral("ec_paramgen_curve:prime256v1"),
               QStringLiteral("-nodes"),      QStringLiteral("-keyout"),
               name + QStringLiteral(".key"), QStringLiteral("-out"),
               name + QStringLiteral(".pem"), QStringLiteral("-days"),
               QStringLiteral("365"),         QStringLiteral("-subj"),
               QStringLiteral("/CN=") + name};
        for (const QString &extension : extensions)
            arguments << QStringLiteral("-addext") << extension;
        return run(arguments, error);
    }

private:
    QDir m_dir;
};

} // namespace

std::optional<TestCerts> TestCerts::make(const QString &dir, QString *error)
{
    const Maker maker(dir);
    const bool made = maker.selfSigned(QStringLiteral("ca"),
                                       {QStringLiteral("basicConstraints=critical,CA:TRUE"),
                                        QStringLiteral("keyUsage=critical,keyCertSign,cRLSign")},
                                       error)
        && maker.signByCa(QStringLiteral("server"), ServerSan, 2, error)
        && maker.signByCa(QStringLiteral("wronghost"), QStringLiteral("DNS:wrong.example"), 3,
                          error)
        && maker.signExpiredByCa(QStringLiteral("expired"), error)
        && maker.selfSigned(QStringLiteral("selfsigned"),
                            {QStringLiteral("subjectAltName=") + ServerSan,
                             QStringLiteral("basicConstraints=CA:FALSE")},
                            error);
    if (!made)
        return std::nullopt;
    TestCerts certs;
    certs.caFile = maker.path(QStringLiteral("ca.pem"));
    certs.serverCert = maker.path(QStringLiteral("server.pem"));
    certs.serverKey = maker.path(QStringLiteral("server.key"));
    certs.wrongHostCert = maker.path(QStringLiteral("wronghost.pem"));
    certs.wrongHostKey = maker.path(QStringLiteral("wronghost.key"));
    certs.expiredCert = maker.path(QStringLiteral("expired.pem"));
    certs.expiredKey = maker.path(QStringLiteral("expired.key"));
    certs.selfSignedCert = maker.path(QStringLiteral("selfsigned.pem"));
    certs.selfSignedKey = maker.path(QStringLiteral("selfsigned.key"));
    return certs;
}

} // namespace lifeline::testkit
