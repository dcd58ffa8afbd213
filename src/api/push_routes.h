#pragma once
// A person's say over a failed push (D14): POST /{type}/:id/actions/retry-push sends the
// record's failed push again now; /actions/drop-push gives up on it. Both answer the record.
#include "api/app.h"

namespace cairn::api {

void add_push_routes(App& app);

}  // namespace cairn::api
