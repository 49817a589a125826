#pragma once

#include "errors.h"
#include "result.h"

#include <QFile>
#include <QFileInfo>
#include <QList>
#include <QSslCertificate>
#include <QString>

namespace lifeline {

// Reads the PEM file of AppSettings::trustedCertificates(): one or more certificates, of a CA or
// of the server itself. Fails (ERR_CHAT_API_FAILURE, naming the field) when the file is missing,
// cannot be read, or holds no certificate. Shared by the settings check and by init().
inline Result<QList<QSslCertificate>> readTrustedCertificates(const QString &path)
{
    const auto refuse = [](const QString &problem) {
        return errors::chatApiFailure(QStringLiteral("trustedCertificates: ") + problem);
    };
    if (!QFileInfo::exists(path))
        return refuse(QStringLiteral("the file \"%1\" does not exist; give a PEM file with the "
                                     "certificate of the CA or of the server")
                          .arg(path));
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return refuse(QStringLiteral("cannot read \"%1\" (%2)").arg(path, file.errorString()));
    QList<QSslCertificate> certificates = QSslCertificate::fromData(file.readAll(), QSsl::Pem);
    certificates.removeIf([](const QSslCertificate &certificate) { return certificate.isNull(); });
    if (certificates.isEmpty())
        return refuse(
            QStringLiteral("\"%1\" holds no PEM certificate (-----BEGIN CERTIFICATE-----)")
                .arg(path));
    return certificates;
}

} // namespace lifeline
