#include "ApiClient.h"

#include <QDeadlineTimer>
#include <QEventLoop>
#include <QJsonDocument>
#include <QNetworkRequest>
#include <QSslConfiguration>
#include <QSslSocket>
#include <QThread>
#include <QTimer>

namespace servertest {

QByteArray ApiClient::Reply::describe() const {
    return "status " + QByteArray::number(status) + " error " + QByteArray::number(error) + " " +
           errorString.toUtf8() + " body " + body.left(2000);
}

ApiClient::ApiClient(quint16 port, const QSslCertificate& ca)
    : m_port(port)
    , m_ca(ca) {}

QString ApiClient::baseUrl() const {
    return (m_ca.isNull() ? QStringLiteral("http://127.0.0.1:")
                          : QStringLiteral("https://127.0.0.1:")) +
           QString::number(m_port);
}

ApiClient::Reply ApiClient::get(const QString& pathAndQuery) {
    return send("GET", pathAndQuery, {});
}

ApiClient::Reply ApiClient::post(const QString& path, const QJsonObject& body) {
    return send("POST", path, QJsonDocument(body).toJson(QJsonDocument::Compact),
                {{"Content-Type", "application/json"}});
}

ApiClient::Reply ApiClient::patch(const QString& path, const QJsonObject& body) {
    return send("PATCH", path, QJsonDocument(body).toJson(QJsonDocument::Compact),
                {{"Content-Type", "application/json"}});
}

ApiClient::Reply ApiClient::del(const QString& path) {
    return send("DELETE", path, {});
}

ApiClient::Reply ApiClient::send(const QByteArray& method, const QString& pathAndQuery,
                                 const QByteArray& body,
                                 const QList<QPair<QByteArray, QByteArray>>& headers) {
    QNetworkRequest request(QUrl(baseUrl() + pathAndQuery));
    if (!m_ca.isNull()) {
        QSslConfiguration ssl = QSslConfiguration::defaultConfiguration();
        ssl.setCaCertificates({m_ca}); // this CA and nothing else
        request.setSslConfiguration(ssl);
    }
    request.setAttribute(QNetworkRequest::Http2AllowedAttribute, false);
    request.setTransferTimeout(60000);
    if (!m_key.isEmpty())
        request.setRawHeader("Authorization", "Bearer " + m_key.toUtf8());
    for (const auto& h : headers)
        request.setRawHeader(h.first, h.second);
    QNetworkReply* reply = m_nam.sendCustomRequest(request, method, body);
    QEventLoop loop;
    QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
    if (!reply->isFinished())
        loop.exec();
    Reply r;
    r.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    r.body = reply->readAll();
    r.json = QJsonDocument::fromJson(r.body).object();
    for (const auto& pair : reply->rawHeaderPairs())
        r.headers.insert(pair.first.toLower(), pair.second);
    r.error = reply->error();
    r.errorString = reply->errorString();
    reply->deleteLater();
    return r;
}

QByteArray RawClient::exchange(quint16 port, const QSslCertificate& ca,
                               const QList<QByteArray>& pieces, int pauseMs, int waitMs,
                               bool* closedByServer) {
    QSslSocket socket;
    if (!ca.isNull()) {
        QSslConfiguration ssl = QSslConfiguration::defaultConfiguration();
        ssl.setCaCertificates({ca});
        socket.setSslConfiguration(ssl);
        socket.connectToHostEncrypted(QStringLiteral("127.0.0.1"), port);
        if (!socket.waitForEncrypted(10000))
            return {};
    } else {
        socket.connectToHost(QStringLiteral("127.0.0.1"), port);
        if (!socket.waitForConnected(10000))
            return {};
    }
    for (const QByteArray& piece : pieces) {
        socket.write(piece);
        socket.flush();
        if (pauseMs > 0) {
            QDeadlineTimer pause(pauseMs);
            while (!pause.hasExpired() && socket.state() == QAbstractSocket::ConnectedState)
                socket.waitForReadyRead(
                    static_cast<int>(std::max<qint64>(1, pause.remainingTime())));
        }
    }
    QByteArray received = socket.readAll();
    QDeadlineTimer deadline(waitMs);
    while (!deadline.hasExpired() && socket.state() == QAbstractSocket::ConnectedState) {
        socket.waitForReadyRead(50);
        received += socket.readAll();
    }
    received += socket.readAll();
    if (closedByServer)
        *closedByServer = socket.state() != QAbstractSocket::ConnectedState;
    return received;
}

} // namespace servertest
