#include "api/integration_routes.h"

namespace cairn::api {

void add_integration_routes(App&) {}

}  // namespace cairn::api
