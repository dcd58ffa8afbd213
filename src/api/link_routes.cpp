#include "api/link_routes.h"

#include <soci/soci.h>

#include "api/record_actions.h"
#include "store/psa_links.h"

namespace cairn::api {
namespace {

RecordAction switch_sync(bool enable) {
  return [enable](RecordActionContext& a) -> std::optional<core::Error> {
    std::string psa_id, state;
    long long integration_id = 0;
    soci::indicator ind = soci::i_null;
    a.session << "SELECT psa_id, integration_id, state FROM psa_links WHERE entity = :e AND local_id = :l",
        soci::use(a.schema.link_entity), soci::use(a.id), soci::into(psa_id, ind), soci::into(integration_id),
        soci::into(state);
    if (ind != soci::i_ok)
      return core::conflict(a.schema.link_entity + " " + std::to_string(a.id) +
                            " is not linked to a PSA record; link it first (cairn link)");
    store::PsaLinks links(a.session, a.dialect);
    // Already in the state asked for: nothing changes, and nothing goes to the audit trail.
    if (enable && state != "syncing") {
      if (auto done = links.link(integration_id, a.schema.link_entity, a.id, psa_id, a.actor); !done) return done.error();
    } else if (!enable && state != "disabled") {
      if (auto done = links.unlink(a.schema.link_entity, a.id, a.actor); !done) return done.error();
    }
    return std::nullopt;
  };
}

}  // namespace

void add_link_routes(App& app) {
  add_record_action(app, "disable-sync", switch_sync(false));
  add_record_action(app, "enable-sync", switch_sync(true));
}

}  // namespace cairn::api
