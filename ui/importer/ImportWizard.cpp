#include "ImportWizard.h"

#include "ImportPreviewModel.h"
#include "app/AppController.h"
#include "app/Icons.h"
#include "app/Theme.h"
#include "app/WorkerConnection.h"
#include "app/WorkerPool.h"
#include "store/LocalUser.h"

#include <QApplication>
#include <QButtonGroup>
#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QFutureWatcher>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QMimeData>
#include <QPainter>
#include <QProgressBar>
#include <QPushButton>
#include <QRadioButton>
#include <QSettings>
#include <QStandardPaths>
#include <QSvgRenderer>
#include <QTableView>
#include <QTimer>
#include <QTreeWidget>
#include <QUrl>
#include <QVBoxLayout>
#include <QtConcurrent>

namespace llamadesk::ui {

namespace {

const char* const kLastFolderKey = "import/lastFolder";

QLabel* paragraph(const QString& text, QWidget* parent) {
    auto* label = new QLabel(text, parent);
    label->setWordWrap(true);
    label->setTextFormat(Qt::RichText);
    return label;
}

void setMuted(QWidget* widget) {
    QPalette palette = widget->palette();
    palette.setColor(QPalette::WindowText, Theme::mutedText());
    widget->setPalette(palette);
}

QString formatName(const PreviewFile& file) {
    if (!file.formatKnown)
        return ImportWizard::tr("Unrecognized format");
    switch (file.format) {
    case import::SourceFormat::Canonical:
        return ImportWizard::tr("LlamaDesk CSV");
    case import::SourceFormat::Koinly:
        return ImportWizard::tr("Koinly");
    case import::SourceFormat::CoinTracker:
        return ImportWizard::tr("CoinTracker");
    }
    return QString();
}

// A figure over its caption in a rounded tile: the summary reads at a glance.
QLabel* makeTile(QWidget* parent) {
    auto* tile = new QLabel(parent);
    tile->setObjectName(QStringLiteral("statTile"));
    tile->setTextFormat(Qt::RichText);
    tile->setAlignment(Qt::AlignLeft | Qt::AlignVCenter);
    tile->setMinimumWidth(150);
    tile->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Preferred);
    return tile;
}

void setTile(QLabel* tile, qint64 value, const QString& caption, const QColor& color) {
    const QColor muted = Theme::mutedText();
    tile->setText(
        QStringLiteral("<div style=\"font-size:17pt; font-weight:600; color:%1;\">%2"
                       "</div><div style=\"color:%3;\">%4</div>")
            .arg(color.name(), QLocale().toString(value), muted.name(), caption.toHtmlEscaped()));
    // The tile's background follows the theme; set here so a theme change is picked up too.
    const QColor base = tile->palette().color(QPalette::AlternateBase);
    const QColor border = tile->palette().color(QPalette::Mid);
    tile->setStyleSheet(QStringLiteral("QLabel#statTile { background: %1; border: 1px solid %2; "
                                       "border-radius: 8px; padding: 8px 14px; }")
                            .arg(base.name(), border.name()));
}

// Where files may be dropped, with a button for those who prefer a dialog.
class DropZone : public QWidget {
public:
    explicit DropZone(QWidget* parent)
        : QWidget(parent) {
        setMinimumHeight(120);
    }
    void setHighlighted(bool on) {
        m_highlighted = on;
        update();
    }

protected:
    void paintEvent(QPaintEvent*) override {
        QPainter p(this);
        p.setRenderHint(QPainter::Antialiasing);
        QColor border = m_highlighted ? Theme::accent() : palette().color(QPalette::Mid);
        QPen pen(border, m_highlighted ? 2 : 1.4, Qt::DashLine);
        p.setPen(pen);
        QColor fill = m_highlighted ? Theme::accent() : palette().color(QPalette::AlternateBase);
        fill.setAlpha(m_highlighted ? 28 : 255);
        p.setBrush(fill);
        p.drawRoundedRect(QRectF(rect()).adjusted(1.5, 1.5, -1.5, -1.5), 10, 10);
    }

private:
    bool m_highlighted = false;
};

} // namespace

// Page 1: the files. Accepts local files dropped anywhere on it.
class ImportFilesPage : public QWizardPage {
public:
    explicit ImportFilesPage(ImportWizard* wizard)
        : m_wizard(wizard) {
        setAcceptDrops(true);
    }
    bool isComplete() const override { return !m_wizard->m_files.isEmpty(); }
    void refresh() { emit completeChanged(); }
    DropZone* zone = nullptr;

protected:
    void dragEnterEvent(QDragEnterEvent* event) override {
        if (!localFiles(event->mimeData()).isEmpty()) {
            event->acceptProposedAction();
            zone->setHighlighted(true);
        }
    }
    void dragLeaveEvent(QDragLeaveEvent* event) override {
        zone->setHighlighted(false);
        QWizardPage::dragLeaveEvent(event);
    }
    void dropEvent(QDropEvent* event) override {
        zone->setHighlighted(false);
        const QStringList files = localFiles(event->mimeData());
        if (files.isEmpty())
            return;
        event->acceptProposedAction();
        m_wizard->addFiles(files);
    }

private:
    static QStringList localFiles(const QMimeData* mime) {
        QStringList files;
        if (!mime || !mime->hasUrls())
            return files;
        for (const QUrl& url : mime->urls()) {
            if (url.isLocalFile() && QFileInfo(url.toLocalFile()).isFile())
                files.append(url.toLocalFile());
        }
        return files;
    }

