#pragma once
// Actions on one record that can sync with a PSA: POST /{organizations,locations,contacts,
// configurations}/:id/actions/NAME, for editors. The action runs in one transaction; an error
// it returns is answered and nothing it wrote is kept; otherwise it commits and the record is
// answered, as GET /{type}/:id would.
#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "api/app.h"
#include "core/error.h"
#include "core/schema.h"
#include "store/audit.h"
#include "store/database.h"

namespace soci {
class session;
}

namespace cairn::api {

struct RecordActionContext {
  soci::session& session;
  store::Dialect dialect;
  const core::EntitySchema& schema;
  std::int64_t id;
  store::Actor actor;
};

using RecordAction = std::function<std::optional<core::Error>(RecordActionContext&)>;

// after_commit: what to do once the change is kept (wake a worker).
void add_record_action(App& app, const std::string& name, RecordAction act, std::function<void()> after_commit = {});

}  // namespace cairn::api
