#include "ServerFixture.h"
#include "db/PgConnection.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QUuid>
#include <QtTest>

using llamadesk::server::PgConnection;
using llamadesk::server::PgParam;
using servertest::ApiClient;
using servertest::ServerFixture;

// Sync through the real server: push and pull, idempotent retries (also after a lost
// response), refused gaps, field merges, conflicts, edit against delete, rejected mutations,
// the watermark that never skips a late commit, resync after pruning, snapshots, and a
// 1,000-mutation push.
class TestServerSync : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void pushAndPull();
    void pullPages();
    void retriedBatchGetsTheSameAnswers();
    void gapsAreRefused();
    void changesOnDifferentFieldsMerge();
    void refusedMutationInABatchIsRejectedAlone();
    void sameFieldConflictKeepsTheServerValue();
    void editAgainstDelete();
    void deleteAgainstEdit();
    void rejections_data();
    void rejections();
    void lateCommitIsNeverSkipped();
    void resyncAfterPruning();
    void snapshotPages();
    void thousandMutationPush();
    void cleanupTestCase();

private:
    struct Device {
        QString clientId = QUuid::createUuid().toString(QUuid::WithoutBraces);
        qint64 nextMutation = 1;
        QString position = QStringLiteral("0.0");
    };
    static QJsonObject insert(qint64 id, const QString& row, const QJsonObject& fields);
    static QJsonObject update(qint64 id, const QString& row, qint64 base, const QJsonObject& fields,
                              const QJsonObject& baseValues,
                              const QString& table = QStringLiteral("alert_rules"));
    static QJsonObject remove(qint64 id, const QString& row, qint64 base);
    // The fields every mutation has.
    static QJsonObject mutation(qint64 id, const QString& table, const QString& row,
                                const char* op);
    static QJsonObject alert(const QString& name);
    ApiClient::Reply push(const Device& d, const QJsonArray& mutations);
    // Pushes one mutation with the device's next id and returns its answer.
    QJsonObject pushOne(Device& d, QJsonObject mutation);
    // Pulls everything new for the device (all pages); returns the changes.
    QJsonArray pullAll(Device& d, int limit = 500);
    static QString newRow() { return QUuid::createUuid().toString(QUuid::WithoutBraces); }

    ServerFixture m_fx;
    std::unique_ptr<ApiClient> m_client;
    QString m_userId;
};

QJsonObject TestServerSync::alert(const QString& name) {
    QJsonObject f;
    f.insert(QStringLiteral("name"), name);
    f.insert(QStringLiteral("alert_type"), QStringLiteral("price_change"));
    f.insert(QStringLiteral("target_type"), QStringLiteral("token"));
    f.insert(QStringLiteral("target_id"), QStringLiteral("eth"));
    f.insert(QStringLiteral("condition_operator"), QStringLiteral(">"));
    f.insert(QStringLiteral("threshold_value"), QStringLiteral("3000.5"));
    f.insert(QStringLiteral("notification_channels"), QStringLiteral("[\"email\", \"webhook\"]"));
    return f;
}

QJsonObject TestServerSync::mutation(qint64 id, const QString& table, const QString& row,
                                     const char* op) {
    QJsonObject m;
    m.insert(QStringLiteral("mutation_id"), id);
    m.insert(QStringLiteral("table"), table);
    m.insert(QStringLiteral("row_id"), row);
    m.insert(QStringLiteral("op"), QLatin1String(op));
    return m;
}

QJsonObject TestServerSync::insert(qint64 id, const QString& row, const QJsonObject& fields) {
    QJsonObject m = mutation(id, QStringLiteral("alert_rules"), row, "insert");
    m.insert(QStringLiteral("fields"), fields);
    return m;
}

QJsonObject TestServerSync::update(qint64 id, const QString& row, qint64 base,
                                   const QJsonObject& fields, const QJsonObject& baseValues,
                                   const QString& table) {
    QJsonObject m = mutation(id, table, row, "update");
    m.insert(QStringLiteral("base_row_version"), base);
    m.insert(QStringLiteral("fields"), fields);
    m.insert(QStringLiteral("base"), baseValues);
    return m;
}

QJsonObject TestServerSync::remove(qint64 id, const QString& row, qint64 base) {
    QJsonObject m = mutation(id, QStringLiteral("alert_rules"), row, "delete");
    m.insert(QStringLiteral("base_row_version"), base);
    return m;
}

ApiClient::Reply TestServerSync::push(const Device& d, const QJsonArray& mutations) {
    QJsonObject body;
    body.insert(QStringLiteral("client_id"), d.clientId);
    body.insert(QStringLiteral("device_name"), QStringLiteral("test device"));
    body.insert(QStringLiteral("mutations"), mutations);
    return m_client->post(QStringLiteral("/v1/sync/push"), body);
}

QJsonObject TestServerSync::pushOne(Device& d, QJsonObject mutation) {
    mutation.insert(QStringLiteral("mutation_id"), d.nextMutation);
    const ApiClient::Reply r = push(d, QJsonArray{mutation});
    if (r.status != 200) {
        qWarning("push failed: %s", r.describe().constData());
        return {};
    }
    ++d.nextMutation;
    return r.json.value(QStringLiteral("results")).toArray().first().toObject();
}

