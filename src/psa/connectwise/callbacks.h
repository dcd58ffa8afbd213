#pragma once
// ConnectWise callbacks (psa-apis.md §1.7) as Cairn receives them: the payload, its
// x-content-signature checked with the signing key ConnectWise serves at Metadata.key_url, and
// the registrations (POST /system/callbacks) that make ConnectWise send them.
#include <chrono>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "core/error.h"
#include "net/http_client.h"
#include "psa/change_notice.h"
#include "psa/connectwise/client.h"

namespace cairn::psa::connectwise {

// The callback types Cairn registers, one per entity it syncs that ConnectWise calls back for
// (sites fire no callbacks).
const std::vector<std::string>& callback_types();

struct Callback {
  ParsedNotice notice;
  std::string key_url;  // Metadata.key_url: where the signing key is served
};
// The callback body, or an error saying what is wrong with it.
core::Result<Callback> parse_callback(const std::string& body);

// base64(HMAC-SHA256(key = SHA256(signing_key), message = body)) equals the header, compared in
// constant time.
bool callback_signature_ok(const std::string& signing_key, const std::string& body, const std::string& header);

// True when key_url is served by site (same scheme, host and port): a callback must not name
// a key server of the sender's choosing.
bool key_url_belongs_to(const std::string& key_url, const std::string& site);

// GETs the signing key at key_url ({"signing_key":"…"}) with the clientId header; throws
// ApiError with the reason.
std::string fetch_signing_key(net::HttpClient& http, const std::string& key_url, const std::string& client_id);

// Signing keys by key_url, fetched on first use. A key that does not match is fetched again (at
// most once a minute per key_url), so a key ConnectWise replaced is picked up while a stream of
// forged callbacks cannot make Cairn fetch on every request.
class SigningKeys {
 public:
  using Fetch = std::function<std::string(const std::string& key_url)>;
  explicit SigningKeys(std::chrono::seconds refetch_after = std::chrono::seconds(60)) : refetch_after_(refetch_after) {}
  // Throws what fetch throws.
  bool verify(const std::string& key_url, const std::string& body, const std::string& header, const Fetch& fetch);

 private:
  struct Entry {
    std::string key;
    std::chrono::steady_clock::time_point fetched;
  };
  std::chrono::seconds refetch_after_;
  std::mutex mutex_;
  std::map<std::string, Entry> keys_;
};

// The callbacks registered for url, of every type.
std::vector<NoticeRegistration> list_callbacks(Client& client, const std::string& url);
// Registers url for every callback type that has no registration for it yet (level owner,
// objectId 1: every record; isSelfSuppressedFlag, so Cairn's own writes do not echo back).
std::vector<NoticeRegistration> register_callbacks(Client& client, const std::string& url, const std::string& description);

}  // namespace cairn::psa::connectwise
