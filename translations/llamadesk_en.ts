<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en">
<context>
    <name>AlertEvaluator</name>
    <message numerus="yes">
        <source>%1 moved %2% in %n minute(s)</source>
        <translation>
            <numerusform>%1 moved %2% in %n minute</numerusform>
            <numerusform>%1 moved %2% in %n minutes</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>DemoData</name>
    <message numerus="yes">
        <source>DemoData: the vault already has %n transaction(s); sample data goes into an empty vault unless adding is asked for</source>
        <translation>
            <numerusform>DemoData: the vault already has %n transaction; sample data goes into an empty vault unless adding is asked for</numerusform>
            <numerusform>DemoData: the vault already has %n transactions; sample data goes into an empty vault unless adding is asked for</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>KeychainSecretStore</name>
    <message numerus="yes">
        <source>The system keychain did not answer within %n second(s).</source>
        <translation>
            <numerusform>The system keychain did not answer within %n second.</numerusform>
            <numerusform>The system keychain did not answer within %n seconds.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>llamadesk::ui::AlertBanner</name>
    <message numerus="yes">
        <source>%1 (and %n earlier alert(s))</source>
        <translation>
            <numerusform>%1 (and %n earlier alert)</numerusform>
            <numerusform>%1 (and %n earlier alerts)</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>llamadesk::ui::AlertsView</name>
    <message numerus="yes">
        <source>%n alert(s) triggered.</source>
        <translation>
            <numerusform>%n alert triggered.</numerusform>
            <numerusform>%n alerts triggered.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>llamadesk::ui::AppController</name>
    <message numerus="yes">
        <source>Please wait %n second(s) before trying again.</source>
        <translation>
            <numerusform>Please wait %n second before trying again.</numerusform>
            <numerusform>Please wait %n seconds before trying again.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>llamadesk::ui::DisposalTableModel</name>
    <message numerus="yes">
        <source>Lots acquired on %n different dates; select the row to see them.</source>
        <translation>
            <numerusform>Lots acquired on %n different dates; select the row to see them.</numerusform>
            <numerusform>Lots acquired on %n different dates; select the row to see them.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>llamadesk::ui::FirstRunWizard</name>
    <message numerus="yes">
        <source>%n sample transaction(s) added.</source>
        <translation>
            <numerusform>%n sample transaction added.</numerusform>
            <numerusform>%n sample transactions added.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>llamadesk::ui::ImportPreviewModel</name>
    <message numerus="yes">
        <source>%1 (+%n more)</source>
        <translation>
            <numerusform>%1 (+%n more)</numerusform>
            <numerusform>%1 (+%n more)</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>llamadesk::ui::ImportWizard</name>
    <message numerus="yes">
        <source>Reading %n file(s) and checking every row…</source>
        <translation>
            <numerusform>Reading %n file and checking every row…</numerusform>
            <numerusform>Reading %n files and checking every row…</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%1 · %Ln row(s) · %2</source>
        <translation>
            <numerusform>%1 · %Ln row(s) · %2</numerusform>
            <numerusform>%1 · %Ln row(s) · %2</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>&lt;b&gt;%1&lt;/b&gt; · %2 · %Ln row(s) · %3</source>
        <translation>
            <numerusform>&lt;b&gt;%1&lt;/b&gt; · %2 · %Ln row(s) · %3</numerusform>
            <numerusform>&lt;b&gt;%1&lt;/b&gt; · %2 · %Ln row(s) · %3</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln valid row(s) will be imported; the rows with problems are left out.</source>
        <translation>
            <numerusform>%Ln valid row(s) will be imported; the rows with problems are left out.</numerusform>
            <numerusform>%Ln valid row(s) will be imported; the rows with problems are left out.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>All %Ln row(s) will be imported in one step: a cancel leaves your vault as it was.</source>
        <translation>
            <numerusform>All %Ln row(s) will be imported in one step: a cancel leaves your vault as it was.</numerusform>
            <numerusform>All %Ln row(s) will be imported in one step: a cancel leaves your vault as it was.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Importing %Ln row(s) from %1…</source>
        <translation>
            <numerusform>Importing %Ln row(s) from %1…</numerusform>
            <numerusform>Importing %Ln row(s) from %1…</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Importing %Ln row(s) from %1 files…</source>
        <translation>
            <numerusform>Importing %Ln row(s) from %1 files…</numerusform>
            <numerusform>Importing %Ln row(s) from %1 files…</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Nothing was imported: %Ln row(s) have problems and you chose all or nothing. Fix the file, or go back and import the valid rows only.</source>
        <translation>
            <numerusform>Nothing was imported: %Ln row(s) have problems and you chose all or nothing. Fix the file, or go back and import the valid rows only.</numerusform>
            <numerusform>Nothing was imported: %Ln row(s) have problems and you chose all or nothing. Fix the file, or go back and import the valid rows only.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln transaction(s) imported.</source>
        <translation>
            <numerusform>%Ln transaction(s) imported.</numerusform>
            <numerusform>%Ln transaction(s) imported.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>llamadesk::ui::LotDrillDown</name>
    <message numerus="yes">
        <source>The cost is the sum of the %n lot(s) below; each takes its share of the proceeds.</source>
        <translation>
            <numerusform>The cost is the sum of the %n lot below; each takes its share of the proceeds.</numerusform>
            <numerusform>The cost is the sum of the %n lots below; each takes its share of the proceeds.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>UK rules report every disposal of a token on one day together (%n disposals).</source>
        <translation>
            <numerusform>UK rules report every disposal of a token on one day together (%n disposal).</numerusform>
            <numerusform>UK rules report every disposal of a token on one day together (%n disposals).</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n day(s)</source>
        <translation>
            <numerusform>%n day</numerusform>
            <numerusform>%n days</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>llamadesk::ui::MainWindow</name>
    <message numerus="yes">
        <source>Locked after %n minute(s) without activity.</source>
        <translation>
            <numerusform>Locked after %n minute without activity.</numerusform>
            <numerusform>Locked after %n minutes without activity.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>llamadesk::ui::PortfolioCards</name>
    <message numerus="yes">
        <source>%n holding(s) on %1 chain(s)</source>
        <translation>
            <numerusform>%n holding on %1 chain(s)</numerusform>
            <numerusform>%n holdings on %1 chain(s)</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>llamadesk::ui::PortfolioView</name>
    <message numerus="yes">
        <source>From %n daily return(s). Hover a figure for its definition.</source>
        <translation>
            <numerusform>From %n daily return. Hover a figure for its definition.</numerusform>
            <numerusform>From %n daily returns. Hover a figure for its definition.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n of %1 holding(s) · %2</source>
        <translation>
            <numerusform>%n of %1 holding · %2</numerusform>
            <numerusform>%n of %1 holdings · %2</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n holding(s) · %1</source>
        <translation>
            <numerusform>%n holding · %1</numerusform>
            <numerusform>%n holdings · %1</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>llamadesk::ui::SettingsView</name>
    <message numerus="yes">
        <source>Exported %n row(s) from %1 tables to %2.</source>
        <translation>
            <numerusform>Exported %n row from %1 tables to %2.</numerusform>
            <numerusform>Exported %n rows from %1 tables to %2.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>llamadesk::ui::TaxView</name>
    <message numerus="yes">
        <source>Tax report %1: %n disposal(s), %2 s</source>
        <translation>
            <numerusform>Tax report %1: %n disposal, %2 s</numerusform>
            <numerusform>Tax report %1: %n disposals, %2 s</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n disposal(s)</source>
        <translation>
            <numerusform>%n disposal</numerusform>
            <numerusform>%n disposals</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>llamadesk::ui::TransactionsView</name>
    <message numerus="yes">
        <source>delete %n transaction(s)</source>
        <translation>
            <numerusform>delete %n transaction</numerusform>
            <numerusform>delete %n transactions</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%L1 matching transaction(s)</source>
        <translation>
            <numerusform>%L1 matching transaction(s)</numerusform>
            <numerusform>%L1 matching transaction(s)</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%L1 transaction(s)</source>
        <translation>
            <numerusform>%L1 transaction(s)</numerusform>
            <numerusform>%L1 transaction(s)</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%L1 selected</source>
        <translation>
            <numerusform>%L1 selected</numerusform>
            <numerusform>%L1 selected</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Delete %n transaction(s)? You can undo this with %1.</source>
        <translation>
            <numerusform>Delete %n transaction? You can undo this with %1.</numerusform>
            <numerusform>Delete %n transactions? You can undo this with %1.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Deleted %n transaction(s). Press %1 to undo.</source>
        <translation>
            <numerusform>Deleted %n transaction. Press %1 to undo.</numerusform>
            <numerusform>Deleted %n transactions. Press %1 to undo.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Imported %n transaction(s).</source>
        <translation>
            <numerusform>Imported %n transaction.</numerusform>
            <numerusform>Imported %n transactions.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Exported %n transaction(s) to %1.</source>
        <translation>
            <numerusform>Exported %n transaction to %1.</numerusform>
            <numerusform>Exported %n transactions to %1.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>llamadesk::ui::UnlockScreen</name>
    <message numerus="yes">
        <source>Try again in %n second(s)</source>
        <translation>
            <numerusform>Try again in %n second</numerusform>
            <numerusform>Try again in %n seconds</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>llamadesk::vault::Vault</name>
    <message numerus="yes">
        <source>%n tax_transactions row(s) with a missing or stale tax_inputs record</source>
        <translation>
            <numerusform>%n tax_transactions row with a missing or stale tax_inputs record</numerusform>
            <numerusform>%n tax_transactions rows with a missing or stale tax_inputs record</numerusform>
        </translation>
    </message>
</context>
</TS>