QJsonArray TestServerSync::pullAll(Device& d, int limit) {
    QJsonArray all;
    for (int page = 0; page < 1000; ++page) {
        const ApiClient::Reply r =
            m_client->get(QStringLiteral("/v1/sync/pull?client_id=%1&after=%2&limit=%3")
                              .arg(d.clientId, d.position)
                              .arg(limit));
        if (r.status != 200) {
            qWarning("pull failed: %s", r.describe().constData());
            return all;
        }
        for (const QJsonValue& v : r.json.value(QStringLiteral("changes")).toArray())
            all.append(v);
        d.position = r.json.value(QStringLiteral("position")).toString();
        if (!r.json.value(QStringLiteral("has_more")).toBool())
            break;
    }
    return all;
}

void TestServerSync::initTestCase() {
    QJsonObject overrides;
    overrides.insert(QStringLiteral("pool_size"), 4);
    overrides.insert(QStringLiteral("max_body_bytes"), 4 * 1024 * 1024);
    QString error;
    QVERIFY2(m_fx.setUp(overrides, &error), qPrintable(error));
    const QString key =
        m_fx.newUser(QStringLiteral("sync@example.com"), QStringLiteral("a long enough password"),
                     {QStringLiteral("read"), QStringLiteral("write")}, &error, &m_userId);
    QVERIFY2(!key.isEmpty(), qPrintable(error));
    m_client = m_fx.client();
    m_client->setKey(key);
}

void TestServerSync::cleanupTestCase() {
    m_client.reset();
    m_fx.server.stop();
}

void TestServerSync::pushAndPull() {
    Device laptop;
    Device phone;
    pullAll(phone); // catch up with the account rows
    const QString row = newRow();
    const ApiClient::Reply r =
        push(laptop, QJsonArray{insert(1, row, alert(QStringLiteral("ETH above 3000")))});
    QVERIFY2(r.status == 200, r.describe().constData());
    QCOMPARE(r.json.value(QStringLiteral("last_mutation_id")).toInt(), 1);
    const QJsonObject result = r.json.value(QStringLiteral("results")).toArray().first().toObject();
    QCOMPARE(result.value(QStringLiteral("result")).toString(), QStringLiteral("applied"));
    QCOMPARE(result.value(QStringLiteral("row_version")).toInt(), 1);

    const QJsonArray changes = pullAll(phone);
    QCOMPARE(changes.size(), 1);
    const QJsonObject c = changes.first().toObject();
    QCOMPARE(c.value(QStringLiteral("table")).toString(), QStringLiteral("alert_rules"));
    QCOMPARE(c.value(QStringLiteral("op")).toString(), QStringLiteral("insert"));
    QCOMPARE(c.value(QStringLiteral("row_id")).toString(), row);
    QCOMPARE(c.value(QStringLiteral("row_version")).toInt(), 1);
    QCOMPARE(c.value(QStringLiteral("client_id")).toString(),
             laptop.clientId); // the device's own echo
    QCOMPARE(c.value(QStringLiteral("mutation_id")).toInt(), 1);
    const QJsonObject rowData = c.value(QStringLiteral("row")).toObject();
    // Exact decimals as strings, at the column's scale; arrays as JSON text.
    QCOMPARE(rowData.value(QStringLiteral("threshold_value")).toString(),
             QStringLiteral("3000.500000000000000000"));
    QCOMPARE(rowData.value(QStringLiteral("user_id")).toString(), m_userId);
    QVERIFY(rowData.value(QStringLiteral("notification_channels"))
                .toString()
                .contains(QStringLiteral("webhook")));
    QVERIFY(rowData.value(QStringLiteral("created_at")).toString().endsWith(QLatin1Char('Z')));

    // Nothing new: a small answer, the same position.
    const QString before = phone.position;
    const ApiClient::Reply empty = m_client->get(
        QStringLiteral("/v1/sync/pull?client_id=%1&after=%2").arg(phone.clientId, phone.position));
    QCOMPARE(empty.status, 200);
    QCOMPARE(empty.json.value(QStringLiteral("changes")).toArray().size(), 0);
    QCOMPARE(empty.json.value(QStringLiteral("position")).toString(), before);
    QVERIFY2(empty.body.size() < 1024, empty.body.constData());
    QVERIFY(empty.header("server-timing").startsWith("app;dur="));
}

