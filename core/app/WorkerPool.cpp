#include "app/WorkerPool.h"

#include <QThread>
#include <QThreadPool>

#include <algorithm>

namespace llamadesk::app {

QThreadPool* workerPool() {
    static QThreadPool* const pool = [] {
        auto* p = new QThreadPool;
        // Jobs wait on the disk and on each other as much as they compute: a few more threads
        // than cores keeps a long job from holding up the short ones (a count behind a tax run).
        p->setMaxThreadCount(std::max(4, QThread::idealThreadCount() + 2));
        p->setObjectName(QStringLiteral("llamadesk-workers"));
        return p;
    }();
    return pool;
}

} // namespace llamadesk::app
