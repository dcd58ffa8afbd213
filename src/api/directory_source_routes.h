#pragma once
// /directory_sources in the API (admin role): an organization's Active Directory (issue 7).
#include "api/app.h"

namespace cairn::api {

void add_directory_source_routes(App& app);

}  // namespace cairn::api
