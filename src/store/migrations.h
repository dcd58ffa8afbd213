#pragma once
// Versioned schema migrations, run at start. Each is SQL written once for both databases,
// with {id}, {bigint} and {now} standing for the dialect's own spelling.
#include "store/database.h"

namespace soci {
class session;
}

namespace cairn::store {

// Applies every migration newer than the database's version, each in its own transaction.
// Returns the version the database is at afterwards.
int run_migrations(soci::session& s, Dialect d);
int latest_migration();
int current_version(soci::session& s);

}  // namespace cairn::store
