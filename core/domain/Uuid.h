#pragma once

#include <QString>
#include <QStringView>

namespace llamadesk {

// UUIDs are stored and compared as text in one canonical form: 36 characters, lowercase hex,
// hyphens at 8, 13, 18 and 23 ("1b4e28ba-2fa1-4d3b-8a5c-0b3f9d1e7c42"), as PostgreSQL prints them.
// Text equality is then UUID equality, on both sides of sync.

// A new random (version 4) UUID in canonical form, from the system's secure random source.
QString newUuid();

// True for exactly the canonical form (any version); false for uppercase, braces or other shapes.
bool isCanonicalUuid(QStringView text);

} // namespace llamadesk
