#include "SyncPush.h"

#include "JsonReader.h"
#include "SqlText.h"
#include "SyncApi.h"
#include "config/ServerConfig.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace llamadesk::server {
namespace {

constexpr qint64 kMaxMutationId = 9007199254740991; // exact in JSON numbers (2^53 - 1)

QString quoteIdentifier(const QString& name) {
    QString q = name;
    q.replace(QLatin1Char('"'), QStringLiteral("\"\""));
    return QLatin1Char('"') + q + QLatin1Char('"');
}

} // namespace

SyncPush::SyncPush(RequestContext& ctx)
    : m_ctx(ctx) {}

QJsonObject SyncPush::answer(qint64 mutationId, const QString& result, const QString& reason,
                             qint64 rowVersion) {
    QJsonObject o;
    o.insert(QStringLiteral("mutation_id"), mutationId);
    o.insert(QStringLiteral("result"), result);
    if (!reason.isEmpty())
        o.insert(QStringLiteral("reason"), reason);
    if (rowVersion > 0)
        o.insert(QStringLiteral("row_version"), rowVersion);
    return o;
}

bool SyncPush::parse(HttpResponse* error) {
    JsonReader in(m_ctx.body);
    QJsonArray list;
    QString device, platform, appVersion;
    if (!in.onlyKnown({"client_id", "device_name", "platform", "app_version", "mutations"}) ||
        !in.uuid("client_id", &m_clientId, true) ||
        !in.string("device_name", &device, false, 255) ||
        !in.string("platform", &platform, false, 50) ||
        !in.string("app_version", &appVersion, false, 50) ||
        !in.array("mutations", &list, true, m_ctx.config.maxPushMutations)) {
        *error = in.errorResponse();
        return false;
    }
    if (list.isEmpty()) {
        *error = HttpResponse::invalid(QStringLiteral("mutations"),
                                       tr("must hold at least one mutation"));
        return false;
    }
    if (!device.isEmpty())
        m_clientInfo.insert(QStringLiteral("device_name"), device);
    if (!platform.isEmpty())
        m_clientInfo.insert(QStringLiteral("platform"), platform);
    if (!appVersion.isEmpty())
        m_clientInfo.insert(QStringLiteral("app_version"), appVersion);

    const QStringList ops = {QStringLiteral("insert"), QStringLiteral("update"),
                             QStringLiteral("delete")};
    for (qsizetype i = 0; i < list.size(); ++i) {
        const QString path = QStringLiteral("mutations[%1]").arg(i);
        if (!list.at(i).isObject()) {
            *error = HttpResponse::invalid(path, tr("must be an object"));
            return false;
        }
        JsonReader mr(list.at(i).toObject(), path);
        Mutation m;
        QJsonObject fields, base;
        if (!mr.onlyKnown(
                {"mutation_id", "table", "row_id", "op", "base_row_version", "fields", "base"}) ||
            !mr.integer("mutation_id", &m.id, true, 1, kMaxMutationId) ||
            !mr.string("table", &m.table, true, 63, 1) || !mr.uuid("row_id", &m.rowId, true) ||
            !mr.string("op", &m.op, true, 10, 1)) {
            *error = mr.errorResponse();
            return false;
        }
        if (!ops.contains(m.op)) {
            *error = HttpResponse::invalid(mr.path(QStringLiteral("op")),
                                           tr("must be insert, update or delete"));
            return false;
        }
        if (i > 0 && m.id != m_mutations.last().id + 1) {
            *error =
                HttpResponse::invalid(mr.path(QStringLiteral("mutation_id")),
                                      tr("must be one more than the previous mutation's id (%1)")
                                          .arg(m_mutations.last().id + 1));
            return false;
        }
        const bool isInsert = m.op == QLatin1String("insert");
        const bool isUpdate = m.op == QLatin1String("update");
        if (isInsert) {
            if (mr.has("base_row_version") || mr.has("base")) {
                *error = HttpResponse::invalid(
                    mr.path(QLatin1String(mr.has("base") ? "base" : "base_row_version")),
                    tr("is not used by an insert"));
                return false;
            }
        } else if (!mr.integer("base_row_version", &m.baseVersion, true, 1, kMaxMutationId)) {
            *error = mr.errorResponse();
            return false;
        }
        if (m.op == QLatin1String("delete")) {
            if (mr.has("fields") || mr.has("base")) {
                *error = HttpResponse::invalid(
                    mr.path(QLatin1String(mr.has("fields") ? "fields" : "base")),
                    tr("is not used by a delete"));
                return false;
            }
        } else {
            if (!mr.object("fields", &fields, true) ||
                (isUpdate && !mr.object("base", &base, true))) {
                *error = mr.errorResponse();
                return false;
            }
            if (fields.isEmpty()) {
                *error = HttpResponse::invalid(mr.path(QStringLiteral("fields")),
                                               tr("must name at least one column"));
                return false;
            }
        }
        for (auto it = fields.begin(); it != fields.end(); ++it) {
            const QString fp = mr.path(QStringLiteral("fields.")) + it.key();
            if (it.key().isEmpty() || it.key().size() > 63) {
                *error = HttpResponse::invalid(fp, tr("a column name has 1 to 63 characters"));
                return false;
            }
            if (!it.value().isString() && !it.value().isNull()) {
                *error = HttpResponse::invalid(
                    fp, tr("must be a string or null (numbers travel as strings)"));
                return false;
            }
            m.fields.append({it.key(), Value{it.value().toString(), it.value().isNull()}});
            if (isUpdate && !base.contains(it.key())) {
                *error = HttpResponse::invalid(
                    mr.path(QStringLiteral("base.")) + it.key(),
                    tr("is required: the value this field had before the change"));
                return false;
            }
        }
        for (auto it = base.begin(); it != base.end(); ++it) {
            const QString bp = mr.path(QStringLiteral("base.")) + it.key();
            if (!fields.contains(it.key())) {
                *error = HttpResponse::invalid(bp, tr("names a column that is not in fields"));
                return false;
            }
            if (!it.value().isString() && !it.value().isNull()) {
                *error = HttpResponse::invalid(bp, tr("must be a string or null"));
                return false;
            }
            m.base.insert(it.key(), Value{it.value().toString(), it.value().isNull()});
        }
        m_mutations.append(m);
    }
    return true;
}

