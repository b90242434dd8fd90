#pragma once

#include "Result.h"
#include "tax/LotState.h"

#include <QByteArray>
#include <QCoreApplication>

namespace llamadesk::tax {

// The exact engine checkpoint (LotState) as bytes, for tax_checkpoints. Every amount keeps its
// 18 fractional digits (decimal text), so a state read back compares equal to the one written.
// Versioned: a state written by another format version is refused (the caller then recomputes
// from the beginning) rather than misread.
class LotStateCodec {
    Q_DECLARE_TR_FUNCTIONS(LotStateCodec)

public:
    static constexpr quint32 kFormatVersion = 1;

    static QByteArray encode(const LotState& state);
    static Result<LotState> decode(const QByteArray& bytes);
};

} // namespace llamadesk::tax