void TestServerSync::pullPages() {
    Device writer;
    Device reader;
    pullAll(reader);
    QJsonArray batch;
    for (int i = 0; i < 5; ++i)
        batch.append(insert(i + 1, newRow(), alert(QStringLiteral("paged %1").arg(i))));
    QCOMPARE(push(writer, batch).status, 200);
    QStringList positions;
    int total = 0;
    for (int page = 0; page < 10; ++page) {
        const ApiClient::Reply r =
            m_client->get(QStringLiteral("/v1/sync/pull?client_id=%1&after=%2&limit=2")
                              .arg(reader.clientId, reader.position));
        QCOMPARE(r.status, 200);
        const QJsonArray changes = r.json.value(QStringLiteral("changes")).toArray();
        total += static_cast<int>(changes.size());
        for (const QJsonValue& v : changes)
            positions.append(v.toObject().value(QStringLiteral("position")).toString());
        reader.position = r.json.value(QStringLiteral("position")).toString();
        QCOMPARE(r.json.value(QStringLiteral("has_more")).toBool(), changes.size() == 2);
        if (changes.size() < 2)
            break;
    }
    QCOMPARE(total, 5);
    // Strictly increasing positions: (txid, seq) order.
    for (qsizetype i = 1; i < positions.size(); ++i) {
        const QStringList a = positions.at(i - 1).split(QLatin1Char('.'));
        const QStringList b = positions.at(i).split(QLatin1Char('.'));
        QVERIFY(a.at(0).toLongLong() < b.at(0).toLongLong() ||
                (a.at(0) == b.at(0) && a.at(1).toLongLong() < b.at(1).toLongLong()));
    }
}

void TestServerSync::retriedBatchGetsTheSameAnswers() {
    Device d;
    const QString row = newRow();
    const QJsonArray batch = {
        insert(1, row, alert(QStringLiteral("retry"))),
        update(2, row, 1, QJsonObject{{QStringLiteral("name"), QStringLiteral("retry 2")}},
               QJsonObject{{QStringLiteral("name"), QStringLiteral("retry")}}),
        insert(3, row, alert(QStringLiteral("duplicate id")))};
    const ApiClient::Reply first = push(d, batch);
    QVERIFY2(first.status == 200, first.describe().constData());
    const QJsonArray answers = first.json.value(QStringLiteral("results")).toArray();
    QCOMPARE(answers.at(0).toObject().value(QStringLiteral("result")).toString(),
             QStringLiteral("applied"));
    QCOMPARE(answers.at(1).toObject().value(QStringLiteral("result")).toString(),
             QStringLiteral("applied"));
    QCOMPARE(answers.at(2).toObject().value(QStringLiteral("result")).toString(),
             QStringLiteral("rejected"));

    // The same batch again (the client never saw the answer): the same answers, nothing twice.
    const ApiClient::Reply again = push(d, batch);
    QVERIFY2(again.status == 200, again.describe().constData());
    QCOMPARE(again.json.value(QStringLiteral("results")).toArray(), answers);
    QCOMPARE(m_fx.sql(QStringLiteral(
                          "SELECT name || ' ' || row_version FROM alert_rules WHERE id = '%1'")
                          .arg(row)),
             QStringLiteral("retry 2 2"));
    QCOMPARE(
        m_fx.sql(QStringLiteral("SELECT count(*) FROM sync_changes WHERE row_id = '%1'").arg(row)),
        QStringLiteral("2"));

    // A lost response with more mutations queued meanwhile: 2..3 answered from storage, 4 applied.
    const QJsonArray overlap = {
        batch.at(1), batch.at(2),
        update(4, row, 2, QJsonObject{{QStringLiteral("name"), QStringLiteral("retry 3")}},
               QJsonObject{{QStringLiteral("name"), QStringLiteral("retry 2")}})};
    const ApiClient::Reply mixed = push(d, overlap);
    QVERIFY2(mixed.status == 200, mixed.describe().constData());
    const QJsonArray mixedAnswers = mixed.json.value(QStringLiteral("results")).toArray();
    QCOMPARE(mixedAnswers.size(), 3);
    QCOMPARE(mixedAnswers.at(0), answers.at(1));
    QCOMPARE(mixedAnswers.at(1), answers.at(2));
    QCOMPARE(mixedAnswers.at(2).toObject().value(QStringLiteral("result")).toString(),
             QStringLiteral("applied"));
    QCOMPARE(mixed.json.value(QStringLiteral("last_mutation_id")).toInt(), 4);
    QCOMPARE(m_fx.sql(QStringLiteral(
                          "SELECT name || ' ' || row_version FROM alert_rules WHERE id = '%1'")
                          .arg(row)),
             QStringLiteral("retry 3 3"));
    QCOMPARE(m_fx.sql(QStringLiteral("SELECT count(*) FROM sync_mutations WHERE client_id = '%1'")
                          .arg(d.clientId)),
             QStringLiteral("4"));
}