    ImportWizard* m_wizard;
};

// Page 2: reads the files on a worker thread when shown; Import needs a finished preview.
class ImportPreviewPage : public QWizardPage {
public:
    explicit ImportPreviewPage(ImportWizard* wizard)
        : m_wizard(wizard) {}
    void initializePage() override {
        if (m_wizard->m_previewStale || !m_wizard->m_preview)
            m_wizard->startPreview();
    }
    void cleanupPage() override { m_wizard->cancelPreview(); }
    bool isComplete() const override {
        return !m_wizard->isPreviewing() && m_wizard->m_preview &&
               !m_wizard->m_preview->cancelled && m_wizard->m_preview->ready() > 0;
    }
    void refresh() { emit completeChanged(); }

private:
    ImportWizard* m_wizard;
};

// Page 3: the import runs as soon as the page shows; the wizard moves on by itself.
class ImportRunPage : public QWizardPage {
public:
    explicit ImportRunPage(ImportWizard* wizard)
        : m_wizard(wizard) {}
    void initializePage() override { m_wizard->startImport(); }
    bool isComplete() const override { return false; }

private:
    ImportWizard* m_wizard;
};

ImportWizard::ImportWizard(AppController* controller, QWidget* parent)
    : QWizard(parent)
    , m_controller(controller) {
    setWindowTitle(tr("Import transactions"));
    setWizardStyle(QWizard::ModernStyle);
    setOption(QWizard::NoBackButtonOnStartPage);
    setOption(QWizard::NoCancelButtonOnLastPage);
    setPixmap(QWizard::LogoPixmap, Icons::pixmap(QStringLiteral("app"), 48, devicePixelRatioF()));
    m_model = new ImportPreviewModel(this);
    setPage(FilesPage, makeFilesPage());
    setPage(PreviewPage, makePreviewPage());
    setPage(ImportPage, makeImportPage());
    setPage(ResultPage, makeResultPage());
    setStartId(FilesPage);
    resize(1000, 700);
    connect(controller, &AppController::aboutToLock, this, &ImportWizard::onLock);
}

ImportWizard::~ImportWizard() {
    stopWorkers();
}

void ImportWizard::stopWorkers() {
    if (m_previewCancel)
        m_previewCancel->store(true);
    if (m_importCancel)
        m_importCancel->store(true);
}

void ImportWizard::onLock() {
    // The vault is closing: stop reading and writing, and forget every parsed row.
    stopWorkers();
    m_previewCancel.reset();
    m_importCancel.reset();
    m_model->clear();
    m_preview.reset();
    m_previewStale = true;
    QWizard::done(QDialog::Rejected);
}

void ImportWizard::done(int result) {
    if (isImporting()) {
        // Closing mid-import means "stop": the page shows the outcome once the worker has
        // rolled back.
        cancelImport();
        return;
    }
    cancelPreview();
    QWizard::done(result);
}

QIcon ImportWizard::actionIcon() {
    // The export icon's counterpart: the arrow points into the tray.
    const QColor ink = QApplication::palette().color(QPalette::WindowText);
    const QByteArray svg =
        QByteArrayLiteral("<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 24 24\" "
                          "fill=\"none\" stroke=\"INK\" stroke-width=\"1.8\" "
                          "stroke-linecap=\"round\" stroke-linejoin=\"round\">"
                          "<path d=\"M12 3v12\"/><path d=\"M7.5 10.5 12 15l4.5-4.5\"/>"
                          "<path d=\"M4 14.5V20h16v-5.5\"/></svg>")
            .replace("INK", ink.name().toLatin1());
    QSvgRenderer renderer(svg);
    QIcon icon;
    for (const int size : {16, 20, 24, 32, 48}) {
        for (const qreal ratio : {1.0, 2.0}) {
            const int pixels = qRound(size * ratio);
            QPixmap pixmap(pixels, pixels);
            pixmap.fill(Qt::transparent);
            QPainter painter(&pixmap);
            painter.setRenderHint(QPainter::Antialiasing);
            renderer.render(&painter);
            painter.end();
            pixmap.setDevicePixelRatio(ratio);
            icon.addPixmap(pixmap);
        }
    }
    return icon;
}

// ---- Files ------------------------------------------------------------------------------------

