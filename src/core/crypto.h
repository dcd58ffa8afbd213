#pragma once
// The digests PSA webhooks and request signatures use (OpenSSL underneath), and base64: the
// emulators sign with them and Cairn checks with them.
#include <optional>
#include <string>
#include <string_view>

namespace cairn::core {

std::string sha256(std::string_view data);                             // 32 raw bytes
std::string hmac_sha256(std::string_view key, std::string_view data);  // 32 raw bytes
std::string hmac_sha1(std::string_view key, std::string_view data);    // 20 raw bytes
std::string base64(std::string_view bytes);
// Standard base64 (with padding) back to bytes; nullopt when the text is not base64.
std::optional<std::string> base64_decode(std::string_view text);
std::string hex(std::string_view bytes);
// Equal texts, compared in time that does not depend on where they differ (signature checks).
bool same_secret_text(std::string_view a, std::string_view b);
// Random bytes from OpenSSL's generator, as lowercase hex (2*n characters).
std::string random_hex(std::size_t n);
// A random RFC 4122 version-4 UUID.
std::string uuid4();

}  // namespace cairn::core
