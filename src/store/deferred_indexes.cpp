#include "store/deferred_indexes.h"

#include <soci/soci.h>

namespace cairn::store {

namespace {

constexpr DeferrableIndex kIndexes[] = {
    {"configurations_org", "configurations", "configurations (organization_id, configuration_type_id, name)"},
    {"configurations_serial", "configurations", "configurations (serial_number)"},
    {"contacts_org", "contacts", "contacts (organization_id, first_name, last_name)"},
    {"contact_emails_value", "contact_emails", "contact_emails (value)"},
};

void create(soci::session& s, const DeferrableIndex& i) {
  s << std::string("CREATE INDEX IF NOT EXISTS ") + i.name + " ON " + i.definition;
}

bool table_empty(soci::session& s, const char* table) {
  int any = 0;
  soci::indicator ind = soci::i_null;
  s << std::string("SELECT 1 FROM ") + table + " LIMIT 1", soci::into(any, ind);
  return !s.got_data();
}

}  // namespace

std::span<const DeferrableIndex> deferrable_indexes() { return kIndexes; }

void restore_deferred_indexes(soci::session& s, Dialect d) {
  if (d != Dialect::Sqlite) return;
  for (const auto& i : kIndexes) create(s, i);
}

DeferredIndexes::DeferredIndexes(soci::session& s, Dialect d) : s_(s), d_(d) {
  if (d_ != Dialect::Sqlite) return;
  // One transaction: another run starting now sees all of them or none of them dropped.
  Transaction tx(s_, d_);
  for (const auto& i : kIndexes) {
    if (!table_empty(s_, i.table)) {
      create(s_, i);  // a killed run's
      continue;
    }
    s_ << std::string("DROP INDEX IF EXISTS ") + i.name;
    deferred_.emplace_back(i.name);
  }
  tx.commit();
}

void DeferredIndexes::restore() {
  if (deferred_.empty()) return;
  // Building reads the whole table; through the memory map its pages would all stay resident
  // (254 MB at a million configurations, over the 500 MB aim), through the page cache they don't.
  long long mapped = 0;
  s_ << "PRAGMA mmap_size", soci::into(mapped);
  s_ << "PRAGMA mmap_size=0";
  try {
    Transaction tx(s_, d_);
    for (const auto& i : kIndexes)
      for (const auto& name : deferred_)
        if (name == i.name) create(s_, i);
    tx.commit();
  } catch (...) {
    s_ << "PRAGMA mmap_size=" + std::to_string(mapped);
    throw;
  }
  s_ << "PRAGMA mmap_size=" + std::to_string(mapped);
  deferred_.clear();
}

DeferredIndexes::~DeferredIndexes() {
  try {
    restore();
  } catch (const std::exception&) {
    // A run that ends normally calls restore() and reports its failure; here the session is
    // likely gone. The next run, or the next open of the database, builds them.
  }
}

}  // namespace cairn::store