QWizardPage* ImportWizard::makeFilesPage() {
    auto* page = new ImportFilesPage(this);
    page->setTitle(tr("Choose the files to import"));
    page->setSubTitle(tr("CSV exports from LlamaDesk, Koinly or CoinTracker. Nothing is written "
                         "until you confirm."));
    auto* layout = new QVBoxLayout(page);

    page->zone = new DropZone(page);
    auto* zoneLayout = new QVBoxLayout(page->zone);
    zoneLayout->setContentsMargins(20, 18, 20, 18);
    auto* icon = new QLabel(page->zone);
    icon->setPixmap(actionIcon().pixmap(QSize(32, 32), devicePixelRatioF()));
    icon->setAlignment(Qt::AlignCenter);
    zoneLayout->addWidget(icon);
    auto* hint = new QLabel(tr("Drop CSV files here"), page->zone);
    QFont bold = hint->font();
    bold.setBold(true);
    bold.setPointSizeF(bold.pointSizeF() * 1.1);
    hint->setFont(bold);
    hint->setAlignment(Qt::AlignCenter);
    zoneLayout->addWidget(hint);
    auto* choose = new QPushButton(tr("&Choose files…"), page->zone);
    choose->setObjectName(QStringLiteral("chooseFiles"));
    auto* chooseRow = new QHBoxLayout;
    chooseRow->addStretch();
    chooseRow->addWidget(choose);
    chooseRow->addStretch();
    zoneLayout->addLayout(chooseRow);
    layout->addWidget(page->zone);
    connect(choose, &QPushButton::clicked, this, &ImportWizard::chooseFiles);

    layout->addSpacing(8);
    m_fileList = new QTreeWidget(page);
    m_fileList->setObjectName(QStringLiteral("fileList"));
    m_fileList->setColumnCount(3);
    m_fileList->setHeaderLabels({tr("File"), tr("Size"), tr("Folder")});
    m_fileList->setRootIsDecorated(false);
    m_fileList->setAlternatingRowColors(true);
    m_fileList->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_fileList->header()->setStretchLastSection(true);
    m_fileList->setColumnWidth(0, 280);
    m_fileList->setColumnWidth(1, 90);
    layout->addWidget(m_fileList, 1);

    auto* buttons = new QHBoxLayout;
    m_removeButton = new QPushButton(Icons::icon(QStringLiteral("delete")), tr("&Remove"), page);
    m_removeButton->setEnabled(false);
    buttons->addStretch();
    buttons->addWidget(m_removeButton);
    layout->addLayout(buttons);
    connect(m_fileList, &QTreeWidget::itemSelectionChanged, this,
            [this] { m_removeButton->setEnabled(!m_fileList->selectedItems().isEmpty()); });
    connect(m_removeButton, &QPushButton::clicked, this, [this] {
        QList<int> rows;
        for (QTreeWidgetItem* item : m_fileList->selectedItems())
            rows.append(m_fileList->indexOfTopLevelItem(item));
        std::sort(rows.begin(), rows.end(), std::greater<int>());
        for (const int r : rows)
            removeFile(r);
    });
    return page;
}

void ImportWizard::chooseFiles() {
    QSettings settings;
    const QString folder =
        settings
            .value(QLatin1String(kLastFolderKey),
                   QStandardPaths::writableLocation(QStandardPaths::DownloadLocation))
            .toString();
    const QStringList chosen = QFileDialog::getOpenFileNames(
        this, tr("Choose CSV files"), folder, tr("CSV files (*.csv);;All files (*)"));
    if (chosen.isEmpty())
        return;
    settings.setValue(QLatin1String(kLastFolderKey), QFileInfo(chosen.first()).absolutePath());
    addFiles(chosen);
}

void ImportWizard::addFiles(const QStringList& paths) {
    bool changed = false;
    for (const QString& path : paths) {
        const QFileInfo info(path);
        if (!info.isFile())
            continue;
        const QString absolute = info.absoluteFilePath();
        if (m_files.contains(absolute))
            continue;
        m_files.append(absolute);
        changed = true;
    }
    if (changed) {
        m_previewStale = true;
        refreshFileList();
    }
}

void ImportWizard::removeFile(int index) {
    if (index < 0 || index >= m_files.size())
        return;
    m_files.removeAt(index);
    m_previewStale = true;
    refreshFileList();
}

void ImportWizard::refreshFileList() {
    m_fileList->clear();
    const QLocale locale;
    for (const QString& path : m_files) {
        const QFileInfo info(path);
        auto* item = new QTreeWidgetItem(m_fileList);
        item->setText(0, info.fileName());
        item->setIcon(0, Icons::icon(QStringLiteral("transactions")));
        item->setText(1, locale.formattedDataSize(info.size()));
        item->setTextAlignment(1, Qt::AlignRight | Qt::AlignVCenter);
        item->setText(2, QDir::toNativeSeparators(info.absolutePath()));
        item->setToolTip(2, QDir::toNativeSeparators(path));
    }
    static_cast<ImportFilesPage*>(page(FilesPage))->refresh();
}

// ---- Preview ----------------------------------------------------------------------------------