void TestServerSync::gapsAreRefused() {
    Device d;
    QCOMPARE(push(d, QJsonArray{insert(1, newRow(), alert(QStringLiteral("first")))}).status, 200);
    const QString row = newRow();
    ApiClient::Reply r = push(d, QJsonArray{insert(3, row, alert(QStringLiteral("after a gap")))});
    QCOMPARE(r.status, 409);
    QCOMPARE(r.errorCode(), QStringLiteral("mutation_gap"));
    QCOMPARE(r.json.value(QStringLiteral("expected_mutation_id")).toInt(), 2);
    QCOMPARE(m_fx.sql(QStringLiteral("SELECT count(*) FROM alert_rules WHERE id = '%1'").arg(row)),
             QStringLiteral("0"));
    // Inside a batch the ids must follow each other.
    r = push(d, QJsonArray{insert(2, row, alert(QStringLiteral("a"))),
                           insert(4, newRow(), alert(QStringLiteral("b")))});
    QCOMPARE(r.status, 400);
    QCOMPARE(r.json.value(QStringLiteral("field")).toString(),
             QStringLiteral("mutations[1].mutation_id"));
    QCOMPARE(m_fx.sql(QStringLiteral("SELECT count(*) FROM alert_rules WHERE id = '%1'").arg(row)),
             QStringLiteral("0"));
    QCOMPARE(push(d, QJsonArray{insert(2, row, alert(QStringLiteral("in order")))}).status, 200);
}

void TestServerSync::changesOnDifferentFieldsMerge() {
    Device a;
    Device b;
    const QString row = newRow();
    QCOMPARE(pushOne(a, insert(0, row, alert(QStringLiteral("merge"))))
                 .value(QStringLiteral("result"))
                 .toString(),
             QStringLiteral("applied"));
    QJsonObject ra = pushOne(
        a, update(0, row, 1, QJsonObject{{QStringLiteral("name"), QStringLiteral("renamed")}},
                  QJsonObject{{QStringLiteral("name"), QStringLiteral("merge")}}));
    QCOMPARE(ra.value(QStringLiteral("result")).toString(), QStringLiteral("applied"));
    // b still thinks the row is at version 1, and changes another field (its base written
    // differently: "3000.50" is the same number as the server's value).
    QJsonObject rb = pushOne(
        b,
        update(0, row, 1, QJsonObject{{QStringLiteral("threshold_value"), QStringLiteral("2500")}},
               QJsonObject{{QStringLiteral("threshold_value"), QStringLiteral("3000.50")}}));
    QCOMPARE(rb.value(QStringLiteral("result")).toString(), QStringLiteral("merged"));
    QCOMPARE(rb.value(QStringLiteral("row_version")).toInt(), 3);
    QCOMPARE(m_fx.sql(QStringLiteral("SELECT name || ' ' || threshold_value::numeric(10,1) FROM "
                                     "alert_rules WHERE id = '%1'")
                          .arg(row)),
             QStringLiteral("renamed 2500.0"));
    QCOMPARE(
        m_fx.sql(
            QStringLiteral("SELECT count(*) FROM sync_conflicts WHERE row_id = '%1'").arg(row)),
        QStringLiteral("0"));
    // Stored as merged, so a retry is answered the same.
    QCOMPARE(m_fx.sql(QStringLiteral("SELECT result FROM sync_mutations WHERE client_id = '%1' "
                                     "AND mutation_id = 1")
                          .arg(b.clientId)),
             QStringLiteral("merged"));
    QJsonObject retried =
        update(1, row, 1, QJsonObject{{QStringLiteral("threshold_value"), QStringLiteral("2500")}},
               QJsonObject{{QStringLiteral("threshold_value"), QStringLiteral("3000.50")}});
    const ApiClient::Reply again = push(b, QJsonArray{retried});
    QVERIFY2(again.status == 200, again.describe().constData());
    QCOMPARE(again.json.value(QStringLiteral("results")).toArray().first().toObject(), rb);
}

void TestServerSync::refusedMutationInABatchIsRejectedAlone() {
    // The batch is first applied without a savepoint per mutation; the database's refusal of
    // the third undoes that attempt, and the batch runs again with one savepoint each.
    Device d;
    const QString first = newRow();
    const QString refused = newRow();
    const QString last = newRow();
    QJsonObject bad = alert(QStringLiteral("bad"));
    bad.insert(QStringLiteral("alert_type"), QStringLiteral("horoscope"));
    const QJsonArray batch = {
        insert(1, first, alert(QStringLiteral("first"))),
        update(2, first, 1, QJsonObject{{QStringLiteral("name"), QStringLiteral("first, renamed")}},
               QJsonObject{{QStringLiteral("name"), QStringLiteral("first")}}),
        insert(3, refused, bad), insert(4, last, alert(QStringLiteral("last")))};
    const ApiClient::Reply r = push(d, batch);
    QVERIFY2(r.status == 200, r.describe().constData());
    const QJsonArray results = r.json.value(QStringLiteral("results")).toArray();
    QCOMPARE(results.size(), 4);
    QStringList got;
    for (const QJsonValue& v : results)
        got.append(v.toObject().value(QStringLiteral("result")).toString());
    QCOMPARE(got.join(QLatin1Char(',')), QStringLiteral("applied,applied,rejected,applied"));
    QVERIFY(results.at(2)
                .toObject()
                .value(QStringLiteral("reason"))
                .toString()
                .startsWith(QStringLiteral("constraint_violation")));
    QCOMPARE(r.json.value(QStringLiteral("last_mutation_id")).toInt(), 4);
    QCOMPARE(m_fx.sql(QStringLiteral("SELECT string_agg(name, '|' ORDER BY name) FROM alert_rules "
                                     "WHERE id IN ('%1', '%2', '%3')")
                          .arg(first, refused, last)),
             QStringLiteral("first, renamed|last"));
    // Each change entered the feed once: the undone first attempt left nothing behind.
    QCOMPARE(m_fx.sql(QStringLiteral("SELECT string_agg(operation || ':' || row_version, ',' "
                                     "ORDER BY txid, seq) FROM sync_changes "
                                     "WHERE row_id IN ('%1', '%2', '%3')")
                          .arg(first, refused, last)),
             QStringLiteral("insert:1,update:2,insert:1"));
    const ApiClient::Reply again = push(d, batch);
    QCOMPARE(again.json.value(QStringLiteral("results")).toArray(), results);
}

