#pragma once

// Every typed repository over the local schema. Code above core/store reads and writes the
// vault only through these: no SQL is written anywhere else.
#include "store/AlertRepository.h"
#include "store/DashboardRepository.h"
#include "store/LotRepository.h"
#include "store/PortfolioRepository.h"
#include "store/ReportRepository.h"
#include "store/TransactionRepository.h"
