#pragma once
// Secondary indexes a first sync builds once, after it has loaded an empty table, instead of row by
// row. A new configuration's organization and serial number land at random places in their
// indexes, and those two inserts were about a third of the cost of writing one (issue 4, at 200,000
// configurations: 57 µs a record with them, 39 µs without, and 3 µs a record to build them after).
// SQLite only: PostgreSQL keeps its indexes throughout.
#include <span>
#include <string>
#include <vector>

#include "store/database.h"

namespace soci {
class session;
}  // namespace soci

namespace cairn::store {

struct DeferrableIndex {
  const char* name;
  const char* table;
  const char* definition;  // what follows "ON ", as migration 1 created it
};

// The indexes a run may defer: those on the tables a sync fills, whose keys arrive in random order.
std::span<const DeferrableIndex> deferrable_indexes();

// Builds any deferrable index that is missing: after a run that was killed while it deferred them.
// Cheap when they are all there.
void restore_deferred_indexes(soci::session& s, Dialect d);

// For one run: drops the deferrable indexes of the tables that are empty when it starts, and
// builds them again in restore() or, at the latest and quietly, in the destructor.
class DeferredIndexes {
 public:
  DeferredIndexes(soci::session& s, Dialect d);
  ~DeferredIndexes();
  DeferredIndexes(const DeferredIndexes&) = delete;
  DeferredIndexes& operator=(const DeferredIndexes&) = delete;

  // The indexes this run dropped, by name.
  const std::vector<std::string>& deferred() const { return deferred_; }
  // Builds the dropped indexes again; throws what the database says if it cannot.
  void restore();

 private:
  soci::session& s_;
  Dialect d_;
  std::vector<std::string> deferred_;
};

}  // namespace cairn::store