HttpResponse SyncPush::run() {
    m_clock.start();
    HttpResponse error;
    if (!parse(&error))
        return error;
    qint64 last = 0;
    if (!SyncApi::useClient(m_ctx, m_clientId, m_clientInfo, true, &last, &error))
        return error;
    const qint64 first = m_mutations.first().id;
    if (first > last + 1) {
        QJsonObject extra;
        extra.insert(QStringLiteral("expected_mutation_id"), last + 1);
        return HttpResponse::error(
            409, QStringLiteral("mutation_gap"),
            tr("the next mutation of this client must have id %1, not %2").arg(last + 1).arg(first),
            extra);
    }

    QJsonArray results;
    // Already received: the stored answers, exactly as given the first time.
    if (first <= last) {
        const qint64 upTo = std::min(last, m_mutations.last().id);
        const PgResult r = m_ctx.db().exec(
            "SELECT mutation_id, result, reason, result_row_version FROM sync_mutations "
            "WHERE client_id = $1 AND mutation_id BETWEEN $2 AND $3",
            {PgParam(m_clientId), PgParam(first), PgParam(upTo)});
        if (!r)
            return m_ctx.databaseError(r, "stored results");
        QHash<qint64, int> rowOf;
        for (int i = 0; i < r.rows(); ++i)
            rowOf.insert(r.int64(i, 0), i);
        for (qint64 id = first; id <= upTo; ++id) {
            const auto it = rowOf.constFind(id);
            if (it == rowOf.constEnd()) {
                results.append(answer(
                    id, QStringLiteral("expired"),
                    tr("the answer to this mutation is no longer kept; re-read the row"), -1));
                continue;
            }
            results.append(answer(id, r.text(*it, 1), r.text(*it, 2),
                                  r.isNull(*it, 3) ? -1 : r.int64(*it, 3)));
        }
    }

    PgResult r =
        m_ctx.db().exec("SELECT set_config('app.client_id', $1, true)", {PgParam(m_clientId)});
    if (r)
        r = m_ctx.db().exec("SAVEPOINT push_batch");
    if (!r)
        return m_ctx.databaseError(r, "push context");
    for (Mutation& m : m_mutations) {
        Outcome o;
        m_precheckOk.append(precheck(m, &o));
        m_prechecked.append(o);
    }
    // First without a savepoint per mutation (two statements fewer each); if the database
    // refuses one, everything since the batch savepoint is undone and the batch runs again
    // with a savepoint per mutation, so the refused one is rejected alone.
    const qsizetype answered = results.size();
    qint64 accepted = std::max(last, first - 1);
    if (!applyAll(last, &results, &accepted, &error)) {
        if (!m_retryCarefully)
            return error;
        r = m_ctx.db().exec("ROLLBACK TO SAVEPOINT push_batch");
        if (!r)
            return m_ctx.databaseError(r, "push retry");
        m_careful = true;
        while (results.size() > answered)
            results.removeLast();
        accepted = std::max(last, first - 1);
        if (!applyAll(last, &results, &accepted, &error))
            return error;
    }
    QJsonObject body;
    body.insert(QStringLiteral("client_id"), m_clientId);
    body.insert(QStringLiteral("last_mutation_id"), accepted);
    body.insert(QStringLiteral("results"), results);
    return HttpResponse::json(200, body);
}

