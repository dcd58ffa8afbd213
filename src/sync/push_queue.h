#pragma once
// D14 and D16 at save time, inside the caller's transaction, so an edit and its outbox row are
// written together or not at all. Each returns true when it wrote a row for a pusher to send:
// the caller rings the outbox bell (store/outbox.h) after its commit.
#include <cstdint>

#include "core/schema.h"
#include "store/database.h"
#include "store/records.h"

namespace soci {
class session;
}

namespace cairn::sync {

// A person saved `after` (was `before`). A linked record with two-way on queues an update of
// the two-way attributes that changed (only those); an unlinked one is a create (R14: the save
// is the person's confirmation).
bool queue_update(soci::session& s, store::Dialect d, const core::EntitySchema& schema, const store::Record& before,
                  const store::Record& after);

// A person created record `id` (or saved it while unlinked). In an organization linked to an
// integration with two-way on, it is queued for creation in the PSA when D16's rules allow,
// else marked not-pushed with the reason. `bulk`: one of several records in one request (R15).
bool queue_create(soci::session& s, store::Dialect d, const core::EntitySchema& schema, std::int64_t id, bool bulk);

}  // namespace cairn::sync