QWizardPage* ImportWizard::makePreviewPage() {
    auto* page = new ImportPreviewPage(this);
    page->setTitle(tr("Check what will be imported"));
    page->setSubTitle(tr("Every row has been read and checked. Rows with a problem are marked "
                         "with the reason."));
    page->setCommitPage(true);
    page->setButtonText(QWizard::CommitButton, tr("&Import"));
    auto* layout = new QVBoxLayout(page);

    m_previewStatus = paragraph(QString(), page);
    layout->addWidget(m_previewStatus);
    m_previewProgress = new QProgressBar(page);
    m_previewProgress->setRange(0, 1000);
    m_previewProgress->setTextVisible(false);
    m_previewProgress->setFixedHeight(6);
    layout->addWidget(m_previewProgress);

    m_previewBody = new QWidget(page);
    auto* body = new QVBoxLayout(m_previewBody);
    body->setContentsMargins(0, 0, 0, 0);
    auto* tiles = new QHBoxLayout;
    tiles->setSpacing(10);
    m_readyTile = makeTile(m_previewBody);
    m_duplicateTile = makeTile(m_previewBody);
    m_problemTile = makeTile(m_previewBody);
    tiles->addWidget(m_readyTile);
    tiles->addWidget(m_duplicateTile);
    tiles->addWidget(m_problemTile);
    body->addLayout(tiles);
    body->addSpacing(4);

    auto* fileRow = new QHBoxLayout;
    m_fileChooser = new QComboBox(m_previewBody);
    m_fileChooser->setObjectName(QStringLiteral("fileChooser"));
    m_fileChooser->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    fileRow->addWidget(m_fileChooser);
    m_fileFacts = new QLabel(m_previewBody);
    m_fileFacts->setTextFormat(Qt::RichText);
    setMuted(m_fileFacts);
    fileRow->addWidget(m_fileFacts, 1);
    m_problemsOnly = new QCheckBox(tr("Show only rows with &problems"), m_previewBody);
    m_problemsOnly->setObjectName(QStringLiteral("problemsOnly"));
    fileRow->addWidget(m_problemsOnly);
    body->addLayout(fileRow);
    m_fileProblems = paragraph(QString(), m_previewBody);
    m_fileProblems->setObjectName(QStringLiteral("fileProblems"));
    m_fileProblems->setTextInteractionFlags(Qt::TextSelectableByMouse);
    body->addWidget(m_fileProblems);

    m_table = new QTableView(m_previewBody);
    m_table->setObjectName(QStringLiteral("previewTable"));
    m_table->setModel(m_model);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setAlternatingRowColors(true);
    m_table->setShowGrid(false);
    m_table->setWordWrap(false);
    m_table->verticalHeader()->hide();
    m_table->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 10);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->horizontalHeader()->setHighlightSections(false);
    const QFontMetrics fm = m_table->fontMetrics();
    const int widths[] = {fm.horizontalAdvance(tr("Duplicate")) + 40,
                          fm.horizontalAdvance(QStringLiteral("00,000")) + 14,
                          fm.horizontalAdvance(QStringLiteral("0000-00-00 00:00")) + 16,
                          fm.horizontalAdvance(tr("Staking reward")) + 12,
                          fm.horizontalAdvance(QStringLiteral("00,000.000000 USDC")) + 12,
                          fm.horizontalAdvance(QStringLiteral("00,000.000000 USDC")) + 12,
                          fm.horizontalAdvance(QStringLiteral("0.000000 ETH")) + 12,
                          fm.horizontalAdvance(QStringLiteral("$00,000.00")) + 12,
                          fm.horizontalAdvance(QStringLiteral("Ledger")) + 12};
    for (int c = 0; c < int(std::size(widths)); ++c)
        m_table->horizontalHeader()->resizeSection(c, widths[c]);
    // The reasons of refused rows span the value columns; the issue column is for the
    // problems-only list.
    m_table->setColumnHidden(ImportPreviewModel::IssueColumn, true);
    body->addWidget(m_table, 1);
    connect(m_model, &QAbstractItemModel::modelReset, this, [this] {
        m_table->clearSpans();
        spanProblemRows(0, m_model->rowCount() - 1);
    });
    connect(m_model, &QAbstractItemModel::rowsInserted, this,
            [this](const QModelIndex&, int first, int last) { spanProblemRows(first, last); });
    connect(m_problemsOnly, &QCheckBox::toggled, this, [this](bool only) {
        m_model->setProblemsOnly(only);
        // Only the verdict matters for a refused row: put the reason next to its line.
        for (int c = ImportPreviewModel::DateColumn; c < ImportPreviewModel::IssueColumn; ++c)
            m_table->setColumnHidden(c, only);
        m_table->setColumnHidden(ImportPreviewModel::IssueColumn, !only);
    });
    connect(m_fileChooser, &QComboBox::currentIndexChanged, this,
            [this](int index) { showPreviewFile(index); });

    auto* modeBox = new QVBoxLayout;
    modeBox->setSpacing(2);
    m_allOrNothing =
        new QRadioButton(tr("Import only if every row is valid (&all or nothing)"), m_previewBody);
    m_allOrNothing->setObjectName(QStringLiteral("allOrNothing"));
    m_partial = new QRadioButton(tr("Import the valid rows and &skip the rows with problems"),
                                 m_previewBody);
    m_partial->setObjectName(QStringLiteral("partial"));
    m_allOrNothing->setChecked(true);
    auto* group = new QButtonGroup(page);
    group->addButton(m_allOrNothing);
    group->addButton(m_partial);
    modeBox->addWidget(m_allOrNothing);
    modeBox->addWidget(m_partial);
    m_modeNote = paragraph(QString(), m_previewBody);
    m_modeNote->setContentsMargins(22, 0, 0, 0);
    modeBox->addWidget(m_modeNote);
    body->addLayout(modeBox);
    connect(m_partial, &QRadioButton::toggled, this, [this] { updatePreviewSummary(); });
    layout->addWidget(m_previewBody, 1);
    m_previewBody->hide();
    return page;
}

