#pragma once

#include "Result.h"

#include <QByteArray>
#include <QCoreApplication>
#include <QString>

namespace llamadesk::vault {

// Replaces a small file so that a crash or a full disk never leaves a half-written one: the new
// contents go to "<path>.tmp-XXXXXXXX" in the same folder, are flushed to disk, renamed over the
// old file, and the folder is flushed so that the rename itself survives a power cut. On any
// failure the old file is left as it was and the temporary file is removed.
class AtomicFile {
    Q_DECLARE_TR_FUNCTIONS(AtomicFile)

public:
    // The new file is readable and writable by its owner only.
    static Status write(const QString& path, const QByteArray& contents);

    // What temporary files for `path` start with (to find leftovers of a crash).
    static QString temporaryPrefix(const QString& path);
};

} // namespace llamadesk::vault
