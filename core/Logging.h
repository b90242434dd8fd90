#pragma once

#include <QLoggingCategory>

// One logging category per area. Never log keys, passphrases, tokens or decrypted values.
Q_DECLARE_LOGGING_CATEGORY(lcStore)
Q_DECLARE_LOGGING_CATEGORY(lcVault)
Q_DECLARE_LOGGING_CATEGORY(lcMoney)
Q_DECLARE_LOGGING_CATEGORY(lcTax)
Q_DECLARE_LOGGING_CATEGORY(lcImport)
Q_DECLARE_LOGGING_CATEGORY(lcSync)
Q_DECLARE_LOGGING_CATEGORY(lcCli)