void ImportWizard::spanProblemRows(int first, int last) {
    // A refused row has no values: its reason takes the width of the value columns instead.
    // Only fetched rows get a span, so the cost follows what the table has shown.
    if (m_model->problemsOnly())
        return;
    for (int r = first; r <= last; ++r) {
        const PreviewRow* row = m_model->rowAt(r);
        if (row && row->state == PreviewRow::State::Problem)
            m_table->setSpan(r, ImportPreviewModel::DateColumn, 1,
                             ImportPreviewModel::ColumnCount - ImportPreviewModel::DateColumn);
    }
}

void ImportWizard::setPartial(bool partial) {
    (partial ? m_partial : m_allOrNothing)->setChecked(true);
}

bool ImportWizard::isPartial() const {
    return m_partial->isChecked();
}

void ImportWizard::cancelPreview() {
    if (m_previewCancel)
        m_previewCancel->store(true);
    m_previewCancel.reset();
    m_previewBytes.reset();
}

void ImportWizard::startPreview() {
    cancelPreview();
    m_model->clear();
    m_preview.reset();
    m_previewStale = false;
    m_previewBody->hide();
    m_previewProgress->show();
    m_previewProgress->setValue(0);
    auto* previewPage = static_cast<ImportPreviewPage*>(page(PreviewPage));
    const std::shared_ptr<const vault::Vault> vault = m_controller->vault();
    if (!vault) {
        m_previewProgress->hide();
        m_previewStatus->setText(tr("The vault is locked: unlock it to import."));
        previewPage->refresh();
        return;
    }
    qint64 totalBytes = 0;
    for (const QString& f : m_files)
        totalBytes += QFileInfo(f).size();
    m_previewStatus->setText(
        tr("Reading %n file(s) and checking every row…", nullptr, int(m_files.size())));
    auto cancel = std::make_shared<std::atomic<bool>>(false);
    auto bytes = std::make_shared<std::atomic<qint64>>(0);
    m_previewCancel = cancel;
    m_previewBytes = bytes;
    previewPage->refresh();

    // The worker only counts bytes; this timer shows them (widgets stay on this thread).
    auto* poll = new QTimer(this);
    connect(poll, &QTimer::timeout, this, [this, bytes, totalBytes] {
        if (totalBytes > 0)
            m_previewProgress->setValue(int(bytes->load() * 1000 / totalBytes));
    });
    poll->start(100);
    const QStringList files = m_files;
    auto* watcher = new QFutureWatcher<std::shared_ptr<PreviewResult>>(this);
    connect(watcher, &QFutureWatcher<std::shared_ptr<PreviewResult>>::finished, this,
            [this, watcher, poll, cancel] {
                watcher->deleteLater();
                poll->deleteLater();
                // A newer preview (or a lock) made this one obsolete.
                if (cancel != m_previewCancel)
                    return;
                m_previewCancel.reset();
                m_previewBytes.reset();
                previewFinished(watcher->result());
            });
    watcher->setFuture(app::runInBackground([vault, files, cancel, bytes] {
        auto result = std::make_shared<PreviewResult>();
        app::WorkerConnection connection(*vault);
        if (!connection.isOpen()) {
            result->error = connection.error();
            return result;
        }
        const Result<QString> owner = store::LocalUser::ensure(connection.database());
        if (!owner) {
            result->error = owner.error();
            return result;
        }
        ImportPreview::Options options;
        options.read.userId = owner.value();
        options.bytesDone = bytes.get();
        options.cancel = cancel.get();
        *result = ImportPreview::build(files, connection.database(), options);
        return result;
    }));
}