bool SyncPush::applyAll(qint64 last, QJsonArray* results, qint64* accepted, HttpResponse* error) {
    // A batch too large for the time budget is answered in part; the client sends the rest.
    const qint64 budgetMs = m_ctx.config.requestTimeoutMs / 2;
    QList<QPair<const Mutation*, Outcome>> answers;
    auto flush = [&]() {
        if (!record(answers, error))
            return false;
        for (const auto& a : std::as_const(answers))
            results->append(
                answer(a.first->id, a.second.result, a.second.reason, a.second.rowVersion));
        *accepted = answers.last().first->id;
        answers.clear();
        return true;
    };
    qsizetype i = 0;
    while (i < m_mutations.size() && m_mutations.at(i).id <= last)
        ++i;
    while (i < m_mutations.size()) {
        if (m_clock.elapsed() > budgetMs)
            break;
        const qsizetype end = insertGroupEnd(i);
        if (end - i > 1) {
            QList<Outcome> outcomes;
            if (!applyInsertGroup(i, end, &outcomes, error))
                return false;
            for (qsizetype k = i; k < end; ++k)
                answers.append({&m_mutations.at(k), outcomes.at(k - i)});
        } else {
            Outcome out;
            if (!applySingle(m_mutations.at(i), &out, error))
                return false;
            answers.append({&m_mutations.at(i), out});
        }
        i = end;
        if (answers.size() >= 500 && !flush())
            return false;
    }
    return answers.isEmpty() || flush();
}

bool SyncPush::record(const QList<QPair<const Mutation*, Outcome>>& answers,
                      HttpResponse* failure) {
    // One statement for many answers; the table's trigger advances the client's
    // last_mutation_id row by row and refuses any id that does not increase.
    QStringList rows;
    QList<PgParam> params = {PgParam(m_clientId), PgParam(m_ctx.userId)};
    for (const auto& a : answers) {
        const Mutation& m = *a.first;
        const Outcome& out = a.second;
        const int n = static_cast<int>(params.size());
        rows.append(QStringLiteral("($1::uuid, $%1::bigint, $2::uuid, $%2, $%3::uuid, $%4, "
                                   "$%5::bigint, $%6, $%7, $%8::bigint)")
                        .arg(n + 1)
                        .arg(n + 2)
                        .arg(n + 3)
                        .arg(n + 4)
                        .arg(n + 5)
                        .arg(n + 6)
                        .arg(n + 7)
                        .arg(n + 8));
        params << PgParam(m.id) << PgParam(m.table) << PgParam(m.rowId) << PgParam(m.op)
               << (m.baseVersion > 0 ? PgParam(m.baseVersion) : PgParam::nullValue())
               << PgParam(out.result) << PgParam::orNull(out.reason)
               << (out.rowVersion > 0 ? PgParam(out.rowVersion) : PgParam::nullValue());
    }
    const QByteArray sql =
        (QStringLiteral(
             "INSERT INTO sync_mutations (client_id, mutation_id, user_id, table_name, "
             "row_id, operation, base_row_version, result, reason, result_row_version) VALUES ") +
         rows.join(QStringLiteral(", ")))
            .toUtf8();
    const PgResult r = m_ctx.db().exec(sql.constData(), params);
    if (!r) {
        *failure = m_ctx.databaseError(r, "push record");
        return false;
    }
    return true;
}

