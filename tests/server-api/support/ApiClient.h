#pragma once

#include <QByteArray>
#include <QHash>
#include <QJsonArray>
#include <QJsonObject>
#include <QList>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QPair>
#include <QSslCertificate>
#include <QString>

namespace servertest {

// A synchronous HTTPS client for the tests: QNetworkAccessManager trusting only the test CA.
class ApiClient {
public:
    struct Reply {
        int status = 0;
        QByteArray body;
        QJsonObject json;
        QHash<QByteArray, QByteArray> headers; // lower-case names
        QNetworkReply::NetworkError error = QNetworkReply::NoError;
        QString errorString;

        QByteArray header(const char* lowerName) const {
            return headers.value(QByteArray(lowerName));
        }
        QString errorCode() const { return json.value(QStringLiteral("error")).toString(); }
        // A push's answer to its first mutation ("applied", "rejected" ...).
        QString firstResult() const {
            return json.value(QStringLiteral("results"))
                .toArray()
                .first()
                .toObject()
                .value(QStringLiteral("result"))
                .toString();
        }
        // For QVERIFY2 messages.
        QByteArray describe() const;
    };

    // ca null: plain HTTP (the --insecure-loopback server).
    ApiClient(quint16 port, const QSslCertificate& ca);

    void setKey(const QString& key) { m_key = key; }
    QString key() const { return m_key; }

    Reply get(const QString& pathAndQuery);
    Reply post(const QString& path, const QJsonObject& body);
    Reply patch(const QString& path, const QJsonObject& body);
    Reply del(const QString& path);
    // Anything: method, raw body, extra headers; the key is sent when set.
    Reply send(const QByteArray& method, const QString& pathAndQuery, const QByteArray& body,
               const QList<QPair<QByteArray, QByteArray>>& headers = {});

    QString baseUrl() const;

private:
    QNetworkAccessManager m_nam;
    quint16 m_port;
    QSslCertificate m_ca;
    QString m_key;
};

// Raw bytes over TLS (or plain TCP), for requests QNetworkAccessManager will not send.
class RawClient {
public:
    // Sends the bytes (in pieces, with pauses when pauseMs > 0) and returns everything read
    // until the server closes or waitMs passes.
    static QByteArray exchange(quint16 port, const QSslCertificate& ca,
                               const QList<QByteArray>& pieces, int pauseMs, int waitMs,
                               bool* closedByServer = nullptr);
};

} // namespace servertest
