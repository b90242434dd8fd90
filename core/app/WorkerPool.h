#pragma once

class QThreadPool;

namespace llamadesk::app {

// The thread pool for the app's background work (opening the vault, counts, key scans, tax
// runs, imports, exports). Never QThreadPool::globalInstance(): Qt's raster painter splits large
// fills into tasks on the global pool and waits for them on the GUI thread, so a long job there
// (a tax run over a million rows) would freeze painting until it ends.
QThreadPool* workerPool();

} // namespace llamadesk::app