bool SyncPush::precheck(Mutation& m, Outcome* out) const {
    const SyncCatalog::Table* t = m_ctx.catalog.table(m.table);
    out->result = QStringLiteral("rejected");
    if (!t || !t->synced) {
        out->reason = tr("unknown_table: %1 is not a synced table").arg(m.table);
        return false;
    }
    const bool allowed = (m.op == QLatin1String("insert") && t->canInsert) ||
                         (m.op == QLatin1String("update") && t->canUpdate) ||
                         (m.op == QLatin1String("delete") && t->canDelete);
    if (!allowed) {
        out->reason = tr("table_read_only: clients cannot %1 rows of %2").arg(m.op, m.table);
        return false;
    }
    const bool forInsert = m.op == QLatin1String("insert");
    QStringList ignored;
    for (qsizetype i = 0; i < m.fields.size(); ++i) {
        const QString name = m.fields.at(i).first;
        if (!t->column(name)) {
            out->reason = tr("unknown_column: %1 has no column %2").arg(m.table, name);
            return false;
        }
        if (!t->writable(name, forInsert)) {
            if (t->ignoreUnwritable) {
                ignored.append(name);
                continue;
            }
            out->reason = tr("column_not_writable: clients cannot set %1.%2").arg(m.table, name);
            return false;
        }
    }
    for (const QString& name : std::as_const(ignored)) {
        for (qsizetype i = 0; i < m.fields.size(); ++i) {
            if (m.fields.at(i).first == name) {
                m.fields.removeAt(i);
                break;
            }
        }
        m.base.remove(name);
    }
    out->result.clear();
    if (!ignored.isEmpty())
        out->reason =
            tr("ignored columns the server owns: %1").arg(ignored.join(QStringLiteral(", ")));
    return true;
}

qsizetype SyncPush::insertGroupEnd(qsizetype begin) const {
    const Mutation& first = m_mutations.at(begin);
    if (first.op != QLatin1String("insert") || !m_precheckOk.at(begin))
        return begin + 1;
    auto columnsOf = [](const Mutation& m) {
        QStringList names;
        for (const auto& f : m.fields)
            names.append(f.first);
        return names;
    };
    const QStringList columns = columnsOf(first);
    // Bound parameters per statement stay far below PostgreSQL's 65535.
    const qsizetype maxRows = std::min<qsizetype>(500, 30000 / (columns.size() + 1));
    qsizetype end = begin + 1;
    while (end < m_mutations.size() && end - begin < maxRows) {
        const Mutation& m = m_mutations.at(end);
        if (m.op != QLatin1String("insert") || m.table != first.table || !m_precheckOk.at(end) ||
            columnsOf(m) != columns)
            break;
        ++end;
    }
    return end;
}

bool SyncPush::applyInsertGroup(qsizetype begin, qsizetype end, QList<Outcome>* outcomes,
                                HttpResponse* failure) {
    const Mutation& first = m_mutations.at(begin);
    const SyncCatalog::Table& t = *m_ctx.catalog.table(first.table);
    QStringList columns = {QStringLiteral("\"id\""), quoteIdentifier(t.ownerColumn)};
    for (const auto& f : first.fields)
        columns.append(quoteIdentifier(f.first));
    QList<PgParam> params = {PgParam(m_ctx.userId)};
    QStringList rows;
    for (qsizetype k = begin; k < end; ++k) {
        const Mutation& m = m_mutations.at(k);
        params.append(PgParam(m.rowId));
        QStringList values = {QStringLiteral("$%1::uuid").arg(params.size()),
                              QStringLiteral("$1::uuid")};
        for (const auto& f : m.fields) {
            params.append(f.second.null ? PgParam::nullValue() : PgParam(f.second.text));
            values.append(
                SyncCatalog::castExpression(*t.column(f.first), static_cast<int>(params.size())));
        }
        rows.append(QLatin1Char('(') + values.join(QStringLiteral(", ")) + QLatin1Char(')'));
    }
    const QByteArray sql =
        (QStringLiteral("INSERT INTO %1 (%2) VALUES %3 RETURNING id::text, row_version")
             .arg(quoteIdentifier(t.name), columns.join(QStringLiteral(", ")),
                  rows.join(QStringLiteral(", "))))
            .toUtf8();
    // One statement: the feed records the group's last mutation id for all of its rows.
    PgResult r = m_ctx.db().exec("SELECT set_config('app.mutation_id', $1, true)",
                                 {PgParam(QByteArray::number(m_mutations.at(end - 1).id))});
    if (r && m_careful)
        r = m_ctx.db().exec("SAVEPOINT insert_group");
    if (!r) {
        *failure = m_ctx.databaseError(r, "push group");
        return false;
    }
    r = m_ctx.db().exec(sql.constData(), params);
    if (r) {
        QHash<QString, qint64> versions;
        for (int i = 0; i < r.rows(); ++i)
            versions.insert(r.text(i, 0), r.int64(i, 1));
        for (qsizetype k = begin; k < end; ++k) {
            Outcome o = m_prechecked.at(k);
            o.result = QStringLiteral("applied");
            o.rowVersion = versions.value(m_mutations.at(k).rowId, -1);
            outcomes->append(o);
        }
        if (m_careful)
            r = m_ctx.db().exec("RELEASE SAVEPOINT insert_group");
        if (!r) {
            *failure = m_ctx.databaseError(r, "push group");
            return false;
        }
        return true;
    }
    Outcome probe;
    if (!refusedByDatabase(r, &probe, failure, "push group insert"))
        return false;
    // Some row was refused: undo the statement and find out which, one by one.
    r = m_ctx.db().exec("ROLLBACK TO SAVEPOINT insert_group");
    if (r)
        r = m_ctx.db().exec("RELEASE SAVEPOINT insert_group");
    if (!r) {
        *failure = m_ctx.databaseError(r, "push group");
        return false;
    }
    for (qsizetype k = begin; k < end; ++k) {
        Outcome o;
        if (!applySingle(m_mutations.at(k), &o, failure))
            return false;
        outcomes->append(o);
    }
    return true;
}

