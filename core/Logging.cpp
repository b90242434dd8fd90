#include "Logging.h"

Q_LOGGING_CATEGORY(lcStore, "llamadesk.store")
Q_LOGGING_CATEGORY(lcVault, "llamadesk.vault")
Q_LOGGING_CATEGORY(lcMoney, "llamadesk.money")
Q_LOGGING_CATEGORY(lcTax, "llamadesk.tax")
Q_LOGGING_CATEGORY(lcImport, "llamadesk.import")
Q_LOGGING_CATEGORY(lcSync, "llamadesk.sync")
Q_LOGGING_CATEGORY(lcCli, "llamadesk.cli")