void ImportWizard::previewFinished(const std::shared_ptr<PreviewResult>& result) {
    m_preview = result;
    m_previewProgress->hide();
    auto* previewPage = static_cast<ImportPreviewPage*>(page(PreviewPage));
    if (!result || result->cancelled) {
        m_previewStatus->setText(tr("Reading was stopped."));
        previewPage->refresh();
        return;
    }
    if (!result->error.isEmpty() && result->files.isEmpty()) {
        m_previewStatus->setText(
            tr("The files could not be checked: %1").arg(result->error.toHtmlEscaped()));
        previewPage->refresh();
        return;
    }
    m_previewStatus->clear();
    m_previewStatus->hide();
    {
        const QSignalBlocker blocker(m_fileChooser);
        m_fileChooser->clear();
        for (const PreviewFile& file : result->files) {
            const PreviewRow::State state =
                file.bad > 0 || !file.error.isEmpty() || !file.fileProblems.isEmpty()
                    ? PreviewRow::State::Problem
                    : PreviewRow::State::Ready;
            m_fileChooser->addItem(ImportPreviewModel::badge(state),
                                   QFileInfo(file.path).fileName());
        }
        m_fileChooser->setCurrentIndex(0);
    }
    m_fileChooser->setVisible(result->files.size() > 1);
    m_previewBody->show();
    showPreviewFile(0);
    updatePreviewSummary();
    previewPage->refresh();
}

void ImportWizard::showPreviewFile(int index) {
    if (!m_preview || index < 0 || index >= m_preview->files.size()) {
        m_model->clear();
        return;
    }
    if (m_fileChooser->currentIndex() != index) {
        const QSignalBlocker blocker(m_fileChooser);
        m_fileChooser->setCurrentIndex(index);
    }
    m_model->setPreview(m_preview, index);
    const PreviewFile& file = m_preview->files.at(index);
    const QLocale locale;
    const int records = int(qMin<qint64>(file.records, INT_MAX));
    // With one file the chooser is hidden: name the file here.
    QString facts =
        m_preview->files.size() > 1
            ? tr("%1 · %Ln row(s) · %2", nullptr, records)
                  .arg(formatName(file).toHtmlEscaped(), locale.formattedDataSize(file.bytes))
            : tr("<b>%1</b> · %2 · %Ln row(s) · %3", nullptr, records)
                  .arg(QFileInfo(file.path).fileName().toHtmlEscaped(),
                       formatName(file).toHtmlEscaped(), locale.formattedDataSize(file.bytes));
    if (file.truncated) {
        facts += QStringLiteral(" · ") +
                 tr("the table shows the first %L1 rows; the counts cover them all")
                     .arg(file.rows.size());
    }
    m_fileFacts->setText(facts);
    QStringList problems;
    if (!file.error.isEmpty())
        problems.append(file.error.toHtmlEscaped());
    for (const import::ImportProblem& p : file.fileProblems) {
        problems.append((p.column.isEmpty() ? p.message : tr("%1: %2").arg(p.column, p.message))
                            .toHtmlEscaped());
    }
    if (problems.isEmpty()) {
        m_fileProblems->hide();
    } else {
        m_fileProblems->setText(
            QStringLiteral("<span style=\"color:%1;\">%2</span>")
                .arg(Theme::negative().name(), problems.join(QStringLiteral("<br>"))));
        m_fileProblems->show();
    }
}

void ImportWizard::updatePreviewSummary() {
    if (!m_preview)
        return;
    const qint64 ready = m_preview->ready();
    const qint64 duplicates = m_preview->duplicates();
    const qint64 bad = m_preview->bad();
    setTile(m_readyTile, ready, tr("ready to import"), Theme::positive());
    setTile(m_duplicateTile, duplicates, tr("already in your vault"), Theme::mutedText());
    setTile(m_problemTile, bad, tr("with problems"),
            bad > 0 ? Theme::negative() : Theme::mutedText());

    QString note;
    QColor color = Theme::mutedText();
    const bool fileProblems = m_preview->hasFileProblems();
    if (ready == 0) {
        note = tr("There is nothing new to import.");
    } else if ((bad > 0 || fileProblems) && !isPartial()) {
        note = tr("Nothing will be imported while rows have problems. Fix them in the file, or "
                  "import the valid rows only.");
        color = Theme::negative();
    } else if (bad > 0 || fileProblems) {
        note = tr("%Ln valid row(s) will be imported; the rows with problems are left out.",
                  nullptr, int(qMin<qint64>(ready, INT_MAX)));
    } else {
        note = tr("All %Ln row(s) will be imported in one step: a cancel leaves your vault as it "
                  "was.",
                  nullptr, int(qMin<qint64>(ready, INT_MAX)));
    }
    if (duplicates > 0)
        note += QLatin1Char(' ') + tr("Rows already in your vault are skipped.");
    m_modeNote->setText(QStringLiteral("<span style=\"color:%1;\">%2</span>")
                            .arg(color.name(), note.toHtmlEscaped()));
}

// ---- Import -----------------------------------------------------------------------------------

QWizardPage* ImportWizard::makeImportPage() {
    auto* page = new ImportRunPage(this);
    page->setTitle(tr("Importing"));
    page->setSubTitle(tr("Your transactions are written in one step: Cancel leaves the vault "
                         "exactly as it was."));
    page->setCommitPage(true);
    page->setButtonText(QWizard::CommitButton, tr("Importing…"));
    auto* layout = new QVBoxLayout(page);
    layout->setSpacing(10);
    layout->addSpacing(24);
    m_importStatus = paragraph(QString(), page);
    QFont bigger = m_importStatus->font();
    bigger.setPointSizeF(bigger.pointSizeF() * 1.15);
    m_importStatus->setFont(bigger);
    layout->addWidget(m_importStatus);
    m_importProgress = new QProgressBar(page);
    m_importProgress->setRange(0, 1000);
    m_importProgress->setTextVisible(false);
    m_importProgress->setFixedHeight(10);
    layout->addWidget(m_importProgress);
    auto* hint = paragraph(tr("Cancel stops the import: nothing is written until every row is "
                              "in."),
                           page);
    setMuted(hint);
    layout->addWidget(hint);
    layout->addStretch(1);
    return page;
}

