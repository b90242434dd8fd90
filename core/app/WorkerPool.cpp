#include "app/WorkerPool.h"

#include <QThread>
#include <QThreadPool>

#include <algorithm>
#include <atomic>

#if defined(Q_OS_LINUX)
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>
#endif

namespace llamadesk::app {

namespace {

std::atomic<bool> g_lowered{false};

} // namespace

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

void setBackgroundPriorityLowered(bool lowered) {
    g_lowered.store(lowered);
}

void applyBackgroundPriority() {
    if (!g_lowered.load())
        return;
    thread_local bool applied = false;
    if (applied)
        return;
    applied = true;
#if defined(Q_OS_LINUX)
    // Linux keeps a nice value per thread: this lowers only the calling worker. (Qt's thread
    // priorities other than Idle do nothing under SCHED_OTHER, and SCHED_IDLE could starve a tax
    // run on a machine that is busy with something else.)
    const auto tid = static_cast<id_t>(::syscall(SYS_gettid));
    const int current = ::getpriority(PRIO_PROCESS, tid);
    (void)::setpriority(PRIO_PROCESS, tid, std::min(19, current + 5));
#endif
}

} // namespace llamadesk::app