bool SyncPush::applySingle(const Mutation& m, Outcome* out, HttpResponse* failure) {
    const qsizetype index = &m - m_mutations.constData();
    if (!m_precheckOk.at(index)) {
        *out = m_prechecked.at(index);
        return true;
    }
    const QString note = m_prechecked.at(index).reason;
    // The feed records which mutation made a change (app.mutation_id): updates and deletes
    // set it in the statement that locks the row, inserts here.
    PgResult r;
    bool fine = true;
    if (m.op == QLatin1String("insert")) {
        r = m_ctx.db().exec("SELECT set_config('app.mutation_id', $1, true)",
                            {PgParam(QByteArray::number(m.id))});
        fine = r.ok();
    }
    if (fine && m_careful) {
        r = m_ctx.db().exec("SAVEPOINT mutation");
        fine = r.ok();
    }
    if (!fine) {
        *failure = m_ctx.databaseError(r, "push savepoint");
        return false;
    }
    if (!applyOne(m, out, failure))
        return false;
    if (m_careful) {
        if (out->result == QLatin1String("rejected"))
            r = m_ctx.db().exec("ROLLBACK TO SAVEPOINT mutation");
        if (r)
            r = m_ctx.db().exec("RELEASE SAVEPOINT mutation");
        if (!r) {
            *failure = m_ctx.databaseError(r, "push savepoint");
            return false;
        }
    }
    if (!note.isEmpty() && out->result != QLatin1String("rejected"))
        out->reason = out->reason.isEmpty() ? note : out->reason + QStringLiteral("; ") + note;
    return true;
}

bool SyncPush::applyOne(const Mutation& m, Outcome* out, HttpResponse* failure) {
    const SyncCatalog::Table& t = *m_ctx.catalog.table(m.table);
    out->touchedDatabase = true;
    if (m.op == QLatin1String("insert"))
        return applyInsert(m, t, out, failure);
    if (m.op == QLatin1String("update")) {
        if (m.fields.isEmpty()) {
            // Only columns the server owns were sent: nothing to do.
            out->result = QStringLiteral("applied");
            return true;
        }
        return applyUpdate(m, t, out, failure);
    }
    return applyDelete(m, t, out, failure);
}

bool SyncPush::refusedByDatabase(const PgResult& r, Outcome* out, HttpResponse* failure,
                                 const char* where) {
    const PgError& e = r.error();
    const bool clientData =
        e.sqlState.startsWith("22") || e.sqlState.startsWith("23") || e.sqlState == "42501";
    if (e.connectionLost || !clientData) {
        *failure = m_ctx.databaseError(r, where);
        return false;
    }
    if (!m_careful) {
        // The transaction is aborted: undo to the batch savepoint and run again carefully.
        m_retryCarefully = true;
        *failure = HttpResponse::empty(500);
        return false;
    }
    out->result = QStringLiteral("rejected");
    if (e.isUniqueViolation() && e.constraint.endsWith(QLatin1String("_pkey")))
        out->reason = tr("row_exists: a row with this id exists");
    else if (e.sqlState == "42501")
        out->reason = tr("not_allowed: %1").arg(e.message);
    else if (e.sqlState.startsWith("22"))
        out->reason = tr("invalid_value: %1").arg(e.message);
    else
        out->reason = tr("constraint_violation: %1").arg(e.message);
    return true;
}

