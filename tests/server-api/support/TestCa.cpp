#include "TestCa.h"

#include <QFile>
#include <QProcess>

namespace servertest {

bool TestCa::openssl(const QStringList& args, QString* error) const {
    QProcess p;
    p.setWorkingDirectory(m_folder);
    p.start(QStringLiteral("openssl"), args);
    if (!p.waitForFinished(60000) || p.exitStatus() != QProcess::NormalExit || p.exitCode() != 0) {
        *error = QStringLiteral("openssl %1 failed: %2")
                     .arg(args.value(0), QString::fromUtf8(p.readAllStandardError()));
        return false;
    }
    return true;
}

bool TestCa::create(const QString& folder, QString* error) {
    m_folder = folder;
    QFile ext(folder + QStringLiteral("/server.ext"));
    if (!ext.open(QIODevice::WriteOnly)) {
        *error = ext.errorString();
        return false;
    }
    ext.write("subjectAltName = DNS:localhost, IP:127.0.0.1\n"
              "basicConstraints = critical, CA:FALSE\n"
              "keyUsage = critical, digitalSignature, keyEncipherment\n"
              "extendedKeyUsage = serverAuth\n");
    ext.close();
    const QString ec = QStringLiteral("ec");
    const QString curve = QStringLiteral("ec_paramgen_curve:prime256v1");
    return openssl({QStringLiteral("req"), QStringLiteral("-x509"), QStringLiteral("-newkey"), ec,
                    QStringLiteral("-pkeyopt"), curve, QStringLiteral("-nodes"),
                    QStringLiteral("-keyout"), QStringLiteral("ca.key"), QStringLiteral("-out"),
                    QStringLiteral("ca.pem"), QStringLiteral("-days"), QStringLiteral("2"),
                    QStringLiteral("-subj"), QStringLiteral("/CN=LlamaDesk Test CA"),
                    QStringLiteral("-addext"), QStringLiteral("basicConstraints=critical,CA:TRUE"),
                    QStringLiteral("-addext"),
                    QStringLiteral("keyUsage=critical,keyCertSign,cRLSign")},
                   error) &&
           openssl({QStringLiteral("req"), QStringLiteral("-newkey"), ec,
                    QStringLiteral("-pkeyopt"), curve, QStringLiteral("-nodes"),
                    QStringLiteral("-keyout"), QStringLiteral("server.key"), QStringLiteral("-out"),
                    QStringLiteral("server.csr"), QStringLiteral("-subj"),
                    QStringLiteral("/CN=localhost")},
                   error) &&
           openssl({QStringLiteral("x509"), QStringLiteral("-req"), QStringLiteral("-in"),
                    QStringLiteral("server.csr"), QStringLiteral("-CA"), QStringLiteral("ca.pem"),
                    QStringLiteral("-CAkey"), QStringLiteral("ca.key"),
                    QStringLiteral("-CAcreateserial"), QStringLiteral("-out"),
                    QStringLiteral("server.pem"), QStringLiteral("-days"), QStringLiteral("2"),
                    QStringLiteral("-extfile"), QStringLiteral("server.ext")},
                   error);
}

QSslCertificate TestCa::caCertificate() const {
    const QList<QSslCertificate> certs = QSslCertificate::fromPath(caCertFile(), QSsl::Pem);
    return certs.isEmpty() ? QSslCertificate() : certs.first();
}

} // namespace servertest
