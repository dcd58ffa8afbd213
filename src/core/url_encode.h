#pragma once
// Percent-encoding of URL parts, one implementation for connectors, the API's links and the
// emulators; each says which characters beyond RFC 3986's unreserved ones it keeps as they are.
#include <string>
#include <string_view>

namespace cairn::core {

// "a b/c" → "a%20b%2Fc"; characters in `also_keep` (ConnectWise paths keep "/,") stay as they are.
std::string url_encode(std::string_view s, std::string_view also_keep = {});

}  // namespace cairn::core
