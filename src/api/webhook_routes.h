#pragma once
// PSA change notices in the API:
// - POST /webhooks/:integration-id takes ConnectWise callbacks and Autotask webhooks. It needs
//   no API key (the PSA has none to send): the PSA's signature authenticates it, and a missing or
//   wrong one is a 401 that changes nothing. A valid notice is answered 202 at once and the named
//   record is pulled by the NoticePuller.
// - POST /integrations/:id/actions/register-webhooks registers Cairn's notice URL with the PSA,
//   GET /integrations/:id/webhooks lists what is registered (admin role).
#include "api/app.h"

namespace cairn::sync {
class NoticePuller;
}

namespace cairn::api {

// puller may be null (a server that pulls nothing in the background): notices are then 503.
void add_webhook_routes(App& app, sync::NoticePuller* puller);

}  // namespace cairn::api
