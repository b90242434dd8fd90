#pragma once

#include "config/ServerConfig.h"

#include <QCoreApplication>
#include <QStringList>

namespace llamadesk::server {

// The llamadesk-server command line:
//   llamadesk-server [serve] [--config FILE] [--database URL] [--listen ADDR] [--port N]
//                    [--insecure-loopback]
//   llamadesk-server migrate [--database URL] [--config FILE] [--setup] [--dir DIR]
//   llamadesk-server jobs [--database JOBS_URL] [--job NAME]...
class ServerApplication {
    Q_DECLARE_TR_FUNCTIONS(ServerApplication)

public:
    static int run(const QStringList& arguments);

private:
    static int serve(const ServerConfig& config);
    static int migrate(const QByteArray& databaseUrl, bool setup, const QString& directory);
    static int jobs(const QByteArray& databaseUrl, const QStringList& names);
};

} // namespace llamadesk::server
