#include "AccountApi.h"

#include "JsonReader.h"
#include "SqlText.h"
#include "SyncCatalog.h"
#include "auth/ApiKey.h"
#include "auth/PasswordHasher.h"
#include "auth/Totp.h"
#include "config/ServerConfig.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QUuid>

#include <cmath>

namespace llamadesk::server {
namespace {

const QStringList& allScopes() {
    static const QStringList s = {QStringLiteral("read"), QStringLiteral("write"),
                                  QStringLiteral("admin")};
    return s;
}

// The same rule as the users_email_check constraint, checked first for a useful 400.
bool validEmail(const QString& email) {
    static const QRegularExpression re(
        QStringLiteral("^[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\\.[A-Za-z]{2,}$"));
    return re.match(email).hasMatch();
}

QString userAgent(const RequestContext& ctx) {
    return QString::fromUtf8(ctx.request.header("user-agent").left(512));
}

// Inserts an API key for userId (the transaction's user must already be userId) and puts
// what the client needs into *out; the full key appears only there.
HttpResponse issueKey(RequestContext& ctx, const QString& userId, const QString& name,
                      const QStringList& scopes, qint64 lifetimeDays, const QStringList& allowedIps,
                      qint64 perHour, qint64 perDay, QJsonObject* out) {
    const ApiKey key = ApiKey::generate();
    const PgResult r = ctx.db().exec(
        "INSERT INTO api_keys (user_id, key_hash, key_prefix, name, scopes, allowed_ips, "
        "                      rate_limit_per_hour, rate_limit_per_day, expires_at) "
        "VALUES ($1, $2, $3, $4, $5::text[], $6::inet[], $7::int, $8::int, "
        "        CASE WHEN $9::int > 0 THEN now() + make_interval(days => $9::int) END) "
        "RETURNING id, to_char(expires_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')",
        {PgParam(userId), PgParam(key.hashHex), PgParam(key.prefix), PgParam(name),
         PgParam(SqlText::array(scopes)),
         allowedIps.isEmpty() ? PgParam::nullValue() : PgParam(SqlText::array(allowedIps)),
         PgParam(perHour), PgParam(perDay), PgParam(lifetimeDays)});
    if (!r)
        return ctx.databaseError(r, "issue key");
    out->insert(QStringLiteral("api_key"), key.fullKey);
    out->insert(QStringLiteral("key_id"), r.text(0, 0));
    out->insert(QStringLiteral("key_prefix"), key.prefix);
    out->insert(QStringLiteral("scopes"), QJsonArray::fromStringList(scopes));
    out->insert(QStringLiteral("expires_at"),
                r.isNull(0, 1) ? QJsonValue(QJsonValue::Null) : QJsonValue(r.text(0, 1)));
    return HttpResponse::empty(200);
}

// Decrypts a second-factor secret stored with encrypt_api_key (pgcrypto) and checks a code.
// The key is bound as a parameter and lives only until the transaction ends. A code is
// accepted once: its time step is claimed for the user (totp_claim_step), so the same code
// replayed within its window is refused like a wrong one.
bool checkSecondFactor(RequestContext& ctx, const QString& userId, const QString& encryptedSecret,
                       const QString& code, HttpResponse* failure) {
    PgResult r = ctx.db().exec("SELECT set_config('app.encryption_key', $1, true)",
                               {PgParam(ctx.config.encryptionKey)});
    if (r)
        r = ctx.db().exec("SELECT decrypt_api_key($1)", {PgParam(encryptedSecret)});
    if (!r) {
        *failure = ctx.databaseError(r, "second factor");
        return false;
    }
    const QByteArray secret = Totp::fromBase32(r.text(0, 0));
    const qint64 step =
        Totp::matchingStep(secret, code.trimmed(), QDateTime::currentSecsSinceEpoch());
    if (step < 0)
        return false;
    r = ctx.db().exec("SELECT totp_claim_step($1::uuid, $2::bigint)",
                      {PgParam(userId), PgParam(step)});
    if (!r) {
        *failure = ctx.databaseError(r, "second factor step");
        return false;
    }
    return r.boolean(0, 0);
}

// The answer when checkSecondFactor said no: its database failure, or a wrong code.
HttpResponse secondFactorRefused(const HttpResponse& failure, int status) {
    return failure.status != 200
               ? failure
               : HttpResponse::error(status, QStringLiteral("invalid_second_factor"),
                                     AccountApi::tr("the authenticator code is wrong"));
}

HttpResponse recordAttempt(RequestContext& ctx, const QString& email, const QString& userId,
                           bool succeeded, const char* reason) {
    const PgResult r =
        ctx.db().exec("SELECT record_login_attempt($1, $2::uuid, $3::inet, $4, $5::boolean, $6)",
                      {PgParam(email), PgParam::orNull(userId), PgParam(ctx.peerAddress()),
                       PgParam(userAgent(ctx)), PgParam(succeeded),
                       reason ? PgParam(reason) : PgParam::nullValue()});
    if (!r)
        return ctx.databaseError(r, "record sign-in");
    return HttpResponse::empty(200);
}

// Exponential delay once an email or address has used up its free failures.
qint64 backoffSeconds(qint64 failures, qint64 freeFailures, const ServerConfig& config) {
    if (failures < freeFailures)
        return 0;
    const qint64 exponent = std::min<qint64>(failures - freeFailures, 30);
    return std::min<qint64>(static_cast<qint64>(config.loginBackoffBaseSeconds) << exponent,
                            config.loginBackoffMaxSeconds);
}

HttpResponse credentialsRefused() {
    return HttpResponse::error(401, QStringLiteral("invalid_credentials"),
                               AccountApi::tr("the email or the password is wrong"));
}

} // namespace

void AccountApi::addRoutes(Router& router) {
    using A = Router::Access;
    const QString read = QStringLiteral("read");
    const QString write = QStringLiteral("write");
    const QString admin = QStringLiteral("admin");
    router.add(
        {"POST", QStringLiteral("/v1/auth/sign-up"), A::Public, {}, true, &AccountApi::signUp, {}});
    router.add(
        {"POST", QStringLiteral("/v1/auth/sign-in"), A::Public, {}, true, &AccountApi::signIn, {}});
    router.add({"POST",
                QStringLiteral("/v1/auth/sign-out"),
                A::ApiKey,
                {},
                false,
                &AccountApi::signOut,
                {}});
    router.add(
        {"GET", QStringLiteral("/v1/account"), A::ApiKey, read, false, &AccountApi::account, {}});
    router.add({"PATCH",
                QStringLiteral("/v1/account"),
                A::ApiKey,
                write,
                true,
                &AccountApi::updateAccount,
                {}});
    router.add({"GET",
                QStringLiteral("/v1/account/subscription"),
                A::ApiKey,
                read,
                false,
                &AccountApi::subscription,
                {}});
    router.add({"POST",
                QStringLiteral("/v1/account/two-factor/setup"),
                A::ApiKey,
                admin,
                false,
                &AccountApi::twoFactorSetup,
                {}});
    router.add({"POST",
                QStringLiteral("/v1/account/two-factor/enable"),
                A::ApiKey,
                admin,
                true,
                &AccountApi::twoFactorEnable,
                {}});
    router.add({"POST",
                QStringLiteral("/v1/account/two-factor/disable"),
                A::ApiKey,
                admin,
                true,
                &AccountApi::twoFactorDisable,
                {}});
    router.add({"GET",
                QStringLiteral("/v1/account/export"),
                A::ApiKey,
                admin,
                false,
                &AccountApi::exportData,
                {}});
    router.add({"POST",
                QStringLiteral("/v1/account/delete"),
                A::ApiKey,
                admin,
                true,
                &AccountApi::deleteAccount,
                {}});
    router.add(
        {"GET", QStringLiteral("/v1/keys"), A::ApiKey, admin, false, &AccountApi::listKeys, {}});
    router.add(
        {"POST", QStringLiteral("/v1/keys"), A::ApiKey, admin, true, &AccountApi::createKey, {}});
    router.add({"DELETE",
                QStringLiteral("/v1/keys/:id"),
                A::ApiKey,
                admin,
                false,
                &AccountApi::revokeKey,
                {}});
}

HttpResponse AccountApi::signUp(RequestContext& ctx) {
    JsonReader in(ctx.body);
    QString email, password, firstName, lastName, username, consent;
    if (!in.onlyKnown(
            {"email", "password", "first_name", "last_name", "username", "consent_version"}) ||
        !in.string("email", &email, true, 255, 3) ||
        !in.string("password", &password, true, 1024, ctx.config.passwordMinLength) ||
        !in.string("first_name", &firstName, false, 100) ||
        !in.string("last_name", &lastName, false, 100) ||
        !in.string("username", &username, false, 100, 1) ||
        !in.string("consent_version", &consent, false, 10, 1))
        return in.errorResponse();
    if (!validEmail(email))
        return HttpResponse::invalid(QStringLiteral("email"), tr("is not an email address"));
    if (password.toUtf8().size() > 1024)
        return HttpResponse::invalid(QStringLiteral("password"), tr("must be at most 1024 bytes"));

    const QByteArray hash = ctx.hasher.hash(password);
    if (hash.isEmpty())
        return HttpResponse::error(503, QStringLiteral("retry"),
                                   tr("the server is out of memory; retry"));
    const QString userId = QUuid::createUuid().toString(QUuid::WithoutBraces);
    // The new row must satisfy the user isolation policy: it is the transaction's user.
    PgResult r =
        ctx.db().exec("SELECT set_config('app.current_user_id', $1, true)", {PgParam(userId)});
    if (!r)
        return ctx.databaseError(r, "sign-up context");
    r = ctx.db().exec(
        "INSERT INTO users (id, email, password_hash, first_name, last_name, username, "
        "                   consent_version, consent_given_at) "
        "VALUES ($1, $2, $3, $4, $5, $6, $7::text, CASE WHEN $7::text IS NULL THEN NULL ELSE now() "
        "END)",
        {PgParam(userId), PgParam(email), PgParam(hash), PgParam::orNull(firstName),
         PgParam::orNull(lastName), PgParam::orNull(username), PgParam::orNull(consent)});
    if (!r) {
        if (r.error().isUniqueViolation()) {
            const bool usernameTaken = r.error().constraint.contains(QLatin1String("username"));
            return HttpResponse::error(409,
                                       usernameTaken ? QStringLiteral("username_taken")
                                                     : QStringLiteral("email_taken"),
                                       usernameTaken ? tr("this username is taken")
                                                     : tr("an account with this email exists"));
        }
        if (r.error().sqlState == "23514")
            return HttpResponse::invalid(QStringLiteral("email"),
                                         tr("is not accepted: %1").arg(r.error().message));
        return ctx.databaseError(r, "sign-up");
    }
    ctx.userId = userId;
    QJsonObject o;
    o.insert(QStringLiteral("user_id"), userId);
    o.insert(QStringLiteral("email"), email);
    return HttpResponse::json(201, o);
}

HttpResponse AccountApi::signIn(RequestContext& ctx) {
    JsonReader in(ctx.body);
    QString email, password, code, deviceName = QStringLiteral("sign-in");
    QStringList scopes = {QStringLiteral("read"), QStringLiteral("write")};
    qint64 days = ctx.config.keyLifetimeDays;
    if (!in.onlyKnown({"email", "password", "totp", "device_name", "scopes", "expires_in_days"}) ||
        !in.string("email", &email, true, 255, 3) ||
        !in.string("password", &password, true, 1024, 1) || !in.string("totp", &code, false, 16) ||
        !in.string("device_name", &deviceName, false, 255, 1) ||
        !in.stringList("scopes", &scopes, false, allScopes(), 3) ||
        !in.integer("expires_in_days", &days, false, 0, 3650))
        return in.errorResponse();
    if (scopes.isEmpty())
        return HttpResponse::invalid(QStringLiteral("scopes"), tr("must name at least one scope"));
    // Refusals below are facts to keep: the transaction commits whatever the answer.
    ctx.commitOnError = true;

    PgResult r = ctx.db().exec(
        "SELECT email_failures, ip_failures, "
        "       COALESCE(extract(epoch FROM now() - last_failure_at), 1e9)::float8 "
        "FROM login_throttle_status($1, $2::inet, make_interval(secs => $3::int))",
        {PgParam(email), PgParam(ctx.peerAddress()), PgParam(ctx.config.loginWindowSeconds)});
    if (!r)
        return ctx.databaseError(r, "sign-in throttle");
    const qint64 delay =
        std::max(backoffSeconds(r.int64(0, 0), ctx.config.loginFreeFailures, ctx.config),
                 backoffSeconds(r.int64(0, 1), ctx.config.loginIpFreeFailures, ctx.config));
    const double since = r.bytes(0, 2).toDouble();
    if (delay > 0 && since < static_cast<double>(delay)) {
        const auto wait = static_cast<qint64>(std::ceil(static_cast<double>(delay) - since));
        // Audited, but not counted as a failure: hammering while throttled must not
        // lengthen the owner's wait.
        QJsonObject meta;
        meta.insert(QStringLiteral("reason"), QStringLiteral("throttled"));
        r = ctx.db().exec(
            "SELECT log_audit_event('login_throttled', 'users', NULL, 'failure', NULL, $1::jsonb, "
            "                       $2::inet, $3)",
            {PgParam(QJsonDocument(meta).toJson(QJsonDocument::Compact)),
             PgParam(ctx.peerAddress()), PgParam(userAgent(ctx))});
        if (!r)
            return ctx.databaseError(r, "sign-in throttle audit");
        HttpResponse t =
            HttpResponse::error(429, QStringLiteral("sign_in_throttled"),
                                tr("too many failed sign-ins; wait before trying again"));
        t.setHeader(QByteArrayLiteral("Retry-After"),
                    QByteArray::number(std::max<qint64>(1, wait)));
        return t;
    }

    r = ctx.db().exec(
        "SELECT user_id, password_hash, two_factor_enabled, two_factor_secret, is_active, "
        "       is_banned FROM auth_find_user($1)",
        {PgParam(email)});
    if (!r)
        return ctx.databaseError(r, "sign-in lookup");
    if (r.rows() == 0) {
        ctx.hasher.burn(password); // the same time as a wrong password
        const HttpResponse rec = recordAttempt(ctx, email, QString(), false, "unknown_email");
        return rec.status == 200 ? credentialsRefused() : rec;
    }
    const QString userId = r.text(0, 0);
    const QByteArray storedHash = r.bytes(0, 1);
    const bool twoFactor = r.boolean(0, 2);
    const QString encryptedSecret = r.text(0, 3);
    const bool active = r.boolean(0, 4);
    const bool banned = r.boolean(0, 5);
    if (!ctx.hasher.verify(storedHash, password)) {
        const HttpResponse rec = recordAttempt(ctx, email, userId, false, "bad_password");
        return rec.status == 200 ? credentialsRefused() : rec;
    }
    if (banned || !active) {
        const HttpResponse rec =
            recordAttempt(ctx, email, userId, false, banned ? "banned" : "inactive");
        return rec.status == 200 ? HttpResponse::error(403, QStringLiteral("account_disabled"),
                                                       tr("this account is disabled"))
                                 : rec;
    }
    if (twoFactor) {
        if (code.isEmpty())
            return HttpResponse::error(
                401, QStringLiteral("second_factor_required"),
                tr("this account needs the code of its authenticator app (totp)"));
        HttpResponse failure;
        if (!checkSecondFactor(ctx, userId, encryptedSecret, code, &failure)) {
            if (failure.status != 200)
                return failure;
            const HttpResponse rec = recordAttempt(ctx, email, userId, false, "bad_second_factor");
            return rec.status == 200
                       ? HttpResponse::error(401, QStringLiteral("invalid_second_factor"),
                                             tr("the authenticator code is wrong"))
                       : rec;
        }
    }
    HttpResponse rec = recordAttempt(ctx, email, userId, true, nullptr);
    if (rec.status != 200)
        return rec;
    ctx.userId = userId;
    r = ctx.db().exec("SELECT set_config('app.current_user_id', $1, true)", {PgParam(userId)});
    if (!r)
        return ctx.databaseError(r, "sign-in context");
    if (ctx.hasher.needsRehash(storedHash)) {
        const QByteArray fresh = ctx.hasher.hash(password);
        if (!fresh.isEmpty()) {
            r = ctx.db().exec("UPDATE users SET password_hash = $1 WHERE id = $2",
                              {PgParam(fresh), PgParam(userId)});
            if (!r)
                return ctx.databaseError(r, "rehash");
        }
    }
    QJsonObject o;
    const HttpResponse issued = issueKey(ctx, userId, deviceName, scopes, days, {},
                                         ctx.config.keyRatePerHour, ctx.config.keyRatePerDay, &o);
    if (issued.status != 200)
        return issued;
    ctx.commitOnError = false;
    o.insert(QStringLiteral("user_id"), userId);
    o.insert(QStringLiteral("two_factor_enabled"), twoFactor);
    return HttpResponse::json(200, o);
}

HttpResponse AccountApi::signOut(RequestContext& ctx) {
    const PgResult r = ctx.db().exec(
        "UPDATE api_keys SET is_active = false, revoked_at = now(), revoked_reason = 'signed out' "
        "WHERE id = $1 AND revoked_at IS NULL",
        {PgParam(ctx.apiKeyId)});
    if (!r)
        return ctx.databaseError(r, "sign-out");
    QJsonObject o;
    o.insert(QStringLiteral("revoked_key_id"), ctx.apiKeyId);
    return HttpResponse::json(200, o);
}

HttpResponse AccountApi::account(RequestContext& ctx) {
    const SyncCatalog::Table* users = ctx.catalog.table(QStringLiteral("users"));
    const PgResult r = ctx.db().exec(
        "SELECT sync_row_json(to_jsonb(u), $1::text[], $2::text[])::text FROM users u WHERE u.id = "
        "$3",
        {PgParam(SqlText::array(users ? users->secretColumns
                                      : QStringList{QStringLiteral("password_hash"),
                                                    QStringLiteral("two_factor_secret")})),
         PgParam(SqlText::array(users ? users->timestampColumns : QStringList())),
         PgParam(ctx.userId)});
    if (!r)
        return ctx.databaseError(r, "account");
    if (r.rows() == 0)
        return HttpResponse::error(404, QStringLiteral("not_found"),
                                   tr("this account no longer exists"));
    return HttpResponse::rawJson(200, QByteArrayLiteral("{\"account\":") + r.bytes(0, 0) + '}');
}

HttpResponse AccountApi::updateAccount(RequestContext& ctx) {
    JsonReader in(ctx.body);
    if (!in.onlyKnown(
            {"first_name", "last_name", "username", "consent_version", "data_retention_days"}))
        return in.errorResponse();
    // Only these columns; names come from this list, values are bound.
    struct Field {
        const char* name;
        int maxLength;
    };
    const Field fields[] = {
        {"first_name", 100}, {"last_name", 100}, {"username", 100}, {"consent_version", 10}};
    QStringList assignments;
    QList<PgParam> params = {PgParam(ctx.userId)};
    for (const Field& f : fields) {
        QString value;
        bool present = false;
        if (!in.nullableString(f.name, &value, &present, f.maxLength))
            return in.errorResponse();
        if (!present)
            continue;
        params.append(PgParam::orNull(value));
        assignments.append(
            QStringLiteral("%1 = $%2::text").arg(QLatin1String(f.name)).arg(params.size()));
        if (QLatin1String(f.name) == QLatin1String("consent_version"))
            assignments.append(
                QStringLiteral("consent_given_at = CASE WHEN $%1::text IS NULL THEN NULL "
                               "ELSE now() END")
                    .arg(params.size()));
    }
    qint64 retention = 0;
    if (in.has("data_retention_days")) {
        if (!in.integer("data_retention_days", &retention, true, 1, 3650))
            return in.errorResponse();
        params.append(PgParam(retention));
        assignments.append(QStringLiteral("data_retention_days = $%1::int").arg(params.size()));
    }
    if (assignments.isEmpty())
        return HttpResponse::invalid(QStringLiteral("(body)"),
                                     tr("name at least one field to change"));
    const QByteArray sql =
        (QStringLiteral("UPDATE users SET ") + assignments.join(QStringLiteral(", ")) +
         QStringLiteral(" WHERE id = $1"))
            .toUtf8();
    const PgResult r = ctx.db().exec(sql.constData(), params);
    if (!r) {
        if (r.error().isUniqueViolation())
            return HttpResponse::error(409, QStringLiteral("username_taken"),
                                       tr("this username is taken"));
        if (r.error().isConstraintViolation())
            return HttpResponse::error(422, QStringLiteral("constraint_violation"),
                                       r.error().message);
        return ctx.databaseError(r, "update account");
    }
    return account(ctx);
}

HttpResponse AccountApi::subscription(RequestContext& ctx) {
    const SyncCatalog::Table* subs = ctx.catalog.table(QStringLiteral("subscriptions"));
    const PgResult r = ctx.db().exec(
        "SELECT jsonb_build_object("
        "  'tier', u.subscription_tier, 'status', u.subscription_status, "
        "  'started_at', to_char(u.subscription_started_at AT TIME ZONE 'UTC', "
        "'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"'), "
        "  'expires_at', to_char(u.subscription_expires_at AT TIME ZONE 'UTC', "
        "'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"'), "
        "  'history', (SELECT COALESCE(jsonb_agg(sync_row_json(to_jsonb(s), '{}', $1::text[]) "
        "                                        ORDER BY s.started_at DESC), '[]') "
        "              FROM subscriptions s WHERE s.user_id = u.id AND s.deleted_at IS "
        "NULL))::text "
        "FROM users u WHERE u.id = $2",
        {PgParam(SqlText::array(subs ? subs->timestampColumns : QStringList())),
         PgParam(ctx.userId)});
    if (!r)
        return ctx.databaseError(r, "subscription");
    if (r.rows() == 0)
        return HttpResponse::error(404, QStringLiteral("not_found"),
                                   tr("this account no longer exists"));
    return HttpResponse::rawJson(200,
                                 QByteArrayLiteral("{\"subscription\":") + r.bytes(0, 0) + '}');
}

HttpResponse AccountApi::twoFactorSetup(RequestContext& ctx) {
    PgResult r =
        ctx.db().exec("SELECT two_factor_enabled, email FROM users WHERE id = $1 FOR UPDATE",
                      {PgParam(ctx.userId)});
    if (!r)
        return ctx.databaseError(r, "two-factor setup");
    if (r.rows() == 0)
        return HttpResponse::error(404, QStringLiteral("not_found"),
                                   tr("this account no longer exists"));
    if (r.boolean(0, 0))
        return HttpResponse::error(409, QStringLiteral("two_factor_enabled"),
                                   tr("two-factor sign-in is already on; disable it first"));
    const QString email = r.text(0, 1);
    const QByteArray secret = Totp::generateSecret();
    const QString base32 = Totp::toBase32(secret);
    r = ctx.db().exec("SELECT set_config('app.encryption_key', $1, true)",
                      {PgParam(ctx.config.encryptionKey)});
    if (r)
        r = ctx.db().exec("UPDATE users SET two_factor_secret = encrypt_api_key($1) WHERE id = $2",
                          {PgParam(base32), PgParam(ctx.userId)});
    if (!r)
        return ctx.databaseError(r, "two-factor setup");
    QJsonObject o;
    o.insert(QStringLiteral("secret"), base32);
    o.insert(QStringLiteral("otpauth_uri"),
             Totp::provisioningUri(QStringLiteral("LlamaDesk"), email, secret));
    return HttpResponse::json(200, o);
}

HttpResponse AccountApi::twoFactorEnable(RequestContext& ctx) {
    return switchTwoFactor(ctx, true);
}

HttpResponse AccountApi::twoFactorDisable(RequestContext& ctx) {
    return switchTwoFactor(ctx, false);
}

// Turning two-factor sign-in on (after setup) or off takes a current authenticator code.
HttpResponse AccountApi::switchTwoFactor(RequestContext& ctx, bool enable) {
    const char* where = enable ? "two-factor enable" : "two-factor disable";
    JsonReader in(ctx.body);
    QString code;
    if (!in.onlyKnown({"code"}) || !in.string("code", &code, true, 16, 6))
        return in.errorResponse();
    PgResult r = ctx.db().exec(
        "SELECT two_factor_enabled, two_factor_secret FROM users WHERE id = $1 FOR UPDATE",
        {PgParam(ctx.userId)});
    if (!r)
        return ctx.databaseError(r, where);
    const bool isOn = r.rows() > 0 && r.boolean(0, 0);
    if (enable && (r.rows() == 0 || r.isNull(0, 1)))
        return HttpResponse::error(409, QStringLiteral("two_factor_not_set_up"),
                                   tr("call /v1/account/two-factor/setup first"));
    if (enable && isOn)
        return HttpResponse::error(409, QStringLiteral("two_factor_enabled"),
                                   tr("two-factor sign-in is already on"));
    if (!enable && !isOn)
        return HttpResponse::error(409, QStringLiteral("two_factor_not_enabled"),
                                   tr("two-factor sign-in is off"));
    HttpResponse failure;
    if (!checkSecondFactor(ctx, ctx.userId, r.text(0, 1), code, &failure))
        return secondFactorRefused(failure, 400);
    r = ctx.db().exec(enable ? "UPDATE users SET two_factor_enabled = true WHERE id = $1"
                             : "UPDATE users SET two_factor_enabled = false, "
                               "two_factor_secret = NULL WHERE id = $1",
                      {PgParam(ctx.userId)});
    if (!r)
        return ctx.databaseError(r, where);
    QJsonObject o;
    o.insert(QStringLiteral("two_factor_enabled"), enable);
    return HttpResponse::json(200, o);
}

HttpResponse AccountApi::listKeys(RequestContext& ctx) {
    const SyncCatalog::Table* keys = ctx.catalog.table(QStringLiteral("api_keys"));
    const PgResult r = ctx.db().exec(
        "SELECT COALESCE(jsonb_agg(sync_row_json(to_jsonb(k), $1::text[], $2::text[]) "
        "                          ORDER BY k.created_at), '[]')::text "
        "FROM api_keys k WHERE k.user_id = $3 AND k.deleted_at IS NULL",
        {PgParam(
             SqlText::array(keys ? keys->secretColumns : QStringList{QStringLiteral("key_hash")})),
         PgParam(SqlText::array(keys ? keys->timestampColumns : QStringList())),
         PgParam(ctx.userId)});
    if (!r)
        return ctx.databaseError(r, "list keys");
    return HttpResponse::rawJson(200, QByteArrayLiteral("{\"current_key_id\":\"") +
                                          ctx.apiKeyId.toLatin1() +
                                          QByteArrayLiteral("\",\"keys\":") + r.bytes(0, 0) + '}');
}

HttpResponse AccountApi::createKey(RequestContext& ctx) {
    JsonReader in(ctx.body);
    QString name;
    QStringList scopes = {QStringLiteral("read")};
    QStringList ips;
    qint64 days = ctx.config.keyLifetimeDays;
    qint64 perHour = ctx.config.keyRatePerHour;
    qint64 perDay = ctx.config.keyRatePerDay;
    if (!in.onlyKnown({"name", "scopes", "expires_in_days", "allowed_ips", "rate_limit_per_hour",
                       "rate_limit_per_day"}) ||
        !in.string("name", &name, true, 255, 1) ||
        !in.stringList("scopes", &scopes, false, allScopes(), 3) ||
        !in.integer("expires_in_days", &days, false, 0, 3650) ||
        !in.stringList("allowed_ips", &ips, false, {}, 64) ||
        !in.integer("rate_limit_per_hour", &perHour, false, 1, ctx.config.keyRatePerHour) ||
        !in.integer("rate_limit_per_day", &perDay, false, 1, ctx.config.keyRatePerDay))
        return in.errorResponse();
    if (scopes.isEmpty())
        return HttpResponse::invalid(QStringLiteral("scopes"), tr("must name at least one scope"));
    for (qsizetype i = 0; i < ips.size(); ++i) {
        if (QHostAddress::parseSubnet(ips.at(i)).first.isNull())
            return HttpResponse::invalid(QStringLiteral("allowed_ips[%1]").arg(i),
                                         tr("must be an IP address or a CIDR range"));
    }
    QJsonObject o;
    const HttpResponse issued =
        issueKey(ctx, ctx.userId, name, scopes, days, ips, perHour, perDay, &o);
    if (issued.status != 200)
        return issued;
    return HttpResponse::json(201, o);
}

HttpResponse AccountApi::revokeKey(RequestContext& ctx) {
    const QString id = ctx.params.value(QStringLiteral("id"));
    const HttpResponse notFound = HttpResponse::error(404, QStringLiteral("not_found"),
                                                      tr("no active API key of yours has this id"));
    if (!JsonReader::isUuid(id))
        return notFound;
    // Row-level security limits this to the caller's keys: another user's id finds nothing.
    const PgResult r = ctx.db().exec("UPDATE api_keys SET is_active = false, revoked_at = now(), "
                                     "revoked_reason = 'revoked by the user' "
                                     "WHERE id = $1 AND revoked_at IS NULL RETURNING id",
                                     {PgParam(id)});
    if (!r)
        return ctx.databaseError(r, "revoke key");
    if (r.rows() == 0)
        return notFound;
    QJsonObject o;
    o.insert(QStringLiteral("revoked_key_id"), id);
    return HttpResponse::json(200, o);
}

HttpResponse AccountApi::exportData(RequestContext& ctx) {
    PgResult r = ctx.db().exec("SELECT gdpr_export_user_data($1)::text", {PgParam(ctx.userId)});
    if (!r)
        return ctx.databaseError(r, "export");
    const QByteArray data = r.bytes(0, 0);
    r = ctx.db().exec(
        "SELECT log_audit_event('gdpr_export', 'users', $1::uuid, 'success', NULL, NULL, "
        "                       $2::inet, $3, $4::uuid)",
        {PgParam(ctx.userId), PgParam(ctx.peerAddress()), PgParam(userAgent(ctx)),
         PgParam(ctx.apiKeyId)});
    if (!r)
        return ctx.databaseError(r, "export audit");
    HttpResponse response = HttpResponse::rawJson(200, data);
    response.setHeader(QByteArrayLiteral("Content-Disposition"),
                       QByteArrayLiteral("attachment; filename=\"llamadesk-export.json\""));
    return response;
}

HttpResponse AccountApi::deleteAccount(RequestContext& ctx) {
    JsonReader in(ctx.body);
    QString password, code;
    if (!in.onlyKnown({"password", "totp"}) || !in.string("password", &password, true, 1024, 1) ||
        !in.string("totp", &code, false, 16))
        return in.errorResponse();
    PgResult r =
        ctx.db().exec("SELECT password_hash, two_factor_enabled, two_factor_secret FROM users "
                      "WHERE id = $1 FOR UPDATE",
                      {PgParam(ctx.userId)});
    if (!r)
        return ctx.databaseError(r, "delete account");
    if (r.rows() == 0)
        return HttpResponse::error(404, QStringLiteral("not_found"),
                                   tr("this account no longer exists"));
    // Erasure cannot be undone: the password (and the second factor, when on) again.
    if (!ctx.hasher.verify(r.bytes(0, 0), password))
        return HttpResponse::error(403, QStringLiteral("invalid_credentials"),
                                   tr("the password is wrong"));
    if (r.boolean(0, 1)) {
        if (code.isEmpty())
            return HttpResponse::error(
                403, QStringLiteral("second_factor_required"),
                tr("erasing this account needs the authenticator code (totp)"));
        HttpResponse failure;
        if (!checkSecondFactor(ctx, ctx.userId, r.text(0, 2), code, &failure))
            return secondFactorRefused(failure, 403);
    }
    r = ctx.db().exec("SELECT gdpr_delete_user($1)", {PgParam(ctx.userId)});
    if (!r)
        return ctx.databaseError(r, "erase account");
    QJsonObject o;
    o.insert(QStringLiteral("erased"), true);
    return HttpResponse::json(200, o);
}

} // namespace llamadesk::server