bool SyncPush::rejectMissing(const Mutation& m, Outcome* out) {
    out->result = QStringLiteral("rejected");
    out->reason = tr("not_found: no row %1 in %2").arg(m.rowId, m.table);
    return true;
}

bool SyncPush::rejectAhead(qint64 current, Outcome* out) {
    out->result = QStringLiteral("rejected");
    out->reason = tr("base_row_version_ahead: the server's row is at version %1").arg(current);
    return true;
}

bool SyncPush::applyInsert(const Mutation& m, const SyncCatalog::Table& t, Outcome* out,
                           HttpResponse* failure) {
    QStringList columns = {QStringLiteral("\"id\""), quoteIdentifier(t.ownerColumn)};
    QStringList values = {QStringLiteral("$1::uuid"), QStringLiteral("$2::uuid")};
    QList<PgParam> params = {PgParam(m.rowId), PgParam(m_ctx.userId)};
    for (const auto& f : m.fields) {
        params.append(f.second.null ? PgParam::nullValue() : PgParam(f.second.text));
        columns.append(quoteIdentifier(f.first));
        values.append(
            SyncCatalog::castExpression(*t.column(f.first), static_cast<int>(params.size())));
    }
    const QByteArray sql = (QStringLiteral("INSERT INTO %1 (%2) VALUES (%3) RETURNING row_version")
                                .arg(quoteIdentifier(t.name), columns.join(QStringLiteral(", ")),
                                     values.join(QStringLiteral(", "))))
                               .toUtf8();
    const PgResult r = m_ctx.db().exec(sql.constData(), params);
    if (!r)
        return refusedByDatabase(r, out, failure, "push insert");
    out->result = QStringLiteral("applied");
    out->rowVersion = r.int64(0, 0);
    return true;
}

