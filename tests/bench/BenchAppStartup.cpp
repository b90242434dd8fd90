// The desktop app on a big vault, as a user meets it: unlock, then the main window until it is
// usable, then the common actions (every view, jump to the end of the transactions, a filter, a
// search, lock). For each phase: its duration, and the longest time the GUI thread went without
// serving its event loop (a 2 ms timer measures the gaps). Peak memory of the process at the end.
//
//   BenchAppStartup --db PATH --passphrase-file FILE     (an existing vault, e.g. from
//                                                         `llamadesk-cli demo --transactions
//                                                         1000000`)
//   BenchAppStartup [--transactions N]                   (a temporary demo vault, default 20000)
//
// Runs on the offscreen platform unless QT_QPA_PLATFORM says otherwise.

#include "app/AppController.h"
#include "app/WorkerPool.h"
#include "demo/DemoData.h"
#include "mainwindow/MainWindow.h"
#include "transactions/TransactionTableModel.h"
#include "transactions/TransactionsView.h"
#include "vault/MemorySecretStore.h"
#include "vault/Vault.h"

#include <QApplication>
#include <QComboBox>
#include <QElapsedTimer>
#include <QFile>
#include <QLineEdit>
#include <QSignalBlocker>
#include <QTableView>
#include <QTemporaryDir>
#include <QThread>
#include <QTimer>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <functional>

using namespace llamadesk;

namespace {

long peakRssMb() {
    QFile status(QStringLiteral("/proc/self/status"));
    if (!status.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray& line : status.readAll().split('\n')) {
        if (line.startsWith("VmHWM:"))
            return line.mid(6).trimmed().split(' ').first().toLong() / 1024;
    }
    return -1;
}

// How long the GUI thread went without serving its event loop: a watchdog thread posts a
// queued call to it every 2 ms and measures how late each one runs. (A timer on the GUI thread
// would undercount: Qt may serve a flood of posted events before its timers.)
class StallMonitor {
public:
    StallMonitor() {
        m_clock.start();
        m_thread = QThread::create([this] {
            while (!m_stop.load()) {
                const qint64 posted = m_clock.nsecsElapsed();
                m_postedAt.store(posted);
                m_pending.store(true);
                QMetaObject::invokeMethod(
                    qApp,
                    [this, posted] {
                        record(m_clock.nsecsElapsed() - std::max(posted, m_phaseStart.load()));
                        m_pending.store(false);
                    },
                    Qt::QueuedConnection);
                // One probe at a time: the next goes out once this one has run.
                while (m_pending.load() && !m_stop.load())
                    QThread::usleep(200);
                QThread::usleep(2000);
            }
        });
        m_thread->start();
    }
    ~StallMonitor() {
        m_stop.store(true);
        m_thread->wait();
        delete m_thread;
    }
    // A block is counted in the phase it happens in: time before reset() belongs to the phase
    // before, and a probe still waiting when a phase is reported counts as blocked until then.
    void reset() {
        m_phaseStart.store(m_clock.nsecsElapsed());
        m_worst.store(0);
    }
    double worstMs() {
        if (m_pending.load())
            record(m_clock.nsecsElapsed() - std::max(m_postedAt.load(), m_phaseStart.load()));
        return double(m_worst.load()) / 1e6;
    }

private:
    void record(qint64 late) {
        qint64 worst = m_worst.load();
        while (late > worst && !m_worst.compare_exchange_weak(worst, late)) {
        }
    }

    QElapsedTimer m_clock;
    QThread* m_thread = nullptr;
    std::atomic<bool> m_stop{false};
    std::atomic<bool> m_pending{false};
    std::atomic<qint64> m_worst{0};
    std::atomic<qint64> m_postedAt{0};
    std::atomic<qint64> m_phaseStart{0};
};

// Serves the event loop until `done` holds or `timeoutMs` passes; false on timeout.
bool waitFor(const std::function<bool()>& done, int timeoutMs) {
    QElapsedTimer t;
    t.start();
    while (!done()) {
        if (t.elapsed() > timeoutMs)
            return false;
        QCoreApplication::processEvents(QEventLoop::AllEvents, 5);
    }
    return true;
}

// Lets the event loop run for `ms` (what the user sees settle after an action).
void settle(int ms) {
    waitFor([] { return false; }, ms);
}

QString option(const QStringList& args, const char* name, const QString& fallback = {}) {
    const qsizetype at = args.indexOf(QLatin1String(name));
    return at >= 0 && at + 1 < args.size() ? args.at(at + 1) : fallback;
}

void report(const char* phase, double ms, StallMonitor& stalls) {
    std::printf("%-44s %9.1f ms   longest GUI block %7.1f ms\n", phase, ms, stalls.worstMs());
    std::fflush(stdout);
}

} // namespace