void TestServerSync::sameFieldConflictKeepsTheServerValue() {
    Device a;
    Device b;
    Device observer;
    const QString row = newRow();
    pushOne(a, insert(0, row, alert(QStringLiteral("original"))));
    pullAll(observer);
    pushOne(a, update(0, row, 1, QJsonObject{{QStringLiteral("name"), QStringLiteral("from a")}},
                      QJsonObject{{QStringLiteral("name"), QStringLiteral("original")}}));
    const QJsonObject rb =
        pushOne(b, update(0, row, 1,
                          QJsonObject{{QStringLiteral("name"), QStringLiteral("from b")},
                                      {QStringLiteral("description"), QStringLiteral("b's note")}},
                          QJsonObject{{QStringLiteral("name"), QStringLiteral("original")},
                                      {QStringLiteral("description"), QJsonValue()}}));
    QCOMPARE(rb.value(QStringLiteral("result")).toString(), QStringLiteral("conflict"));
    QVERIFY(
        rb.value(QStringLiteral("reason")).toString().startsWith(QStringLiteral("field_conflict")));
    // The server keeps a's name; b's other field still merges.
    QCOMPARE(m_fx.sql(QStringLiteral(
                          "SELECT name || ' / ' || description FROM alert_rules WHERE id = '%1'")
                          .arg(row)),
             QStringLiteral("from a / b's note"));
    QCOMPARE(
        m_fx.sql(QStringLiteral(
                     "SELECT column_name || '|' || local_value || '|' || server_value || '|' || "
                     "base_value "
                     "|| '|' || changed_by || '|' || client_id || '|' || (changed_at IS NOT NULL) "
                     "FROM sync_conflicts WHERE row_id = '%1'")
                     .arg(row)),
        QStringLiteral("name|from b|from a|original|%1|%2|true").arg(a.clientId, b.clientId));

    // The conflict reaches the user's other devices through the feed...
    const QJsonArray changes = pullAll(observer);
    QJsonObject conflict;
    for (const QJsonValue& v : changes) {
        if (v.toObject().value(QStringLiteral("table")).toString() ==
            QLatin1String("sync_conflicts"))
            conflict = v.toObject();
    }
    QVERIFY2(!conflict.isEmpty(), QJsonDocument(changes).toJson().constData());
    const QJsonObject conflictRow = conflict.value(QStringLiteral("row")).toObject();
    QCOMPARE(conflictRow.value(QStringLiteral("local_value")).toString(), QStringLiteral("from b"));
    // ...and any of them resolves it.
    const QString conflictId = conflict.value(QStringLiteral("row_id")).toString();
    const QJsonObject resolved = pushOne(
        observer,
        update(0, conflictId, 1,
               QJsonObject{{QStringLiteral("resolution"), QStringLiteral("took_server")},
                           {QStringLiteral("resolved_at"), QStringLiteral("2030-01-01T00:00:00Z")}},
               QJsonObject{{QStringLiteral("resolution"), QJsonValue()},
                           {QStringLiteral("resolved_at"), QJsonValue()}},
               QStringLiteral("sync_conflicts")));
    QVERIFY2(resolved.value(QStringLiteral("result")).toString() == QLatin1String("applied"),
             QJsonDocument(resolved).toJson().constData());
    QCOMPARE(m_fx.sql(QStringLiteral("SELECT resolution FROM sync_conflicts WHERE id = '%1'")
                          .arg(conflictId)),
             QStringLiteral("took_server"));
}

