#pragma once
// Creating, changing and deleting documentation records with every rule that needs the store:
// required fields, value checks, references that must exist (and belong to the same
// organization), unique names, synced records that may not be deleted, and the audit trail.
// The caller owns the transaction, so a bulk request is all or nothing.
#include <cstdint>
#include <string>

#include "core/error.h"
#include "core/schema.h"
#include "store/audit.h"
#include "store/records.h"

namespace cairn::store {

class Documents {
 public:
  Documents(soci::session& s, Dialect d) : s_(s), d_(d), records_(s, d) {}

  // pointer: where the attributes sit in the request ("/data/attributes", "/data/2/attributes").
  core::Result<std::int64_t> create(const core::EntitySchema& e, const Changes& c, const Actor& who,
                                    const std::string& pointer = "/data/attributes");
  core::Result<Record> update(const core::EntitySchema& e, std::int64_t id, const Changes& c, const Actor& who,
                              const std::string& pointer = "/data/attributes");
  core::Result<bool> remove(const core::EntitySchema& e, std::int64_t id, const Actor& who);

  Records& records() { return records_; }

 private:
  std::optional<core::Error> validate(const core::EntitySchema& e, const Changes& c, const Record* existing,
                                      const std::string& pointer);
  soci::session& s_;
  Dialect d_;
  Records records_;
};

}  // namespace cairn::store
