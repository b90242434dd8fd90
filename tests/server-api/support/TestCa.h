#pragma once

#include <QSslCertificate>
#include <QString>

namespace servertest {

// A throwaway certificate authority and a server certificate it signed (for 127.0.0.1 and
// localhost), made with the openssl command-line tool in a folder of the test's.
class TestCa {
public:
    bool create(const QString& folder, QString* error);

    QString caCertFile() const { return m_folder + QStringLiteral("/ca.pem"); }
    QString serverCertFile() const { return m_folder + QStringLiteral("/server.pem"); }
    QString serverKeyFile() const { return m_folder + QStringLiteral("/server.key"); }
    QSslCertificate caCertificate() const;

private:
    bool openssl(const QStringList& args, QString* error) const;
    QString m_folder;
};

} // namespace servertest