void TestServerSync::editAgainstDelete() {
    Device a;
    Device b;
    const QString row = newRow();
    pushOne(a, insert(0, row, alert(QStringLiteral("doomed"))));
    const QJsonObject deleted = pushOne(a, remove(0, row, 1));
    QCOMPARE(deleted.value(QStringLiteral("result")).toString(), QStringLiteral("applied"));
    QCOMPARE(deleted.value(QStringLiteral("row_version")).toInt(), 2);
    const QJsonObject edit = pushOne(
        b, update(0, row, 1, QJsonObject{{QStringLiteral("name"), QStringLiteral("edited")}},
                  QJsonObject{{QStringLiteral("name"), QStringLiteral("doomed")}}));
    QCOMPARE(edit.value(QStringLiteral("result")).toString(), QStringLiteral("conflict"));
    QVERIFY(edit.value(QStringLiteral("reason"))
                .toString()
                .startsWith(QStringLiteral("deleted_on_server")));
    // The delete wins; the edit is kept in the conflict record.
    QCOMPARE(
        m_fx.sql(
            QStringLiteral(
                "SELECT name || ' ' || (deleted_at IS NOT NULL) FROM alert_rules WHERE id = '%1'")
                .arg(row)),
        QStringLiteral("doomed true"));
    const QString record = m_fx.sql(
        QStringLiteral("SELECT local_value || '|' || base_value || '|' || changed_by "
                       "FROM sync_conflicts WHERE row_id = '%1' AND column_name = 'deleted_at'")
            .arg(row));
    QCOMPARE(record, QStringLiteral("{\"name\":\"edited\"}|{\"name\":\"doomed\"}|") + a.clientId);
}

void TestServerSync::deleteAgainstEdit() {
    Device a;
    Device b;
    const QString row = newRow();
    pushOne(a, insert(0, row, alert(QStringLiteral("kept?"))));
    pushOne(a, update(0, row, 1, QJsonObject{{QStringLiteral("target_id"), QStringLiteral("btc")}},
                      QJsonObject{{QStringLiteral("target_id"), QStringLiteral("eth")}}));
    // b deletes from version 1, not knowing about a's edit: the delete wins, a's edit is the loser.
    const QJsonObject del = pushOne(b, remove(0, row, 1));
    QCOMPARE(del.value(QStringLiteral("result")).toString(), QStringLiteral("applied"));
    QCOMPARE(del.value(QStringLiteral("row_version")).toInt(), 3);
    QCOMPARE(
        m_fx.sql(QStringLiteral("SELECT (deleted_at IS NOT NULL) FROM alert_rules WHERE id = '%1'")
                     .arg(row)),
        QStringLiteral("t"));
    const QString lost = m_fx.sql(
        QStringLiteral("SELECT server_value || '|' || changed_by || '|' || (local_value IS NULL) "
                       "FROM sync_conflicts WHERE row_id = '%1'")
            .arg(row));
    QCOMPARE(lost, QStringLiteral("{\"target_id\": \"btc\"}|%1|true").arg(a.clientId));
    // Deleting again is harmless.
    QCOMPARE(pushOne(b, remove(0, row, 3)).value(QStringLiteral("result")).toString(),
             QStringLiteral("applied"));
}

void TestServerSync::rejections_data() {
    QTest::addColumn<QByteArray>("mutation"); // %ROW% is replaced by a fresh row id
    QTest::addColumn<QString>("reason");
    const QByteArray alertFields =
        R"("name":"n","alert_type":"price_change","target_type":"token","target_id":"eth",
                                      "condition_operator":">","threshold_value":"1")";
    QTest::newRow("unknown table")
        << QByteArray(R"({"table":"no_such","row_id":"%ROW%","op":"insert","fields":{"a":"1"}})")
        << QStringLiteral("unknown_table");
    QTest::newRow("reference data")
        << QByteArray(
               R"({"table":"gas_predictions","row_id":"%ROW%","op":"insert","fields":{"chain_id":"1"}})")
        << QStringLiteral("unknown_table");
    QTest::newRow("account table")
        << QByteArray(
               R"({"table":"api_keys","row_id":"%ROW%","op":"insert","fields":{"name":"x"}})")
        << QStringLiteral("table_read_only");
    QTest::newRow("owner column")
        << QByteArray(R"({"table":"alert_rules","row_id":"%ROW%","op":"insert","fields":{)" +
                      alertFields + R"(,"user_id":"00000000-0000-4000-8000-000000000000"}})")
        << QStringLiteral("column_not_writable");
    QTest::newRow("row_version")
        << QByteArray(R"({"table":"alert_rules","row_id":"%ROW%","op":"insert","fields":{)" +
                      alertFields + R"(,"row_version":"99"}})")
        << QStringLiteral("column_not_writable");
    QTest::newRow("server counters")
        << QByteArray(R"({"table":"alert_rules","row_id":"%ROW%","op":"insert","fields":{)" +
                      alertFields + R"(,"trigger_count_total":"5"}})")
        << QStringLiteral("column_not_writable");
    QTest::newRow("unknown column")
        << QByteArray(
               R"({"table":"alert_rules","row_id":"%ROW%","op":"insert","fields":{"colour":"red"}})")
        << QStringLiteral("unknown_column");
    QTest::newRow("not a number")
        << QByteArray(R"({"table":"alert_rules","row_id":"%ROW%","op":"insert","fields":{"name":"n",
                                                "alert_type":"price_change","target_type":"token","target_id":"eth",
                                                "condition_operator":">","threshold_value":"lots"}})")
        << QStringLiteral("invalid_value");
    QTest::newRow("check constraint")
        << QByteArray(R"({"table":"alert_rules","row_id":"%ROW%","op":"insert","fields":{"name":"n",
                                                    "alert_type":"horoscope","target_type":"token","target_id":"eth",
                                                    "condition_operator":">","threshold_value":"1"}})")
        << QStringLiteral("constraint_violation");
    QTest::newRow("missing required column")
        << QByteArray(
               R"({"table":"alert_rules","row_id":"%ROW%","op":"insert","fields":{"name":"n"}})")
        << QStringLiteral("constraint_violation");
    QTest::newRow("too long")
        << QByteArray(
               R"({"table":"alert_rules","row_id":"%ROW%","op":"insert","fields":{"name":")" +
               QByteArray(300, 'x') + R"(","alert_type":"price_change","target_type":"token",
                                            "target_id":"eth","condition_operator":">","threshold_value":"1"}})")
        << QStringLiteral("invalid_value");
    QTest::newRow("update of a missing row")
        << QByteArray(R"({"table":"alert_rules","row_id":"%ROW%","op":"update",
                                                            "base_row_version":1,"fields":{"name":"x"},"base":{"name":"y"}})")
        << QStringLiteral("not_found");
    QTest::newRow("conflict rows are not inserted by clients")
        << QByteArray(
               R"({"table":"sync_conflicts","row_id":"%ROW%","op":"insert","fields":{"table_name":"x"}})")
        << QStringLiteral("table_read_only");
}