void ImportWizard::cancelImport() {
    if (m_importCancel) {
        m_importCancel->store(true);
        m_importStatus->setText(tr("Cancelling… nothing will be written."));
    }
}

namespace {
struct ImportRun {
    bool ok = false;
    bool cancelled = false;
    import::ImportSummary summary;
    QString error;
};
} // namespace

void ImportWizard::startImport() {
    m_outcome = Outcome::None;
    m_summary = {};
    m_outcomeMessage.clear();
    const std::shared_ptr<const vault::Vault> vault = m_controller->vault();
    if (!vault) {
        importFinished(Result<import::ImportSummary>::failure(tr("The vault is locked.")), false);
        return;
    }
    QList<qint64> sizes;
    m_importTotalBytes = 0;
    for (const QString& f : m_files) {
        sizes.append(QFileInfo(f).size());
        m_importTotalBytes += sizes.last();
    }
    m_importProgress->setValue(0);
    const int rows = int(qMin<qint64>(m_preview ? m_preview->ready() : 0, INT_MAX));
    m_importStatus->setText(
        m_files.size() == 1
            ? tr("Importing %Ln row(s) from %1…", nullptr, rows)
                  .arg(QFileInfo(m_files.first()).fileName().toHtmlEscaped())
            : tr("Importing %Ln row(s) from %1 files…", nullptr, rows).arg(m_files.size()));
    auto cancel = std::make_shared<std::atomic<bool>>(false);
    auto bytes = std::make_shared<std::atomic<qint64>>(0);
    auto fileIndex = std::make_shared<std::atomic<int>>(0);
    m_importCancel = cancel;
    m_importBytes = bytes;
    m_importFile = fileIndex;
    button(QWizard::CancelButton)->setEnabled(true);

    auto* poll = new QTimer(this);
    connect(poll, &QTimer::timeout, this, [this, bytes, fileIndex, cancel] {
        if (cancel->load())
            return;
        if (m_importTotalBytes > 0)
            m_importProgress->setValue(int(bytes->load() * 1000 / m_importTotalBytes));
        const int i = fileIndex->load();
        if (m_files.size() > 1 && i < m_files.size()) {
            m_importStatus->setText(tr("Importing file %1 of %2: %3")
                                        .arg(i + 1)
                                        .arg(m_files.size())
                                        .arg(QFileInfo(m_files.at(i)).fileName().toHtmlEscaped()));
        }
    });
    poll->start(100);
    const QStringList files = m_files;
    const bool partial = isPartial();
    auto* watcher = new QFutureWatcher<ImportRun>(this);
    connect(watcher, &QFutureWatcher<ImportRun>::finished, this, [this, watcher, poll, cancel] {
        watcher->deleteLater();
        poll->deleteLater();
        if (cancel != m_importCancel)
            return; // the vault was locked meanwhile
        const ImportRun run = watcher->result();
        m_importCancel.reset();
        importFinished(run.ok ? Result<import::ImportSummary>(run.summary)
                              : Result<import::ImportSummary>::failure(run.error),
                       run.cancelled);
    });
    watcher->setFuture(
        app::runInBackground([vault, files, sizes, partial, cancel, bytes, fileIndex] {
            ImportRun run;
            app::WorkerConnection connection(*vault);
            if (!connection.isOpen()) {
                run.error = connection.error();
                return run;
            }
            const Result<QString> owner = store::LocalUser::ensure(connection.database());
            if (!owner) {
                run.error = owner.error();
                return run;
            }
            import::ImportOptions options;
            options.partial = partial;
            options.cancel = cancel.get();
            options.progress = [&sizes, bytes, fileIndex](const import::ImportProgress& p) {
                qint64 before = 0;
                for (int i = 0; i < p.fileIndex && i < sizes.size(); ++i)
                    before += sizes.at(i);
                bytes->store(before + p.bytesDone);
                fileIndex->store(p.fileIndex);
            };
            import::Importer importer(connection.database(), owner.value());
            const Result<import::ImportSummary> result = importer.run(files, options);
            run.cancelled = importer.cancelled() || cancel->load();
            run.ok = result.ok();
            if (result)
                run.summary = result.value();
            else
                run.error = result.error();
            return run;
        }));
}

