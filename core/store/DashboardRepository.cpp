#include "DashboardRepository.h"

#include <QLatin1String>
#include <QSqlError>

namespace llamadesk::store {

namespace {

const QLatin1String kColumns("id, user_id, name, description, is_default, is_public, layout, "
                             "widgets, share_token, view_count, created_at, updated_at, "
                             "deleted_at, row_version");

} // namespace

DashboardRepository::DashboardRepository(QSqlDatabase db)
    : SqlRepository(std::move(db), "DashboardRepository") {}

bool DashboardRepository::readRow(const QSqlQuery& query, Dashboard* d, QString* error) {
    Row r(query);
    d->id = r.text(0);
    d->userId = r.text(1);
    d->name = r.text(2);
    d->description = r.optText(3);
    d->isDefault = r.boolean(4, false);
    d->isPublic = r.boolean(5, false);
    d->layout = r.text(6);
    d->widgets = r.text(7);
    d->shareToken = r.optText(8);
    d->viewCount = r.integer(9, 0);
    d->createdAt = r.optTimestamp(10);
    d->updatedAt = r.optTimestamp(11);
    d->deletedAt = r.optTimestamp(12);
    d->rowVersion = r.integer(13);
    if (!r.ok()) {
        *error = tr("dashboards row %1, %2").arg(d->id, r.error());
        return false;
    }
    return true;
}

Status DashboardRepository::clearDefault(const QString& userId, const QString& exceptId,
                                         const QString& what) {
    Result<QSqlQuery*> rq =
        statement(QStringLiteral("UPDATE dashboards SET is_default = 0, updated_at = ? "
                                 "WHERE user_id = ? AND id <> ? AND is_default = 1"),
                  what);
    if (!rq)
        return Status::failure(rq.error());
    QSqlQuery& q = **rq;
    q.bindValue(0, Timestamp::now().toString());
    q.bindValue(1, userId);
    q.bindValue(2, exceptId);
    return execute(q, what);
}

Status DashboardRepository::insert(const Dashboard& d) {
    const QString what = QStringLiteral("insert");
    if (const QStringList errors = d.validate(); !errors.isEmpty())
        return Status::failure(failure(what, errors.join(QLatin1Char(' '))));
    Result<QSqlQuery*> rq = statement(
        QStringLiteral("INSERT INTO dashboards (id, user_id, name, description, is_default, "
                       "is_public, layout, widgets, share_token, view_count, created_at, "
                       "updated_at, deleted_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"),
        what);
    if (!rq)
        return Status::failure(rq.error());
    QSqlQuery& q = **rq;
    const QString now = Timestamp::now().toString();
    int i = 0;
    q.bindValue(i++, text(d.id));
    q.bindValue(i++, text(d.userId));
    q.bindValue(i++, text(d.name));
    q.bindValue(i++, text(d.description));
    q.bindValue(i++, boolean(d.isDefault));
    q.bindValue(i++, boolean(d.isPublic));
    q.bindValue(i++, text(d.layout));
    q.bindValue(i++, text(d.widgets));
    q.bindValue(i++, text(d.shareToken));
    q.bindValue(i++, integer(d.viewCount));
    q.bindValue(i++, d.createdAt ? timestamp(*d.createdAt) : QVariant(now));
    q.bindValue(i++, d.updatedAt ? timestamp(*d.updatedAt) : QVariant(now));
    q.bindValue(i++, timestamp(d.deletedAt));
    Transaction tx(m_db);
    if (Status s = tx.begin(failure(what, d.id)); !s)
        return s;
    if (d.isDefault && !d.deletedAt) {
        if (Status s = clearDefault(d.userId, d.id, what); !s)
            return s;
    }
    if (Status s = execute(q, what); !s)
        return s;
    return tx.commit();
}

Status DashboardRepository::update(const Dashboard& d) {
    const QString what = QStringLiteral("update");
    if (const QStringList errors = d.validate(); !errors.isEmpty())
        return Status::failure(failure(what, errors.join(QLatin1Char(' '))));
    Result<QSqlQuery*> rq =
        statement(QStringLiteral("UPDATE dashboards SET name = ?, description = ?, is_public = ?, "
                                 "layout = ?, widgets = ?, share_token = ?, updated_at = ? "
                                 "WHERE id = ? AND user_id = ? AND deleted_at IS NULL"),
                  what);
    if (!rq)
        return Status::failure(rq.error());
    QSqlQuery& q = **rq;
    int i = 0;
    q.bindValue(i++, text(d.name));
    q.bindValue(i++, text(d.description));
    q.bindValue(i++, boolean(d.isPublic));
    q.bindValue(i++, text(d.layout));
    q.bindValue(i++, text(d.widgets));
    q.bindValue(i++, text(d.shareToken));
    q.bindValue(i++, timestamp(Timestamp::now()));
    q.bindValue(i++, text(d.id));
    q.bindValue(i++, text(d.userId));
    return executeOne(q, what, d.id, tr("no live dashboard %1 of user %2").arg(d.id, d.userId));
}

Status DashboardRepository::setDefault(const QString& userId, const QString& id) {
    const QString what = QStringLiteral("setDefault");
    Result<QSqlQuery*> rq =
        statement(QStringLiteral("UPDATE dashboards SET is_default = 1, updated_at = ? "
                                 "WHERE id = ? AND user_id = ? AND deleted_at IS NULL"),
                  what);
    if (!rq)
        return Status::failure(rq.error());
    QSqlQuery& q = **rq;
    Transaction tx(m_db);
    if (Status s = tx.begin(failure(what, id)); !s)
        return s;
    if (Status s = clearDefault(userId, id, what); !s)
        return s;
    q.bindValue(0, Timestamp::now().toString());
    q.bindValue(1, id);
    q.bindValue(2, userId);
    if (Status s = execute(q, what); !s)
        return s;
    if (q.numRowsAffected() != 1)
        return Status::failure(
            failure(what, tr("no live dashboard %1 of user %2").arg(id, userId)));
    return tx.commit();
}

Status DashboardRepository::incrementViewCount(const QString& id) {
    const QString what = QStringLiteral("incrementViewCount");
    Result<QSqlQuery*> rq =
        statement(QStringLiteral("UPDATE dashboards SET view_count = view_count + 1 "
                                 "WHERE id = ? AND deleted_at IS NULL"),
                  what);
    if (!rq)
        return Status::failure(rq.error());
    QSqlQuery& q = **rq;
    q.bindValue(0, id);
    if (Status s = execute(q, what); !s)
        return s;
    if (q.numRowsAffected() != 1)
        return Status::failure(failure(what, tr("no live dashboard %1").arg(id)));
    return Status::success();
}

Status DashboardRepository::softDelete(const QString& id) {
    const QString what = QStringLiteral("softDelete");
    Result<QSqlQuery*> rq = statement(
        QStringLiteral("UPDATE dashboards SET deleted_at = ?, updated_at = ?, is_default = 0 "
                       "WHERE id = ? AND deleted_at IS NULL"),
        what);
    if (!rq)
        return Status::failure(rq.error());
    QSqlQuery& q = **rq;
    const QString now = Timestamp::now().toString();
    q.bindValue(0, now);
    q.bindValue(1, now);
    q.bindValue(2, id);
    return executeOne(q, what, id, tr("no live dashboard %1").arg(id));
}

Result<std::optional<Dashboard>> DashboardRepository::get(const QString& id) {
    using R = Result<std::optional<Dashboard>>;
    const QString what = QStringLiteral("get");
    Result<QSqlQuery*> rq = statement(QStringLiteral("SELECT ") + kColumns +
                                          QStringLiteral(" FROM dashboards WHERE id = ?"),
                                      what);
    if (!rq)
        return R::failure(rq.error());
    QSqlQuery& q = **rq;
    q.bindValue(0, id);
    return readFirst(q, &readRow, what);
}

Result<QList<Dashboard>> DashboardRepository::list(const QString& userId) {
    using R = Result<QList<Dashboard>>;
    const QString what = QStringLiteral("list");
    Result<QSqlQuery*> rq =
        statement(QStringLiteral("SELECT ") + kColumns +
                      QStringLiteral(" FROM dashboards WHERE user_id = ? AND deleted_at IS NULL "
                                     "ORDER BY is_default DESC, created_at, id"),
                  what);
    if (!rq)
        return R::failure(rq.error());
    QSqlQuery& q = **rq;
    q.bindValue(0, userId);
    return readAll(q, &readRow, what);
}

} // namespace llamadesk::store
