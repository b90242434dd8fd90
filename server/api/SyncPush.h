#pragma once

#include "RequestContext.h"
#include "SyncCatalog.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QHash>
#include <QJsonArray>
#include <QList>
#include <QPair>
#include <QString>

namespace llamadesk::server {

// One push: a batch of mutations from one client, applied in the request's transaction.
//   * mutation ids are per client and consecutive; ids already received are answered from
//     sync_mutations (the stored answer, so a retried batch gets the same answers and nothing
//     is applied twice); a batch starting after a gap is refused whole (409);
//   * each new mutation runs under a savepoint and its answer is stored with it: applied,
//     merged (the row had changed since the client's base, on other fields), conflict (some
//     field changed on both sides: the server keeps its value and records a sync_conflicts
//     row) or rejected (with the reason);
//   * edit against delete: the delete wins, and the losing side is recorded as a conflict.
class SyncPush {
    Q_DECLARE_TR_FUNCTIONS(SyncPush)

public:
    explicit SyncPush(RequestContext& ctx);
    HttpResponse run();

private:
    struct Value {
        QString text;
        bool null = false;
    };
    struct Mutation {
        qint64 id = 0;
        QString table;
        QString rowId;
        QString op;
        qint64 baseVersion = 0;
        QList<QPair<QString, Value>> fields;
        QHash<QString, Value> base;
    };
    struct Outcome {
        QString result; // applied | merged | conflict | rejected
        QString reason;
        qint64 rowVersion = -1;
        bool touchedDatabase = false; // a statement ran under the savepoint
    };

    bool parse(HttpResponse* error);
    // Checks what needs no database (table, operation, columns); false with *outcome set
    // (rejected) when the mutation cannot apply. Drops columns a table ignores.
    bool precheck(Mutation& m, Outcome* outcome) const;
    // One mutation under its own savepoint.
    bool applySingle(const Mutation& m, Outcome* outcome, HttpResponse* failure);
    // Consecutive inserts into one table with the same columns, as one statement (the feed
    // and audit triggers then run once for all of them); one by one if the database refuses.
    bool applyInsertGroup(qsizetype begin, qsizetype end, QList<Outcome>* outcomes,
                          HttpResponse* failure);
    qsizetype insertGroupEnd(qsizetype begin) const;
    // Applies the mutations newer than last and records their answers.
    bool applyAll(qint64 last, QJsonArray* results, qint64* accepted, HttpResponse* error);
    bool record(const QList<QPair<const Mutation*, Outcome>>& answers, HttpResponse* failure);
    bool applyOne(const Mutation& m, Outcome* outcome, HttpResponse* failure);
    bool applyInsert(const Mutation& m, const SyncCatalog::Table& t, Outcome* out,
                     HttpResponse* failure);
    bool applyUpdate(const Mutation& m, const SyncCatalog::Table& t, Outcome* out,
                     HttpResponse* failure);
    bool applyDelete(const Mutation& m, const SyncCatalog::Table& t, Outcome* out,
                     HttpResponse* failure);
    bool recordConflict(const Mutation& m, const QString& column, const PgParam& local,
                        const PgParam& server, const PgParam& base, const char* lookup,
                        HttpResponse* failure);
    // Client data the database refused (bad value, constraint): the mutation is rejected.
    // Anything else fails the whole request (and the client retries the batch).
    bool refusedByDatabase(const PgResult& r, Outcome* out, HttpResponse* failure,
                           const char* where);

    // The answers for a row that is not there (or not the user's) and for a base version the
    // server never had; always true (the mutation has its answer).
    static bool rejectMissing(const Mutation& m, Outcome* out);
    static bool rejectAhead(qint64 current, Outcome* out);
    static QJsonObject answer(qint64 mutationId, const QString& result, const QString& reason,
                              qint64 rowVersion);

    RequestContext& m_ctx;
    QString m_clientId;
    QJsonObject m_clientInfo;
    QList<Mutation> m_mutations;
    QList<Outcome> m_prechecked; // per mutation: the refusal found without the database, if any
    QList<bool> m_precheckOk;
    QElapsedTimer m_clock;
    bool m_careful = false;        // a savepoint per mutation (after the database refused one)
    bool m_retryCarefully = false; // the fast path met a refusal
};

} // namespace llamadesk::server
