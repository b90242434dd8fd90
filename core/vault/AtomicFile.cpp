#include "vault/AtomicFile.h"

#include "Logging.h"
#include "vault/SecureBytes.h"

#include <QDir>
#include <QFileInfo>

#include <sodium.h>

#ifdef Q_OS_WIN
#include <QSaveFile>
#else
#include <cerrno>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#endif

namespace llamadesk::vault {

QString AtomicFile::temporaryPrefix(const QString& path) {
    return path + QStringLiteral(".tmp-");
}

#ifdef Q_OS_WIN

// QSaveFile writes a temporary file in the same folder, flushes it and moves it over the target
// with MoveFileEx(MOVEFILE_REPLACE_EXISTING | MOVEFILE_WRITE_THROUGH) semantics.
Status AtomicFile::write(const QString& path, const QByteArray& contents) {
    QSaveFile file(path);
    file.setDirectWriteFallback(false);
    if (!file.open(QIODevice::WriteOnly)) {
        return Status::failure(
            tr("Cannot write %1: %2").arg(QDir::toNativeSeparators(path), file.errorString()));
    }
    if (file.write(contents) != contents.size()) {
        const QString reason = file.errorString();
        file.cancelWriting();
        return Status::failure(
            tr("Cannot write %1: %2").arg(QDir::toNativeSeparators(path), reason));
    }
    if (!file.commit()) {
        return Status::failure(
            tr("Cannot replace %1: %2").arg(QDir::toNativeSeparators(path), file.errorString()));
    }
    return Status::success();
}

#else

namespace {

QString randomSuffix() {
    static const char symbols[] = "abcdefghijklmnopqrstuvwxyz0123456789";
    QString suffix;
    for (int i = 0; i < 8; ++i) {
        suffix.append(QLatin1Char(symbols[randombytes_uniform(sizeof(symbols) - 1)]));
    }
    return suffix;
}

int openRetryingOnSignal(const char* name, int flags, mode_t mode) {
    int fd = -1;
    do {
        fd = ::open(name, flags, mode);
    } while (fd < 0 && errno == EINTR);
    return fd;
}

bool writeAll(int fd, const QByteArray& contents) {
    const char* data = contents.constData();
    qsizetype left = contents.size();
    while (left > 0) {
        const ssize_t written = ::write(fd, data, static_cast<size_t>(left));
        if (written < 0) {
            if (errno == EINTR) {
                continue;
            }
            return false;
        }
        data += written;
        left -= written;
    }
    return true;
}

bool flushToDisk(int fd) {
#ifdef F_FULLFSYNC
    // On Apple systems fsync() only reaches the drive's cache; F_FULLFSYNC reaches the medium.
    if (::fcntl(fd, F_FULLFSYNC) == 0) {
        return true;
    }
#endif
    int rc = 0;
    do {
        rc = ::fsync(fd);
    } while (rc != 0 && errno == EINTR);
    return rc == 0;
}

} // namespace

Status AtomicFile::write(const QString& path, const QByteArray& contents) {
    if (!ensureSodium()) {
        return Status::failure(tr("The cryptography library is not usable."));
    }
    const QFileInfo info(path);
    const QString shownPath = QDir::toNativeSeparators(info.absoluteFilePath());
    const QByteArray target = QFile::encodeName(info.absoluteFilePath());
    const QString folder = info.absolutePath();

    QByteArray temporary;
    int fd = -1;
    // O_EXCL: never write through a file or link someone else put there.
    for (int attempt = 0; attempt < 16 && fd < 0; ++attempt) {
        temporary = QFile::encodeName(temporaryPrefix(info.absoluteFilePath()) + randomSuffix());
        fd = openRetryingOnSignal(temporary.constData(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC,
                                  S_IRUSR | S_IWUSR);
        if (fd < 0 && errno != EEXIST) {
            break;
        }
    }
    if (fd < 0) {
        return Status::failure(
            tr("Cannot create a temporary file in %1 to save %2: %3")
                .arg(QDir::toNativeSeparators(folder), shownPath, qt_error_string(errno)));
    }

    auto abandon = [&](const QString& what) {
        const QString reason = qt_error_string(errno);
        if (fd >= 0) {
            ::close(fd);
        }
        ::unlink(temporary.constData());
        return Status::failure(what.arg(shownPath, reason));
    };

    if (!writeAll(fd, contents)) {
        return abandon(tr("Cannot write %1: %2"));
    }
    if (!flushToDisk(fd)) {
        return abandon(tr("Cannot flush %1 to disk: %2"));
    }
    const int closed = ::close(fd);
    fd = -1;
    if (closed != 0) {
        return abandon(tr("Cannot write %1: %2"));
    }
    if (::rename(temporary.constData(), target.constData()) != 0) {
        return abandon(tr("Cannot replace %1: %2"));
    }

    // The rename is only durable once the folder entry is on disk too. Some file systems do
    // not support fsync on folders; the file itself is in place either way.
    const int dirFd = openRetryingOnSignal(QFile::encodeName(folder).constData(),
                                           O_RDONLY | O_CLOEXEC | O_DIRECTORY, 0);
    if (dirFd >= 0) {
        if (!flushToDisk(dirFd)) {
            qCWarning(lcVault, "could not flush the folder after saving %s: %s",
                      qPrintable(shownPath), qPrintable(qt_error_string(errno)));
        }
        ::close(dirFd);
    }
    return Status::success();
}

#endif

} // namespace llamadesk::vault
