#pragma once
// /integrations in the API (admin role).
#include "api/app.h"

namespace cairn::api {

void add_integration_routes(App& app);

}  // namespace cairn::api
