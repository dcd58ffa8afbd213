#pragma once
// The documentation resources of core/schema.h over HTTP, IT Glue's way: collections, members,
// nested /organizations/:id/relationships/... routes, bulk PATCH and bulk DELETE.
#include "api/context.h"

namespace cairn::api {

// Answers the request when its path names a resource; false when it does not (a 404 then).
bool handle_resource(Context& c);

}  // namespace cairn::api
