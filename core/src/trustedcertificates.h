#pragma once

#include <QFile>
#include <QFileInfo>
#include <QList>
#include <QSslCertificate>
#include <QString>

namespace lifeline {

// Reads the PEM file of AppSettings::trustedCertificates(): one or more certificates, of a CA or
// of the server itself. Returns none, and says what is wrong in *problem, when the file is
// missing, cannot be read, or holds no certificate. Shared by the settings check and by init().
inline QList<QSslCertificate> readTrustedCertificates(const QString &path, QString *problem)
{
    if (!QFileInfo::exists(path)) {
        *problem = QStringLiteral("the file \"%1\" does not exist; give a PEM file with the "
                                  "certificate of the CA or of the server")
                       .arg(path);
        return {};
    }
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        *problem = QStringLiteral("cannot read \"%1\" (%2)").arg(path, file.errorString());
        return {};
    }
    QList<QSslCertificate> certificates = QSslCertificate::fromData(file.readAll(), QSsl::Pem);
    certificates.removeIf([](const QSslCertificate &certificate) { return certificate.isNull(); });
    if (certificates.isEmpty())
        *problem = QStringLiteral("\"%1\" holds no PEM certificate (-----BEGIN CERTIFICATE-----)")
                       .arg(path);
    return certificates;
}

} // namespace lifeline
