#pragma once

#include <QtConcurrent/QtConcurrentRun>

#include <utility>

class QThreadPool;

namespace llamadesk::app {

// The thread pool for the app's background work (opening the vault, counts, key scans, tax
// runs, imports, exports). Never QThreadPool::globalInstance(): Qt's raster painter splits large
// fills into tasks on the global pool and waits for them on the GUI thread, so a long job there
// (a tax run over a million rows) would freeze painting until it ends.
QThreadPool* workerPool();

// Whether background jobs run at a lower scheduling priority than the GUI thread (the desktop
// app turns it on; tests leave it off so that their timings do not depend on the machine's
// other load). On a busy 2-core machine it keeps the GUI thread's waits for a CPU short.
void setBackgroundPriorityLowered(bool lowered);

// Called at the start of every job: lowers the calling worker thread's priority once, when
// asked to (a nice value of +5 on Linux; a no-op elsewhere for now).
void applyBackgroundPriority();

// QtConcurrent::run on workerPool(), at the background priority.
template <typename Function> auto runInBackground(Function&& function) {
    return QtConcurrent::run(workerPool(), [f = std::forward<Function>(function)]() mutable {
        applyBackgroundPriority();
        return f();
    });
}

} // namespace llamadesk::app