void TestServerSync::rejections() {
    QFETCH(QByteArray, mutation);
    QFETCH(QString, reason);
    Device d;
    QJsonObject m = QJsonDocument::fromJson(mutation.replace("%ROW%", newRow().toUtf8())).object();
    QVERIFY(!m.isEmpty());
    m.insert(QStringLiteral("mutation_id"), 1);
    const ApiClient::Reply r = push(d, QJsonArray{m});
    QVERIFY2(r.status == 200, r.describe().constData());
    const QJsonObject answer = r.json.value(QStringLiteral("results")).toArray().first().toObject();
    QCOMPARE(answer.value(QStringLiteral("result")).toString(), QStringLiteral("rejected"));
    QVERIFY2(answer.value(QStringLiteral("reason")).toString().startsWith(reason),
             qPrintable(answer.value(QStringLiteral("reason")).toString()));
    // Stored like any answer; the id is used up and the next one goes on.
    const ApiClient::Reply again = push(d, QJsonArray{m});
    QCOMPARE(again.json.value(QStringLiteral("results")).toArray().first().toObject(), answer);
    QCOMPARE(pushOne(d = Device{d.clientId, 2, d.position},
                     insert(0, newRow(), alert(QStringLiteral("after"))))
                 .value(QStringLiteral("result"))
                 .toString(),
             QStringLiteral("applied"));
}

void TestServerSync::lateCommitIsNeverSkipped() {
    Device writer;
    Device reader;
    pullAll(reader);
    // A writer that started first and commits last (the classic trap for a reader paging by
    // sequence number or time).
    QString error;
    std::unique_ptr<PgConnection> slow = PgConnection::open(m_fx.appUrl().toUtf8(), &error);
    QVERIFY2(slow, qPrintable(error));
    QVERIFY(slow->exec("BEGIN").ok());
    QVERIFY(
        slow->exec("SELECT set_config('app.current_user_id', $1, true)", {PgParam(m_userId)}).ok());
    const QString slowRow = newRow();
    const auto inserted = slow->exec(
        "INSERT INTO alert_rules (id, user_id, name, alert_type, target_type, target_id, "
        "condition_operator, "
        "threshold_value) VALUES ($1, $2, 'slow', 'price_change', 'token', 'eth', '>', 1)",
        {PgParam(slowRow), PgParam(m_userId)});
    QVERIFY2(inserted.ok(), qPrintable(inserted.error().message));

    const QString fastRow = newRow();
    QCOMPARE(pushOne(writer, insert(0, fastRow, alert(QStringLiteral("fast"))))
                 .value(QStringLiteral("result"))
                 .toString(),
             QStringLiteral("applied"));
    // The fast change is committed, but an older transaction is still open: not yet.
    QCOMPARE(pullAll(reader).size(), 0);
    QCOMPARE(pullAll(reader).size(), 0);

    QVERIFY(slow->exec("COMMIT").ok());
    const QJsonArray changes = pullAll(reader);
    QStringList rows;
    for (const QJsonValue& v : changes)
        rows.append(v.toObject().value(QStringLiteral("row_id")).toString());
    QCOMPARE(rows, (QStringList{slowRow, fastRow})); // both, in commit-safe order
    QCOMPARE(pullAll(reader).size(), 0);
}

