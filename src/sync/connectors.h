#pragma once
// The connector for an integration's PSA.
#include <memory>
#include <optional>

#include "psa/source.h"
#include "store/database.h"
#include "store/integrations.h"

namespace cairn::sync {

// Throws std::runtime_error naming what is missing (a credential, or a connector not built yet).
// CAIRN_CA_FILE names an extra CA bundle for PSAs behind a private CA; CAIRN_AUTOTASK_ZONE_LOOKUP_URL
// replaces Autotask's zone look-up host (for emulators).
std::unique_ptr<psa::Source> make_source(const store::Integration& integration);

// The integration with its credentials decrypted, or nullopt when there is none with that id
// (background runs read it afresh: it may have changed or gone since they were queued). Throws
// std::runtime_error when the master key is missing.
std::optional<store::Integration> read_integration(store::Database& db, std::int64_t id);

}  // namespace cairn::sync
