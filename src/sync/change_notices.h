#pragma once
// Registering Cairn's notice URL with a PSA that sends change notices (capability table:
// ConnectWise callbacks, Autotask webhooks), and listing what is registered. The PSA-specific
// parts live in the connectors (psa/connectwise/callbacks, psa/autotask/webhooks).
#include <cstdint>
#include <string>
#include <vector>

#include "psa/change_notice.h"
#include "store/audit.h"
#include "store/database.h"
#include "store/integrations.h"

namespace cairn::sync {

// public_url + "/webhooks/" + id: where the PSA posts an integration's notices.
std::string notice_url(std::string public_url, std::int64_t integration_id);

// Empty when the integration's PSA sends change notices; else why not ("Cairn polls …").
std::string notices_unsupported_reason(const store::Integration& integration);

// What is registered for url in the PSA. Throws std::runtime_error with the reason.
std::vector<psa::NoticeRegistration> list_notice_registrations(const store::Integration& integration,
                                                               const std::string& url);

// Registers url with the PSA, creating only what is missing. For Autotask the webhook secret
// is made first when the integration has none, and stored sealed with its credentials (the
// returned integration has it). Throws std::runtime_error with the reason.
std::vector<psa::NoticeRegistration> register_notices(store::Database& db, store::Integration& integration,
                                                      const std::string& url, const store::Actor& who);

}  // namespace cairn::sync
