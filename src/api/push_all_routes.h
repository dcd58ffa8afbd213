#pragma once
// POST /integrations/:id/actions/push-all (admin): starts push-all (R17, D17) in the background
// and answers 202 with its sync run, whose counts show the progress (GET /sync_runs/:id). One
// push-all per integration at a time in this server: a second is a 409.
#include "api/app.h"

namespace cairn::api {

void add_push_all_routes(App& app);

}  // namespace cairn::api
