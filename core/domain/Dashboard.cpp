#include "Dashboard.h"

#include "domain/FieldValidator.h"

#include <limits>

namespace llamadesk {

QStringList Dashboard::validate() const {
    FieldValidator v;
    v.uuid("id", id);
    v.uuid("user_id", userId);
    v.text("name", name, 255, true);
    v.text("layout", layout, std::numeric_limits<int>::max(), true);
    if (!layout.trimmed().isEmpty())
        v.json("layout", layout);
    v.text("widgets", widgets, std::numeric_limits<int>::max(), true);
    if (!widgets.trimmed().isEmpty())
        v.json("widgets", widgets);
    v.text("share_token", shareToken, 255);
    if (shareToken && shareToken->trimmed().isEmpty())
        v.add(tr("share_token must not be blank; leave it empty instead."));
    if (shareToken && !isPublic)
        v.add(tr("A share_token is only meaningful for a public dashboard (is_public)."));
    v.integer("view_count", viewCount, 0, std::numeric_limits<qint32>::max());
    v.timestamp("created_at", createdAt);
    v.timestamp("updated_at", updatedAt);
    v.timestamp("deleted_at", deletedAt);
    return v.errors();
}

bool operator==(const Dashboard& a, const Dashboard& b) {
    return a.id == b.id && a.userId == b.userId && a.name == b.name &&
           a.description == b.description && a.isDefault == b.isDefault &&
           a.isPublic == b.isPublic && a.layout == b.layout && a.widgets == b.widgets &&
           a.shareToken == b.shareToken && a.viewCount == b.viewCount &&
           a.createdAt == b.createdAt && a.updatedAt == b.updatedAt && a.deletedAt == b.deletedAt &&
           a.rowVersion == b.rowVersion;
}

} // namespace llamadesk
