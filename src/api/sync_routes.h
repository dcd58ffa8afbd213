#pragma once
// Sync actions in the API: POST /integrations/:id/actions/plan (a dry run, answered at once) and
// /actions/sync (queued on the scheduler). The sync log and audit trail are plain resources
// (/sync_runs, /audit_events). The push actions of records come with them (push_routes.h).
#include "api/app.h"

namespace cairn::sync {
class Scheduler;
}

namespace cairn::api {

// scheduler may be null (no background runs): then /actions/sync answers 503.
void add_sync_routes(App& app, sync::Scheduler* scheduler);

}  // namespace cairn::api