bool SyncPush::applyUpdate(const Mutation& m, const SyncCatalog::Table& t, Outcome* out,
                           HttpResponse* failure) {
    // Lock the row and compare, per field, the server's value with the client's base and
    // with its new value (typed comparisons, so "1.5" and "1.50" are the same number).
    QStringList select = {QStringLiteral("t.row_version"),
                          QStringLiteral("t.deleted_at IS NOT NULL"),
                          QStringLiteral("to_char(t.deleted_at AT TIME ZONE 'UTC', "
                                         "'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')")};
    QList<PgParam> params = {PgParam(m.rowId), PgParam(SqlText::array(t.secretColumns)),
                             PgParam(SqlText::array(t.timestampColumns))};
    for (const auto& f : m.fields) {
        const SyncCatalog::Column& c = *t.column(f.first);
        const Value& b = m.base.value(f.first);
        params.append(b.null ? PgParam::nullValue() : PgParam(b.text));
        const QString baseCast = SyncCatalog::castExpression(c, static_cast<int>(params.size()));
        params.append(f.second.null ? PgParam::nullValue() : PgParam(f.second.text));
        const QString newCast = SyncCatalog::castExpression(c, static_cast<int>(params.size()));
        const QString col = QStringLiteral("t.") + quoteIdentifier(f.first);
        select.append(QStringLiteral("x.j ->> '%1'")
                          .arg(QString(f.first).replace(QLatin1Char('\''), QStringLiteral("''"))));
        select.append(QStringLiteral("%1 IS NOT DISTINCT FROM %2").arg(col, baseCast));
        select.append(QStringLiteral("%1 IS NOT DISTINCT FROM %2").arg(col, newCast));
    }
    params.append(PgParam(QByteArray::number(m.id)));
    select.append(QStringLiteral("set_config('app.mutation_id', $%1, true)").arg(params.size()));
    const QByteArray sql =
        (QStringLiteral("SELECT %1 FROM %2 t, LATERAL (SELECT sync_row_json(to_jsonb(t), "
                        "$2::text[], $3::text[]) AS j) x "
                        "WHERE t.id = $1::uuid FOR UPDATE OF t")
             .arg(select.join(QStringLiteral(", ")), quoteIdentifier(t.name)))
            .toUtf8();
    PgResult r = m_ctx.db().exec(sql.constData(), params);
    if (!r)
        return refusedByDatabase(r, out, failure, "push read");
    if (r.rows() == 0) // also the answer for another user's row: row-level security hides it
        return rejectMissing(m, out);
    const qint64 current = r.int64(0, 0);
    out->rowVersion = current;
    if (r.boolean(0, 1)) {
        // Edit against delete: the delete wins; the edit is kept in the conflict record.
        QJsonObject wanted, bases;
        for (const auto& f : m.fields) {
            wanted.insert(f.first, f.second.null ? QJsonValue() : QJsonValue(f.second.text));
            const Value& b = m.base.value(f.first);
            bases.insert(f.first, b.null ? QJsonValue() : QJsonValue(b.text));
        }
        if (!recordConflict(m, QStringLiteral("deleted_at"),
                            PgParam(QJsonDocument(wanted).toJson(QJsonDocument::Compact)),
                            PgParam(r.text(0, 2)),
                            PgParam(QJsonDocument(bases).toJson(QJsonDocument::Compact)), "delete",
                            failure))
            return false;
        out->result = QStringLiteral("conflict");
        out->reason = tr("deleted_on_server: the row was deleted; a delete wins over an edit");
        return true;
    }
    if (m.baseVersion > current)
        return rejectAhead(current, out);

    QStringList assignments;
    QList<PgParam> updateParams = {PgParam(m.rowId)};
    QStringList conflicted;
    int column = 3;
    for (const auto& f : m.fields) {
        const QString serverText = r.text(0, column);
        const bool serverIsNull = r.isNull(0, column);
        const bool serverEqualsBase = r.boolean(0, column + 1);
        const bool serverEqualsNew = r.boolean(0, column + 2);
        column += 3;
        if (m.baseVersion == current || serverEqualsBase) {
            updateParams.append(f.second.null ? PgParam::nullValue() : PgParam(f.second.text));
            assignments.append(QStringLiteral("%1 = %2").arg(
                quoteIdentifier(f.first),
                SyncCatalog::castExpression(*t.column(f.first),
                                            static_cast<int>(updateParams.size()))));
        } else if (!serverEqualsNew) {
            // Changed on both sides: the server keeps its value, the client's is recorded.
            conflicted.append(f.first);
            const Value& b = m.base.value(f.first);
            if (!recordConflict(m, f.first,
                                f.second.null ? PgParam::nullValue() : PgParam(f.second.text),
                                serverIsNull ? PgParam::nullValue() : PgParam(serverText),
                                b.null ? PgParam::nullValue() : PgParam(b.text), "column", failure))
                return false;
        }
    }
    if (!assignments.isEmpty()) {
        const QByteArray update =
            (QStringLiteral("UPDATE %1 SET %2 WHERE id = $1::uuid RETURNING row_version")
                 .arg(quoteIdentifier(t.name), assignments.join(QStringLiteral(", "))))
                .toUtf8();
        r = m_ctx.db().exec(update.constData(), updateParams);
        if (!r)
            return refusedByDatabase(r, out, failure, "push update");
        out->rowVersion = r.int64(0, 0);
    }
    if (!conflicted.isEmpty()) {
        out->result = QStringLiteral("conflict");
        out->reason = tr("field_conflict: the server kept its value of %1")
                          .arg(conflicted.join(QStringLiteral(", ")));
    } else if (m.baseVersion < current) {
        out->result = QStringLiteral("merged");
        out->reason = tr("merged with changes made since row_version %1").arg(m.baseVersion);
    } else {
        out->result = QStringLiteral("applied");
    }
    return true;
}