void ImportWizard::importFinished(const Result<import::ImportSummary>& result, bool cancelled) {
    m_importCancel.reset();
    if (cancelled) {
        m_outcome = Outcome::Cancelled;
        m_outcomeMessage = tr("The import was cancelled. Nothing was written to your vault.");
    } else if (!result) {
        m_outcome = Outcome::Failed;
        m_outcomeMessage =
            tr("The import failed and nothing was written to your vault: %1").arg(result.error());
    } else if (!result->committed) {
        m_summary = result.value();
        m_outcome = Outcome::Refused;
        m_outcomeMessage =
            tr("Nothing was imported: %Ln row(s) have problems and you chose all or nothing. Fix "
               "the file, or go back and import the valid rows only.",
               nullptr, int(qMin<qint64>(m_summary.badRecords, INT_MAX)));
    } else {
        m_summary = result.value();
        m_outcome = Outcome::Imported;
        m_outcomeMessage = tr("%Ln transaction(s) imported.", nullptr,
                              int(qMin<qint64>(m_summary.imported, INT_MAX)));
        // The vault changed: a new preview would count these rows as duplicates.
        m_previewStale = true;
        emit imported(m_summary.imported);
    }
    next();
}

// ---- Result -----------------------------------------------------------------------------------

QWizardPage* ImportWizard::makeResultPage() {
    auto* page = new QWizardPage(this);
    page->setTitle(tr("Import finished"));
    page->setSubTitle(tr("What was written to your vault."));
    auto* layout = new QVBoxLayout(page);
    auto* head = new QHBoxLayout;
    m_resultIcon = new QLabel(page);
    m_resultIcon->setFixedSize(40, 40);
    head->addWidget(m_resultIcon, 0, Qt::AlignTop);
    auto* texts = new QVBoxLayout;
    m_resultTitle = new QLabel(page);
    QFont big = m_resultTitle->font();
    big.setPointSizeF(big.pointSizeF() * 1.3);
    big.setBold(true);
    m_resultTitle->setFont(big);
    texts->addWidget(m_resultTitle);
    m_resultText = paragraph(QString(), page);
    m_resultText->setObjectName(QStringLiteral("resultText"));
    m_resultText->setTextFormat(Qt::PlainText);
    texts->addWidget(m_resultText);
    head->addLayout(texts, 1);
    layout->addLayout(head);
    layout->addSpacing(12);

    m_resultTiles = new QWidget(page);
    auto* tiles = new QHBoxLayout(m_resultTiles);
    tiles->setContentsMargins(0, 0, 0, 0);
    tiles->setSpacing(10);
    m_importedTile = makeTile(m_resultTiles);
    m_skippedTile = makeTile(m_resultTiles);
    m_dupTile = makeTile(m_resultTiles);
    tiles->addWidget(m_importedTile);
    tiles->addWidget(m_dupTile);
    tiles->addWidget(m_skippedTile);
    layout->addWidget(m_resultTiles);
    layout->addSpacing(12);

    auto* buttons = new QHBoxLayout;
    m_showTransactions = new QPushButton(Icons::icon(QStringLiteral("transactions")),
                                         tr("&Show in Transactions"), page);
    m_showTransactions->setObjectName(QStringLiteral("showTransactions"));
    m_tryAgain = new QPushButton(tr("&Back to the preview"), page);
    m_tryAgain->setObjectName(QStringLiteral("backToPreview"));
    buttons->addWidget(m_showTransactions);
    buttons->addWidget(m_tryAgain);
    buttons->addStretch();
    layout->addLayout(buttons);
    layout->addStretch();
    connect(m_showTransactions, &QPushButton::clicked, this, [this] {
        emit showTransactionsRequested();
        accept();
    });
    connect(m_tryAgain, &QPushButton::clicked, this, [this] {
        restart();
        next();
    });
    connect(this, &QWizard::currentIdChanged, this, [this](int id) {
        if (id == ResultPage)
            showResult();
    });
    return page;
}

void ImportWizard::showResult() {
    const bool imported = m_outcome == Outcome::Imported;
    const PreviewRow::State state =
        imported ? PreviewRow::State::Ready
                 : (m_outcome == Outcome::Cancelled ? PreviewRow::State::Duplicate
                                                    : PreviewRow::State::Problem);
    m_resultIcon->setPixmap(ImportPreviewModel::badge(state).pixmap(40, 40));
    m_resultTitle->setText(imported                          ? tr("Import complete")
                           : m_outcome == Outcome::Cancelled ? tr("Import cancelled")
                           : m_outcome == Outcome::Refused   ? tr("Nothing imported")
                                                             : tr("Import failed"));
    m_resultText->setText(m_outcomeMessage);
    m_resultTiles->setVisible(imported);
    setTile(m_importedTile, m_summary.imported, tr("imported"),
            imported ? Theme::positive() : Theme::mutedText());
    setTile(m_dupTile, m_summary.duplicates, tr("duplicates skipped"), Theme::mutedText());
    setTile(m_skippedTile, m_summary.badRecords, tr("rows with problems skipped"),
            m_summary.badRecords > 0 ? Theme::negative() : Theme::mutedText());
    m_showTransactions->setVisible(imported);
    m_tryAgain->setVisible(!imported);
}

} // namespace llamadesk::ui
