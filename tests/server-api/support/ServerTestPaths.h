#pragma once

#include <QString>

namespace servertest {

// Absolute path of a file in the source tree ("tests/server/pg-cluster.sh").
QString sourcePath(const QString& relative);
// The llamadesk-server executable under test.
QString serverBinary();

} // namespace servertest
