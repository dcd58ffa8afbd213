#pragma once
// A record's sync switch in the API (R24, D18): POST /{type}/:id/actions/disable-sync stops the
// record syncing, so it can be edited freely or deleted; /actions/enable-sync lets it sync with
// the same PSA record again. Both answer the record, with its psa-sync-state.
#include "api/app.h"

namespace cairn::api {

void add_link_routes(App& app);

}  // namespace cairn::api