bool SyncPush::applyDelete(const Mutation& m, const SyncCatalog::Table& t, Outcome* out,
                           HttpResponse* failure) {
    const QString table = quoteIdentifier(t.name);
    PgResult r = m_ctx.db().exec(
        (QStringLiteral(
             "SELECT row_version, deleted_at IS NOT NULL, set_config('app.mutation_id', $2, true) "
             "FROM %1 WHERE id = $1::uuid FOR UPDATE")
             .arg(table))
            .toUtf8()
            .constData(),
        {PgParam(m.rowId), PgParam(QByteArray::number(m.id))});
    if (!r)
        return refusedByDatabase(r, out, failure, "push read");
    if (r.rows() == 0)
        return rejectMissing(m, out);
    const qint64 current = r.int64(0, 0);
    if (r.boolean(0, 1)) {
        out->result = QStringLiteral("applied");
        out->rowVersion = current;
        return true;
    }
    if (m.baseVersion > current)
        return rejectAhead(current, out);
    if (m.baseVersion < current) {
        // Delete against edit: the delete wins. The edits made since the client's base are
        // the losing side: kept in the conflict record so a person can restore them.
        r = m_ctx.db().exec(
            (QStringLiteral(
                 "SELECT COALESCE(jsonb_object_agg(c.col, x.j -> c.col), '{}')::text "
                 "FROM (SELECT DISTINCT unnest(s.changed_columns) AS col FROM sync_changes s "
                 "      WHERE s.user_id = $1::uuid AND s.table_name = $2 AND s.row_id = $3::uuid "
                 "        AND s.operation = 'update' AND s.row_version > $4::bigint) c, "
                 "     (SELECT sync_row_json(to_jsonb(t), $5::text[], $6::text[]) AS j "
                 "      FROM %1 t WHERE t.id = $3::uuid) x")
                 .arg(table))
                .toUtf8()
                .constData(),
            {PgParam(m_ctx.userId), PgParam(t.name), PgParam(m.rowId), PgParam(m.baseVersion),
             PgParam(SqlText::array(t.secretColumns)),
             PgParam(SqlText::array(t.timestampColumns))});
        if (!r)
            return refusedByDatabase(r, out, failure, "push lost edits");
        if (!recordConflict(m, QStringLiteral("deleted_at"), PgParam::nullValue(),
                            PgParam(r.text(0, 0)), PgParam::nullValue(), "update", failure))
            return false;
    }
    // The table's soft_delete trigger turns this into deleted_at = now() (and a feed entry).
    r = m_ctx.db().exec(
        (QStringLiteral("DELETE FROM %1 WHERE id = $1::uuid").arg(table)).toUtf8().constData(),
        {PgParam(m.rowId)});
    if (r)
        r = m_ctx.db().exec(
            (QStringLiteral("SELECT row_version FROM %1 WHERE id = $1::uuid").arg(table))
                .toUtf8()
                .constData(),
            {PgParam(m.rowId)});
    if (!r)
        return refusedByDatabase(r, out, failure, "push delete");
    out->result = QStringLiteral("applied");
    out->rowVersion = r.rows() > 0 ? r.int64(0, 0) : current + 1;
    return true;
}

bool SyncPush::recordConflict(const Mutation& m, const QString& column, const PgParam& local,
                              const PgParam& server, const PgParam& base, const char* lookup,
                              HttpResponse* failure) {
    // Who made the server's side, and when: the newest feed entry of that kind for the row.
    const PgResult r = m_ctx.db().exec(
        "INSERT INTO sync_conflicts (user_id, table_name, row_id, column_name, local_value, "
        "server_value, "
        "                            base_value, changed_by, changed_at, client_id, mutation_id) "
        "SELECT $1::uuid, $2::text, $3::uuid, $4::text, $5::text, $6::text, $7::text, "
        "COALESCE(c.client_id::text, CASE WHEN c.changed_at IS NOT NULL THEN 'server' END), "
        "       c.changed_at, $8::uuid, $9::bigint "
        "FROM (SELECT 1) one LEFT JOIN LATERAL ("
        "  SELECT s.client_id, s.changed_at FROM sync_changes s "
        "  WHERE s.user_id = $1::uuid AND s.table_name = $2::text AND s.row_id = $3::uuid "
        "    AND CASE $10::text WHEN 'column' THEN ($4::text = ANY (s.changed_columns) OR "
        "s.operation = 'insert') "
        "                       WHEN 'delete' THEN s.operation = 'delete' "
        "                       ELSE s.operation = 'update' END "
        "  ORDER BY s.txid DESC, s.seq DESC LIMIT 1) c ON true",
        {PgParam(m_ctx.userId), PgParam(m.table), PgParam(m.rowId), PgParam(column), local, server,
         base, PgParam(m_clientId), PgParam(m.id), PgParam(lookup)});
    if (!r) {
        *failure = m_ctx.databaseError(r, "record conflict");
        return false;
    }
    return true;
}

} // namespace llamadesk::server
