#pragma once

#include "Router.h"

#include <QCoreApplication>

namespace llamadesk::server {

// Accounts: sign-up, sign-in (password, optional TOTP second factor, throttled and audited),
// API keys (issued at sign-in, listed, created, revoked), the profile and subscription,
// two-factor setup, and the GDPR export and erasure.
class AccountApi {
    Q_DECLARE_TR_FUNCTIONS(AccountApi)

public:
    static void addRoutes(Router& router);

private:
    static HttpResponse signUp(RequestContext& ctx);
    static HttpResponse signIn(RequestContext& ctx);
    static HttpResponse signOut(RequestContext& ctx);
    static HttpResponse account(RequestContext& ctx);
    static HttpResponse updateAccount(RequestContext& ctx);
    static HttpResponse subscription(RequestContext& ctx);
    static HttpResponse twoFactorSetup(RequestContext& ctx);
    static HttpResponse twoFactorEnable(RequestContext& ctx);
    static HttpResponse twoFactorDisable(RequestContext& ctx);
    static HttpResponse switchTwoFactor(RequestContext& ctx, bool enable);
    static HttpResponse listKeys(RequestContext& ctx);
    static HttpResponse createKey(RequestContext& ctx);
    static HttpResponse revokeKey(RequestContext& ctx);
    static HttpResponse exportData(RequestContext& ctx);
    static HttpResponse deleteAccount(RequestContext& ctx);
};

} // namespace llamadesk::server