int main(int argc, char* argv[]) {
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    app::setBackgroundPriorityLowered(true); // as the app runs
    QApplication::setOrganizationName(QStringLiteral("LlamaDeskBench"));
    QApplication::setApplicationName(QStringLiteral("BenchAppStartup"));
    const QStringList args = app.arguments();

    QTemporaryDir temp;
    QString path = option(args, "--db");
    QString passphrase;
    vault::MemorySecretStore secrets;
    vault::KdfParams kdf = vault::KdfParams::defaults();
    if (path.isEmpty()) {
        const qint64 n = option(args, "--transactions", QStringLiteral("20000")).toLongLong();
        path = temp.filePath(QStringLiteral("bench.llamadesk"));
        passphrase = QStringLiteral("bench passphrase");
        vault::CreateOptions create;
        create.useKeychain = false;
        create.passphrase = passphrase;
        vault::RecoveryCode code;
        vault::VaultError error = vault::VaultError::None;
        QString message;
        auto created = vault::Vault::create(path, create, secrets, &code, &error, &message);
        if (!created) {
            std::fprintf(stderr, "cannot create the vault: %s\n", qPrintable(message));
            return 1;
        }
        demo::DemoOptions demo;
        demo.transactions = n;
        QElapsedTimer t;
        t.start();
        const auto filled = demo::DemoData::populate(created->database(), demo);
        if (!filled) {
            std::fprintf(stderr, "demo data: %s\n", qPrintable(filled.error()));
            return 1;
        }
        std::printf("demo vault with %lld transactions made in %.1f s\n", n,
                    double(t.elapsed()) / 1000);
        created->close();
    } else {
        QFile file(option(args, "--passphrase-file"));
        if (!file.open(QIODevice::ReadOnly)) {
            std::fprintf(stderr, "--passphrase-file is needed with --db\n");
            return 2;
        }
        passphrase = QString::fromUtf8(file.readAll()).trimmed();
    }

    StallMonitor stalls;
    ui::AppController controller(secrets);
    controller.setKdf(kdf);
    controller.setVaultPath(path);
    ui::MainWindow window(&controller);
    window.resize(1280, 800);
    window.show();
    controller.start();
    if (!waitFor([&] { return controller.state() == ui::AppController::State::Locked; }, 20000)) {
        std::fprintf(stderr, "the app did not reach the unlock screen\n");
        return 1;
    }
    settle(200);

    QElapsedTimer t;
    stalls.reset();
    t.start();
    controller.unlockWithPassphrase(passphrase);
    if (!waitFor([&] { return controller.isUnlocked(); }, 60000)) {
        std::fprintf(stderr, "unlock failed: %s\n", qPrintable(controller.lastError()));
        return 1;
    }
    const double unlockMs = double(t.nsecsElapsed()) / 1e6;
    report("unlock (key derivation on a worker)", unlockMs, stalls);

    // Usable: the transactions table knows its row count and shows its first rows.
    ui::TransactionsView* transactions = window.transactionsView();
    ui::TransactionTableModel* model = transactions->model();
    stalls.reset();
    t.restart();
    window.showView(ui::MainWindow::Transactions);
    const bool ready = waitFor(
        [&] {
            return model->isAttached() && !model->isLoading() && model->rowCount() > 0 &&
                   model->transactionAt(0) != nullptr;
        },
        60000);
    report(ready ? "unlocked -> transactions listed" : "unlocked -> transactions (TIMED OUT)",
           double(t.nsecsElapsed()) / 1e6, stalls);
    std::printf("rows: %lld\n", model->totalCount());

    for (int v = 0; v < ui::MainWindow::ViewCount; ++v) {
        stalls.reset();
        t.restart();
        window.showView(ui::MainWindow::View(v));
        settle(1500);
        const QByteArray label = QByteArrayLiteral("view ") +
                                 ui::MainWindow::viewKey(ui::MainWindow::View(v)).toUtf8() +
                                 QByteArrayLiteral(" (1.5 s after showing it)");
        report(label.constData(), double(t.nsecsElapsed()) / 1e6, stalls);
    }

    window.showView(ui::MainWindow::Transactions);
    settle(300);
    QTableView* table = transactions->table();
    stalls.reset();
    t.restart();
    table->scrollToBottom();
    const int last = model->rowCount() - 1;
    const bool atEnd = waitFor([&] { return model->transactionAt(last) != nullptr; }, 30000);
    report(atEnd ? "jump to the end of the table" : "jump to the end (TIMED OUT)",
           double(t.nsecsElapsed()) / 1e6, stalls);

    auto* type = transactions->findChild<QComboBox*>(QStringLiteral("typeFilter"));
    if (type && type->count() > 2) {
        stalls.reset();
        t.restart();
        type->setCurrentIndex(2);
        const bool filtered = waitFor(
            [&] { return !model->isLoading() && model->filter().types.size() == 1; }, 30000);
        report(filtered ? "filter by one type" : "filter by one type (TIMED OUT)",
               double(t.nsecsElapsed()) / 1e6, stalls);
        std::printf("rows: %lld\n", model->totalCount());
        type->setCurrentIndex(0);
        waitFor([&] { return !model->isLoading() && model->filter().types.isEmpty(); }, 30000);
    }

    stalls.reset();
    t.restart();
    // As typing ends: the text, then the filter once (the edit's own debounce would apply it a
    // second time 250 ms later and restart the query).
    {
        const QSignalBlocker quiet(transactions->searchEdit());
        transactions->searchEdit()->setText(QStringLiteral("0xab"));
    }
    transactions->applyFilters();
    const bool searched = waitFor(
        [&] { return !model->isLoading() && model->filter().search == QLatin1String("0xab"); },
        60000);
    report(searched ? "search \"0xab\"" : "search \"0xab\" (TIMED OUT)",
           double(t.nsecsElapsed()) / 1e6, stalls);
    std::printf("rows: %lld\n", model->totalCount());

    stalls.reset();
    t.restart();
    controller.lock();
    settle(300);
    report("lock (views wiped)", double(t.nsecsElapsed()) / 1e6, stalls);
    std::printf("peak memory: %ld MB\n", peakRssMb());
    return 0;
}
