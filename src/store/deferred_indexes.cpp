#include "store/deferred_indexes.h"

#include <soci/soci.h>

namespace cairn::store {

namespace {

constexpr DeferrableIndex kIndexes[] = {
    {"configurations_org", "configurations", "configurations (organization_id, configuration_type_id, name)"},
    {"configurations_serial", "configurations", "configurations (serial_number)"},
    {"contacts_org", "contacts", "contacts (organization_id, first_name, last_name)"},
    {"contact_emails_value", "contact_emails", "contact_emails (value)"},
    {"audit_events_record", "audit_events", "audit_events (entity, record_id, id)", 10000},
    {"audit_events_run", "audit_events", "audit_events (run_id)", 10000},
    {"audit_events_at", "audit_events", "audit_events (at)", 10000},
};

void create(soci::session& s, const DeferrableIndex& i) {
  s << std::string("CREATE INDEX IF NOT EXISTS ") + i.name + " ON " + i.definition;
}

bool at_most(soci::session& s, const char* table, long long rows) {
  long long n = 0;
  s << std::string("SELECT COUNT(*) FROM (SELECT 1 FROM ") + table + " LIMIT " + std::to_string(rows + 1) + ")", soci::into(n);
  return n <= rows;
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
    if (!at_most(s_, i.table, i.defer_up_to)) {
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
