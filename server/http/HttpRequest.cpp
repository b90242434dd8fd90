#include "HttpRequest.h"

namespace llamadesk::server {

QByteArray HttpRequest::header(const QByteArray& lowerName) const {
    for (const auto& h : headers) {
        if (h.first == lowerName)
            return h.second;
    }
    return {};
}

bool HttpRequest::hasHeader(const QByteArray& lowerName) const {
    for (const auto& h : headers) {
        if (h.first == lowerName)
            return true;
    }
    return false;
}

} // namespace llamadesk::server
