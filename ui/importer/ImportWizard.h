#pragma once

#include "ImportPreview.h"
#include "import/Importer.h"

#include <QIcon>
#include <QWizard>

#include <atomic>
#include <memory>

class QCheckBox;
class QComboBox;
class QLabel;
class QProgressBar;
class QPushButton;
class QRadioButton;
class QTableView;
class QTreeWidget;

namespace llamadesk::ui {

class AppController;
class ImportPreviewModel;

// Imports ledger CSV files into the vault in three steps: choose the files (dialog or drag and
// drop), check the preview (detected format, counts, every bad row with its reasons, all or
// nothing versus good rows only), then import with progress and cancel, and see the outcome.
// Reading and writing run on worker threads with their own vault connections.
class ImportWizard : public QWizard {
    Q_OBJECT
public:
    enum PageId { FilesPage, PreviewPage, ImportPage, ResultPage };
    enum class Outcome { None, Imported, Refused, Cancelled, Failed };

    explicit ImportWizard(AppController* controller, QWidget* parent = nullptr);
    ~ImportWizard() override;

    // Adds CSV files to the list (ignores ones already in it and ones that do not exist).
    void addFiles(const QStringList& paths);
    void removeFile(int index);
    QStringList files() const { return m_files; }

    // The preview of the current file list (null until read).
    std::shared_ptr<const PreviewResult> preview() const { return m_preview; }
    bool isPreviewing() const { return bool(m_previewCancel); }
    bool isImporting() const { return bool(m_importCancel); }
    // Shows file `index` of the preview in the table.
    void showPreviewFile(int index);
    void setPartial(bool partial);
    bool isPartial() const;
    // Stops a running import; nothing is written.
    void cancelImport();

    Outcome outcome() const { return m_outcome; }
    const import::ImportSummary& summary() const { return m_summary; }
    QString outcomeMessage() const { return m_outcomeMessage; }
    // Bytes the running import has read (for tests and the progress bar).
    qint64 importBytesDone() const { return m_importBytes ? m_importBytes->load() : 0; }

    // For tests and screenshots.
    QTreeWidget* fileList() const { return m_fileList; }
    ImportPreviewModel* previewModel() const { return m_model; }
    QTableView* previewTable() const { return m_table; }
    QCheckBox* problemsOnly() const { return m_problemsOnly; }
    QComboBox* fileChooser() const { return m_fileChooser; }
    QLabel* resultLabel() const { return m_resultText; }
    QPushButton* showTransactionsButton() const { return m_showTransactions; }

    void done(int result) override;

    // The "import" line icon (an arrow into a tray) in the theme's text colour.
    static QIcon actionIcon();

public slots:
    void chooseFiles();

signals:
    // Rows were written to the vault: views listing transactions should reload.
    void imported(qint64 rows);
    // The user asked to see the imported rows.
    void showTransactionsRequested();

private:
    friend class ImportFilesPage;
    friend class ImportPreviewPage;
    friend class ImportRunPage;
    QWizardPage* makeFilesPage();
    QWizardPage* makePreviewPage();
    QWizardPage* makeImportPage();
    QWizardPage* makeResultPage();
    void refreshFileList();
    void startPreview();
    void cancelPreview();
    void previewFinished(const std::shared_ptr<PreviewResult>& result);
    void updatePreviewSummary();
    void spanProblemRows(int first, int last);
    void startImport();
    void importFinished(const Result<import::ImportSummary>& result, bool cancelled);
    void showResult();
    void stopWorkers();
    void onLock();

    AppController* m_controller;
    QStringList m_files;
    std::shared_ptr<const PreviewResult> m_preview;
    bool m_previewStale = true;
    std::shared_ptr<std::atomic<bool>> m_previewCancel;
    std::shared_ptr<std::atomic<qint64>> m_previewBytes;
    std::shared_ptr<std::atomic<bool>> m_importCancel;
    std::shared_ptr<std::atomic<qint64>> m_importBytes;
    std::shared_ptr<std::atomic<int>> m_importFile;
    qint64 m_importTotalBytes = 0;
    Outcome m_outcome = Outcome::None;
    import::ImportSummary m_summary;
    QString m_outcomeMessage;

    // Files page.
    QTreeWidget* m_fileList = nullptr;
    QPushButton* m_removeButton = nullptr;
    // Preview page.
    ImportPreviewModel* m_model = nullptr;
    QTableView* m_table = nullptr;
    QProgressBar* m_previewProgress = nullptr;
    QLabel* m_previewStatus = nullptr;
    QWidget* m_previewBody = nullptr;
    QComboBox* m_fileChooser = nullptr;
    QLabel* m_fileFacts = nullptr;
    QLabel* m_fileProblems = nullptr;
    QLabel* m_readyTile = nullptr;
    QLabel* m_duplicateTile = nullptr;
    QLabel* m_problemTile = nullptr;
    QCheckBox* m_problemsOnly = nullptr;
    QRadioButton* m_allOrNothing = nullptr;
    QRadioButton* m_partial = nullptr;
    QLabel* m_modeNote = nullptr;
    // Import page.
    QProgressBar* m_importProgress = nullptr;
    QLabel* m_importStatus = nullptr;
    QPushButton* m_cancelButton = nullptr;
    // Result page.
    QLabel* m_resultIcon = nullptr;
    QLabel* m_resultTitle = nullptr;
    QLabel* m_resultText = nullptr;
    QLabel* m_importedTile = nullptr;
    QLabel* m_skippedTile = nullptr;
    QLabel* m_dupTile = nullptr;
    QWidget* m_resultTiles = nullptr;
    QPushButton* m_showTransactions = nullptr;
    QPushButton* m_tryAgain = nullptr;
};

} // namespace llamadesk::ui
