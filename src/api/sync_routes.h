#pragma once
// Sync actions in the API: POST /integrations/:id/actions/plan (a dry run, answered at once) and
// /actions/sync (queued on the scheduler). The sync log and audit trail are plain resources
// (/sync_runs, /audit_events). The push actions of records come with them (push_routes.h).
#include <optional>

#include "api/app.h"
#include "store/integrations.h"

namespace cairn::sync {
class Scheduler;
}

namespace cairn::api {

// The integration whose id is the path's second segment (/integrations/:id/…, /webhooks/:id),
// or nullopt after answering 404 (or 500 without a master key).
std::optional<store::Integration> load_integration(Context& c);

// scheduler may be null (no background runs): then /actions/sync answers 503.
void add_sync_routes(App& app, sync::Scheduler* scheduler);

}  // namespace cairn::api