void TestServerSync::resyncAfterPruning() {
    Device old;
    Device writer;
    pullAll(old);
    const QString row = newRow();
    pushOne(writer, insert(0, row, alert(QStringLiteral("before pruning"))));
    // Age every change past the retention, then prune as the jobs role would.
    QCOMPARE(
        m_fx.sql(QStringLiteral("UPDATE sync_changes SET changed_at = now() - interval '40 days'; "
                                "SELECT sync_prune(interval '30 days') > 0")),
        QStringLiteral("t"));
    ApiClient::Reply r =
        m_client->get(QStringLiteral("/v1/sync/pull?client_id=%1&after=0.0").arg(old.clientId));
    QCOMPARE(r.status, 410);
    QCOMPARE(r.errorCode(), QStringLiteral("resync_required"));
    // Unsent changes can still be pushed...
    const QString unsent = newRow();
    QCOMPARE(pushOne(old, insert(0, unsent, alert(QStringLiteral("unsent"))))
                 .value(QStringLiteral("result"))
                 .toString(),
             QStringLiteral("applied"));
    // ...then a snapshot, then pulls from the snapshot's position.
    r = m_client->get(QStringLiteral("/v1/sync/snapshot?table=alert_rules&limit=5000"));
    QCOMPARE(r.status, 200);
    const QString position = r.json.value(QStringLiteral("position")).toString();
    const QByteArray rows = QJsonDocument(r.json.value(QStringLiteral("rows")).toArray()).toJson();
    QVERIFY(rows.contains(row.toUtf8()));
    QVERIFY(rows.contains(unsent.toUtf8()));
    old.position = position;
    r = m_client->get(
        QStringLiteral("/v1/sync/pull?client_id=%1&after=%2").arg(old.clientId, position));
    QVERIFY2(r.status == 200, r.describe().constData());
}

void TestServerSync::snapshotPages() {
    // A second account, so only its rows are in the snapshot.
    QString error;
    QString userId;
    const QString key =
        m_fx.newUser(QStringLiteral("snap@example.com"), QStringLiteral("a long enough password"),
                     {QStringLiteral("read"), QStringLiteral("write")}, &error, &userId);
    QVERIFY2(!key.isEmpty(), qPrintable(error));
    auto c = m_fx.client();
    c->setKey(key);
    Device d;
    QJsonArray batch;
    for (int i = 0; i < 5; ++i)
        batch.append(insert(i + 1, newRow(), alert(QStringLiteral("snap %1").arg(i))));
    batch.append(remove(6, batch.at(0).toObject().value(QStringLiteral("row_id")).toString(), 1));
    QJsonObject body;
    body.insert(QStringLiteral("client_id"), d.clientId);
    body.insert(QStringLiteral("mutations"), batch);
    QCOMPARE(c->post(QStringLiteral("/v1/sync/push"), body).status, 200);

    QStringList seen;
    QString after;
    QString firstPosition;
    for (int page = 0; page < 5; ++page) {
        const ApiClient::Reply r =
            c->get(QStringLiteral("/v1/sync/snapshot?table=alert_rules&limit=2") +
                   (after.isEmpty() ? QString() : QStringLiteral("&after=") + after));
        QVERIFY2(r.status == 200, r.describe().constData());
        if (firstPosition.isEmpty())
            firstPosition = r.json.value(QStringLiteral("position")).toString();
        for (const QJsonValue& v : r.json.value(QStringLiteral("rows")).toArray()) {
            QCOMPARE(v.toObject().value(QStringLiteral("user_id")).toString(), userId);
            seen.append(v.toObject().value(QStringLiteral("id")).toString());
        }
        if (!r.json.value(QStringLiteral("has_more")).toBool())
            break;
        after = r.json.value(QStringLiteral("next_after")).toString();
    }
    QCOMPARE(seen.size(), 4); // the deleted row is not part of a snapshot
    QStringList sorted = seen;
    sorted.sort();
    QCOMPARE(seen, sorted);
    QVERIFY(!firstPosition.isEmpty());
    QCOMPARE(c->get(QStringLiteral("/v1/sync/snapshot?table=nope")).status, 400);
    QCOMPARE(c->get(QStringLiteral("/v1/sync/snapshot?table=users"))
                 .json.value(QStringLiteral("rows"))
                 .toArray()
                 .size(),
             1);
}

void TestServerSync::thousandMutationPush() {
    Device d;
    QJsonArray batch;
    for (int i = 0; i < 1000; ++i)
        batch.append(insert(i + 1, newRow(), alert(QStringLiteral("bulk %1").arg(i))));
    QElapsedTimer clock;
    clock.start();
    const ApiClient::Reply r = push(d, batch);
    const qint64 ms = clock.elapsed();
    QVERIFY2(r.status == 200, r.describe().constData());
    QCOMPARE(r.json.value(QStringLiteral("results")).toArray().size(), 1000);
    QCOMPARE(r.json.value(QStringLiteral("last_mutation_id")).toInt(), 1000);
    for (const QJsonValue& v : r.json.value(QStringLiteral("results")).toArray())
        QCOMPARE(v.toObject().value(QStringLiteral("result")).toString(),
                 QStringLiteral("applied"));
    qInfo("1,000-mutation push: %lld ms (server %s)", ms, r.header("server-timing").constData());
    QVERIFY2(ms < 20000, qPrintable(QString::number(ms)));
}

QTEST_GUILESS_MAIN(TestServerSync)
#include "TestServerSync.moc"
