#include "sync/engine.h"

#include <nlohmann/json.hpp>
#include <soci/soci.h>
#include <spdlog/spdlog.h>

#include <soci/connection-pool.h>

#include <chrono>
#include <optional>
#include <set>
#include <string_view>
#include <unordered_map>
#include <unordered_set>

#include "core/json_text.h"
#include "core/psa_capabilities.h"
#include "core/schema.h"
#include "core/time.h"
#include "store/audit.h"
#include "store/deferred_indexes.h"
#include "store/prepared.h"
#include "store/record_inserter.h"
#include "store/records.h"
#include "store/row_inserter.h"
#include "sync/planner.h"
#include "sync/prefetch.h"
#include "sync/write_behind.h"

namespace cairn::sync {

using core::SyncEntity;
using Clock = std::chrono::steady_clock;

namespace {

// The SQLite page cache of a run's writing session (store::WriteCache): at a million
// configurations 16 MB missed on most index inserts; this much keeps peak RSS under 500 MB.
constexpr int kWriteCacheMib = 96;
// How often the planner's thread checkpoints the WAL the writer fills (store::checkpoint_wal):
// every 2,000 records at the default batch, a few megabytes of WAL.
constexpr int kCheckpointEveryBatches = 4;
const SyncEntity kOrder[] = {SyncEntity::Organization, SyncEntity::Location, SyncEntity::Contact,
                             SyncEntity::Configuration};

const char* kLookupTables[] = {"organization_types", "organization_statuses", "configuration_types",
                               "configuration_statuses", "contact_types", "manufacturers", "models",
                               "operating_systems", "countries", "regions"};

std::optional<std::string> text_col(const soci::row& r, size_t i) {
  if (r.get_indicator(i) != soci::i_ok) return std::nullopt;
  return r.get<std::string>(i);
}

core::Value int_or_null(const std::optional<std::string>& t) {
  if (!t || t->empty()) return {};
  return core::Value(static_cast<std::int64_t>(std::stoll(*t)));
}
core::Value text_or_null(const std::optional<std::string>& t) { return t ? core::Value(*t) : core::Value(); }

// The unlinked records of an entity, with the attributes its match key reads.
void load_unlinked(soci::session& s, SyncEntity e, const std::string& kind, LocalState& local) {
  std::string entity = core::link_entity(e);
  std::string not_linked = " WHERE NOT EXISTS (SELECT 1 FROM psa_links l WHERE l.entity = '" + entity + "' AND l.local_id = b.id)";
  std::string sql;
  switch (e) {
    case SyncEntity::Organization:
      sql = "SELECT CAST(b.id AS TEXT), b.name FROM organizations b" + not_linked;
      break;
    case SyncEntity::Contact:
      sql = "SELECT CAST(b.id AS TEXT), CAST(b.organization_id AS TEXT), b.first_name, b.last_name FROM contacts b" + not_linked;
      break;
    case SyncEntity::Configuration:
      sql = "SELECT CAST(b.id AS TEXT), CAST(b.organization_id AS TEXT), CAST(b.configuration_type_id AS TEXT), b.name, "
            "b.serial_number, b.mac_address FROM configurations b" + not_linked;
      break;
    case SyncEntity::Location:
      sql = "SELECT CAST(b.id AS TEXT), CAST(b.organization_id AS TEXT), b.name, b.address_1, b.address_2, b.city, r.name, c.name "
            "FROM locations b LEFT JOIN regions r ON r.id = b.region_id LEFT JOIN countries c ON c.id = b.country_id" + not_linked;
      break;
  }
  auto index = std::make_unique<LocalIndex>(match_key(kind, e));
  soci::rowset<soci::row> rs = (s.prepare << sql);
  for (const auto& row : rs) {
    LocalRecord lr;
    lr.id = std::stoll(row.get<std::string>(0));
    switch (e) {
      case SyncEntity::Organization:
        lr.values["name"] = text_or_null(text_col(row, 1));
        lr.label = text_col(row, 1).value_or("");
        break;
      case SyncEntity::Contact:
        lr.values["organization_id"] = int_or_null(text_col(row, 1));
        lr.values["first_name"] = text_or_null(text_col(row, 2));
        lr.values["last_name"] = text_or_null(text_col(row, 3));
        lr.label = text_col(row, 2).value_or("") + " " + text_col(row, 3).value_or("");
        break;
      case SyncEntity::Configuration:
        lr.values["organization_id"] = int_or_null(text_col(row, 1));
        lr.values["configuration_type_id"] = int_or_null(text_col(row, 2));
        lr.values["name"] = text_or_null(text_col(row, 3));
        lr.values["serial_number"] = text_or_null(text_col(row, 4));
        lr.values["mac_address"] = text_or_null(text_col(row, 5));
        lr.label = text_col(row, 3).value_or("");
        break;
      case SyncEntity::Location: {
        const char* names[] = {"organization_id", "name", "address_1", "address_2", "city", "region_name", "country_name"};
        lr.values["organization_id"] = int_or_null(text_col(row, 1));
        for (size_t i = 2; i <= 7; ++i) lr.values[names[i - 1]] = text_or_null(text_col(row, i));
        lr.label = text_col(row, 2).value_or("");
        break;
      }
    }
    index->add(std::move(lr));
  }
  local.unlinked[e] = std::move(index);
}

// The integration's links (of one entity, or of all), a thousand rows a fetch: a resync reads one
// per record it has synced, and row-by-row reading was a large part of a resync's time.
void load_links(soci::session& s, std::int64_t integration_id, LocalState& local, std::optional<SyncEntity> only = {}) {
  const size_t batch = 1000;
  std::vector<std::string> entity(batch), psa_id(batch), local_id(batch), state(batch), print(batch);
  std::vector<soci::indicator> print_ind(batch);
  long long integration = integration_id;
  std::string only_entity = only ? core::link_entity(*only) : "";
  soci::statement st(s);
  st.alloc();
  st.prepare(std::string("SELECT entity, psa_id, CAST(local_id AS TEXT), state, fingerprint FROM psa_links "
                         "WHERE integration_id = :i") + (only ? " AND entity = :e" : ""));
  st.exchange(soci::use(integration));
  if (only) st.exchange(soci::use(only_entity));
  st.exchange(soci::into(entity));
  st.exchange(soci::into(psa_id));
  st.exchange(soci::into(local_id));
  st.exchange(soci::into(state));
  st.exchange(soci::into(print, print_ind));
  st.define_and_bind();
  bool got = st.execute(true);
  while (got) {
    const size_t rows = entity.size();
    for (size_t i = 0; i < rows; ++i)
      for (auto e : kOrder)
        if (entity[i] == core::link_entity(e)) {
          local.links[e][std::move(psa_id[i])] =
              LinkInfo{std::stoll(local_id[i]), print_ind[i] == soci::i_ok ? std::move(print[i]) : std::string(),
                       std::move(state[i]), false};
          break;
        }
    if (rows < batch) break;
    for (auto* column : {&entity, &psa_id, &local_id, &state, &print}) column->resize(batch);
    print_ind.resize(batch);
    got = st.fetch();
  }
}

// A stored record as the planner compares it: every attribute, with names behind references.
LocalRecord to_local(const core::EntitySchema& schema, const store::Record& r) {
  LocalRecord lr;
  lr.id = r.id;
  for (const auto& f : schema.fields) {
    lr.values[f.name] = r.values[f.index];
    if (f.type == core::FieldType::Reference) {
      std::string base = f.name.substr(0, f.name.size() - 3);
      if (const auto* n = schema.field(base + "_name"); n && r.values[n->index].is_string())
        lr.texts[f.name] = r.values[n->index].as_string();
      if (f.name == "parent_id")
        if (const auto* n = schema.field("parent_name"); n && r.values[n->index].is_string())
          lr.texts[f.name] = r.values[n->index].as_string();
    }
  }
  if (const auto* n = schema.field("name"); n && r.values[n->index].is_string()) lr.label = r.values[n->index].as_string();
  return lr;
}

std::int64_t max_audit_id(soci::session& s) {
  long long id = 0;
  soci::indicator ind = soci::i_null;
  s << "SELECT MAX(id) FROM audit_events", soci::into(id, ind);
  return ind == soci::i_ok ? id : 0;
}

class Writer {
 public:
  // audit_watermark: the highest audit id before the planner read anything (deletions_since()).
  Writer(soci::session& s, store::Dialect d, const store::Integration& integration, std::int64_t run_id, LocalState& local,
         const std::string& actor, std::int64_t audit_watermark)
      : s_(s), d_(d), integration_(integration), run_id_(run_id), local_(local), records_(s, d), statements_(s),
        links_(statements_, "psa_links",
               {"integration_id", "entity", "local_id", "psa_id", "state", "fingerprint", "created_at", "updated_at"}),
        creates_(s, d, statements_), actor_{actor, run_id}, watermark_(audit_watermark) {
    // SQLite checks every reference of every row the run writes against its parent table: 8 % of
    // the writer's instructions in a first sync (callgrind, 10,000 configurations). Every reference the planner hands over names
    // a row that existed when it was read or that this run wrote, so they can only dangle if
    // another connection deleted a parent since; every such delete is audited ("delete", by
    // Documents::remove or remove_integration). Each batch looks for one first (write()), and
    // from the first one seen on, the checks are back on.
    if (d_ == store::Dialect::Sqlite) {
      s_ << "PRAGMA foreign_keys=OFF";
      checks_off_ = true;
    }
  }
  ~Writer() {
    // The session goes back to the pool: with its checks, whatever happened.
    if (checks_off_) try {
        s_ << "PRAGMA foreign_keys=ON";
      } catch (...) {
        // only a broken connection refuses it (outside a transaction, as every batch's has ended)
      }
  }
  Writer(const Writer&) = delete;
  Writer& operator=(const Writer&) = delete;

  void write(std::vector<Action>& batch, const std::string& checkpoint) {
    std::optional<store::Transaction> tx;
    tx.emplace(s_, d_);  // BEGIN IMMEDIATE: no other connection commits until this one does
    if (checks_off_ && deletions_since(watermark_)) {
      tx.reset();  // nothing written yet; the pragma is a no-op inside a transaction
      s_ << "PRAGMA foreign_keys=ON";
      checks_off_ = false;
      tx.emplace(s_, d_);
    }
    std::string now = core::now_rfc3339();
    std::vector<store::AuditEvent> audit;
    creates_.begin();  // its ids are good for this transaction alone
    for (auto& a : batch) apply(a, now, audit);
    creates_.flush();
    links_.flush();
    store::write_audit(statements_, actor_, now, audit);
    s_ << "UPDATE sync_runs SET checkpoint = :c WHERE id = :id", soci::use(checkpoint), soci::use(run_id_);
    if (checks_off_) watermark_ = max_audit_id(s_);  // this batch's own rows are never looked at again
    tx->commit();
  }

 private:
  std::int64_t real_id(std::int64_t id, const std::string& field, const store::Changes& so_far) {
    if (id > 0) return id;
    if (Lookups::is_pending_record(id)) {
      auto it = created_.find(id);
      return it == created_.end() ? 0 : it->second;
    }
    auto it = lookup_ids_.find(id);
    if (it != lookup_ids_.end()) return it->second;
    const auto p = local_.lookups.placeholder(id);
    if (!p) return 0;
    const auto& [table, name] = *p;
    const auto& schema = core::entity(table);
    store::Changes c{{schema.field("name"), core::Value(name)}};
    if (table == "models") {
      // A model belongs to a manufacturer: the one this record names.
      std::int64_t maker = 0;
      for (const auto& [f, v] : so_far)
        if (f->name == "manufacturer_id" && v.is_int()) maker = v.as_int();
      if (maker <= 0) return 0;
      c.emplace_back(schema.field("manufacturer_id"), core::Value(maker));
    } else if (table == "regions") {
      std::int64_t country = 0;
      for (const auto& [f, v] : so_far)
        if (f->name == "country_id" && v.is_int()) country = v.as_int();
      if (country <= 0) return 0;
      c.emplace_back(schema.field("country_id"), core::Value(country));
    }
    std::int64_t real = records_.insert(schema, c, core::now_rfc3339());
    lookup_ids_[id] = real;
    local_.lookups.created(id, real);
    (void)field;
    return real;
  }

  // Takes each change's new value: what the run reports afterwards is its new_text.
  store::Changes to_changes(const core::EntitySchema& schema, std::vector<FieldChange>& changes) {
    store::Changes out;
    out.reserve(changes.size());
    // Countries before regions and manufacturers before models: the latter need the former's id.
    auto later = [](const FieldChange& c) {
      const std::string_view name = c.field;
      return name == "region_id" || name == "model_id";
    };
    for (const bool second : {false, true})
      for (auto& c : changes) {
        if (later(c) != second) continue;
        const core::Field* f = c.target ? c.target : schema.field(c.field);
        if (!f || (f->storage != core::Storage::Column && f->storage != core::Storage::Children)) continue;
        core::Value v = std::move(c.new_value);
        if (f->type == core::FieldType::Reference && v.is_int() && v.as_int() <= 0) {
          std::int64_t id = real_id(v.as_int(), c.field, out);
          v = id > 0 ? core::Value(id) : core::Value();
        }
        out.emplace_back(f, std::move(v));
      }
    return out;
  }

  void apply(Action& a, const std::string& now, std::vector<store::AuditEvent>& audit) {
    // Unchanged, skipped and ambiguous records write nothing: most of a resync.
    if (a.kind != ActionKind::Create && a.kind != ActionKind::Link && a.kind != ActionKind::Update &&
        a.kind != ActionKind::Orphan)
      return;
    const auto& schema = core::entity(core::entity_type(a.entity));
    const std::string entity = core::link_entity(a.entity);
    auto changes = to_changes(schema, a.changes);
    // What is written now must not refer to, or change, a record still waiting for its INSERT.
    if (a.kind != ActionKind::Create) {
      creates_.flush();
    } else {
      for (const auto& [f, v] : changes)
        if (f->type == core::FieldType::Reference && v.is_int() && creates_.waiting(f->references, v.as_int())) {
          creates_.flush();
          break;
        }
    }
    auto audit_changes = [&](std::int64_t id, const char* action) {
      for (const auto& [f, v] : changes) {
        std::string old_text;
        for (const auto& c : a.changes)
          if (c.field == f->name) old_text = c.old_text;
        audit.push_back({entity, id, action, f->name,
                         old_text.empty() || old_text == "(none)" || old_text == "(empty)" ? std::nullopt : std::optional(old_text),
                         v.is_null() ? std::nullopt : std::optional(v.to_text())});
      }
    };
    switch (a.kind) {
      case ActionKind::Create: {
        // One audit row per created record, its values as a JSON object: a first sync creates
        // hundreds of thousands of records, and a row per field would be most of its cost.
        std::vector<std::string> texts;  // of the values that are not text already; never grows past its reserve
        texts.reserve(changes.size());
        std::vector<std::pair<std::string_view, std::string_view>> values;
        values.reserve(changes.size());
        for (const auto& [f, v] : changes) {
          if (v.is_null()) continue;
          values.emplace_back(f->name, v.is_string() ? std::string_view(v.as_string()) : texts.emplace_back(v.to_text()));
        }
        std::string created = core::json_object_of_texts(values);
        std::int64_t id = creates_.add(schema, std::move(changes), now);  // written above first: it takes the texts
        // Later records of the run point at it through its pending id; nothing points at a configuration.
        if (a.entity != SyncEntity::Configuration) created_[a.pending_id] = id;
        a.local_id = id;
        link(a, id, now);
        audit.push_back({entity, id, "create", std::nullopt, std::nullopt, std::move(created)});
        break;
      }
      case ActionKind::Link:
        if (!changes.empty()) records_.update(schema, a.local_id, changes, now);
        link(a, a.local_id, now);
        audit.push_back({entity, a.local_id, "link", std::nullopt, std::nullopt, a.psa_id});
        audit_changes(a.local_id, "update");
        break;
      case ActionKind::Update:
        if (!changes.empty()) records_.update(schema, a.local_id, changes, now);
        links_.flush();  // the link it updates may be one this batch adds
        run(statements_.get("UPDATE psa_links SET fingerprint = :f, state = 'syncing', error = NULL, updated_at = :t "
                            "WHERE integration_id = :i AND entity = :e AND psa_id = :p", 5),
            {a.fingerprint, now, integration_.id, entity, a.psa_id});
        audit_changes(a.local_id, "update");
        break;
      case ActionKind::Orphan:
        if (!changes.empty()) records_.update(schema, a.local_id, changes, now);
        links_.flush();
        run(statements_.get("UPDATE psa_links SET state = 'orphaned', error = :r, updated_at = :t "
                            "WHERE integration_id = :i AND entity = :e AND psa_id = :p", 5),
            {a.reason, now, integration_.id, entity, a.psa_id});
        audit.push_back({entity, a.local_id, "orphan", std::nullopt, std::nullopt, a.reason});
        audit_changes(a.local_id, "update");
        break;
      default:
        break;
    }
  }

  // Written with the batch's others before its audit (links_.flush()).
  void link(const Action& a, std::int64_t local_id, const std::string& now) {
    links_.add({integration_.id, core::link_entity(a.entity), local_id, a.psa_id, "syncing", a.fingerprint, now, now});
  }

  static void run(store::PreparedStatement& st, std::vector<store::Param> values) {
    for (size_t i = 0; i < values.size(); ++i) st.set(i, std::move(values[i]));
    st.execute();
  }

  soci::session& s_;
  store::Dialect d_;
  const store::Integration& integration_;
  std::int64_t run_id_;
  LocalState& local_;
  store::Records records_;
  store::StatementCache statements_;  // the psa_links and audit writes, prepared once per run
  store::RowInserter links_;          // the batch's new links
  store::RecordInserter creates_;  // the batch's new records
  store::Actor actor_;
  std::unordered_map<std::int64_t, std::int64_t> created_;     // pending id → id
  std::unordered_map<std::int64_t, std::int64_t> lookup_ids_;  // placeholder → id
  std::int64_t watermark_ = 0;
  bool checks_off_ = false;  // SQLite's foreign-key checks, off until another connection deletes

  // Whether a delete was audited after `watermark`: by another connection, since the run's own
  // rows below it are never deletes.
  bool deletions_since(std::int64_t watermark) {
    int found = 0;
    s_ << "SELECT EXISTS (SELECT 1 FROM audit_events WHERE id > :w AND action = 'delete')", soci::use(watermark),
        soci::into(found);
    return found != 0;
  }
};

std::string last_good_start(soci::session& s, std::int64_t integration_id) {
  std::string at;
  soci::indicator ind = soci::i_null;
  // A one-record run or a push-all says nothing about the PSA's changes: not a point to pull changes from.
  s << "SELECT MAX(started_at) FROM sync_runs WHERE integration_id = :i AND state = 'done' AND mode IN ('full', 'incremental')",
      soci::use(integration_id), soci::into(at, ind);
  return ind == soci::i_ok ? at : std::string();
}

// The records the last finished full sync read: what this full sync will likely read, for its ETA.
std::int64_t last_full_records(soci::session& s, std::int64_t integration_id) {
  std::string counts;
  soci::indicator ind = soci::i_null;
  s << "SELECT counts FROM sync_runs WHERE integration_id = :i AND state = 'done' AND mode = 'full' ORDER BY id DESC LIMIT 1",
      soci::use(integration_id), soci::into(counts, ind);
  if (ind != soci::i_ok) return 0;
  auto j = nlohmann::json::parse(counts, nullptr, false);
  return j.is_object() && j.contains("records") && j["records"].is_number_integer() ? j["records"].get<std::int64_t>() : 0;
}

std::string totals_json(const Totals& t, std::int64_t requests, std::int64_t records) {
  nlohmann::json j;
  j["by_entity"] = t.by_entity;
  j["requests"] = requests;
  j["records"] = records;
  return j.dump();
}

// A second session of the pool for the run's writer thread, given back when the run ends; none
// when every session is taken (a pool of one, a busy server): the run then writes on its own thread.
class SpareSession {
 public:
  explicit SpareSession(soci::connection_pool& pool) : pool_(pool) { leased_ = pool_.try_lease(pos_, 0); }
  ~SpareSession() {
    if (leased_) pool_.give_back(pos_);
  }
  SpareSession(const SpareSession&) = delete;
  SpareSession& operator=(const SpareSession&) = delete;
  soci::session* get() { return leased_ ? &pool_.at(pos_) : nullptr; }

 private:
  soci::connection_pool& pool_;
  std::size_t pos_ = 0;
  bool leased_ = false;
};

}  // namespace

namespace {
void load_lookups(soci::session& s, LocalState& local) {
  for (const char* table : kLookupTables) {
    soci::rowset<soci::row> rs = (s.prepare << std::string("SELECT CAST(id AS TEXT), name FROM ") + table + " ORDER BY id");
    for (const auto& row : rs) local.lookups.add(table, row.get<std::string>(1), std::stoll(row.get<std::string>(0)));
  }
}
}  // namespace

void load_lookups_and_links(soci::session& s, std::int64_t integration_id, LocalState& local) {
  load_lookups(s, local);
  load_links(s, integration_id, local);
}

double Progress::eta_seconds() const {
  if (expected_records <= 0 || run_records <= 0 || run_seconds <= 0) return -1;
  if (run_records >= expected_records) return 0;
  return static_cast<double>(expected_records - run_records) * run_seconds / static_cast<double>(run_records);
}

RunReport run_sync(store::Database& db, const store::Integration& integration, psa::Source& source,
                   const RunOptions& options) {
  RunReport report;
  auto started = Clock::now();
  soci::session s(db.pool());
  std::string since = options.full || options.only ? "" : last_good_start(s, integration.id);
  const bool full = !options.only && (options.full || since.empty());
  const std::int64_t expected_records = full ? last_full_records(s, integration.id) : 0;
  std::string started_at = core::now_rfc3339();

  if (!options.dry_run) {
    std::string mode = options.only ? "record" : full ? "full" : "incremental";
    long long id = 0;
    s << "INSERT INTO sync_runs (integration_id, mode, state, started_at) VALUES (:i, :m, 'running', :t) RETURNING id",
        soci::use(integration.id), soci::use(mode), soci::use(started_at), soci::into(id);
    report.run_id = id;
  }

  // Read before anything the planner compares with: a parent deleted after it is seen (Writer).
  const std::int64_t audit_watermark = max_audit_id(s);

  // What the planner compares with. An incremental run reads an entity's links and unlinked records
  // only once the PSA gives it a record of that entity (and the links of the entities before it,
  // which its references point at): with nothing changed that is none, where reading them all took
  // seconds at a million configurations. The site pass needs the organizations' links at once.
  // A full run reads every link now: its orphans are the links no record claimed.
  LocalState local;
  load_lookups(s, local);
  std::set<SyncEntity> links_read, unlinked_read;
  auto read_links_up_to = [&](SyncEntity last) {
    for (auto e : kOrder) {
      if (links_read.insert(e).second) load_links(s, integration.id, local, e);
      if (e == last) break;
    }
  };
  if (full || options.only) {
    load_links(s, integration.id, local);
    links_read.insert(std::begin(kOrder), std::end(kOrder));
  } else {
    read_links_up_to(SyncEntity::Organization);
  }
  // Read when the entity's pass starts, after the passes before it were written: this run's
  // creates are linked, so the set is the one the run started with.
  auto read_unlinked = [&](SyncEntity e) {
    read_links_up_to(e);
    if (unlinked_read.insert(e).second) load_unlinked(s, e, integration.kind, local);
  };
  if (options.only) read_unlinked(options.only->entity);
  std::map<std::pair<SyncEntity, std::int64_t>, LocalRecord> linked_cache;
  store::Records reader(s, db.dialect());
  local.linked_record = [&](SyncEntity e, std::int64_t id) -> const LocalRecord* {
    auto key = std::make_pair(e, id);
    auto it = linked_cache.find(key);
    if (it != linked_cache.end()) return &it->second;
    const auto& schema = core::entity(core::entity_type(e));
    auto r = reader.get(schema, id);
    if (!r) return nullptr;
    if (linked_cache.size() > 10000) linked_cache.clear();
    return &(linked_cache[key] = to_local(schema, *r));
  };
  local.contact_organization = [&](std::int64_t contact_id) -> std::int64_t {
    long long org = 0;
    soci::indicator ind = soci::i_null;
    s << "SELECT organization_id FROM contacts WHERE id = :id", soci::use(contact_id), soci::into(org, ind);
    return ind == soci::i_ok ? org : 0;
  };

  PlanOptions plan_options;
  plan_options.full = full;
  plan_options.allow_mass_orphan = options.allow_mass_orphan;
  plan_options.describe_every_match = options.keep_actions;  // else only the notable actions are kept
  plan_options.texts_for_every_create = options.keep_actions;
  Planner planner(integration.kind, integration.settings, local, plan_options);
  const std::string actor =
      options.actor.empty() ? "sync:" + integration.kind + " " + integration.name : options.actor;
  // The writes go to a thread of their own when the pool spares a session: the planner reads
  // through `s` meanwhile (links and records from before the run, never what the writer adds).
  std::optional<SpareSession> spare;
  if (!options.dry_run) spare.emplace(db.pool());
  soci::session* write_session = spare ? spare->get() : nullptr;
  std::optional<store::WriteCache> write_cache;
  if (!options.dry_run && !options.only) write_cache.emplace(write_session ? *write_session : s, db.dialect(), kWriteCacheMib);
  // A first sync into empty tables builds their random-order indexes once, at the end.
  std::optional<store::DeferredIndexes> deferred;
  if (!options.dry_run && !options.only && full) deferred.emplace(s, db.dialect());
  Writer writer(write_session ? *write_session : s, db.dialect(), integration, report.run_id, local, actor, audit_watermark);
  struct Written {
    std::vector<Action> actions;
    std::string checkpoint;
  };
  // report.actions is the writer's until drain(): a created record's id is known once written.
  WriteBehind<Written> behind(
      [&](Written& w) {
        if (!options.dry_run) writer.write(w.actions, w.checkpoint);
        for (auto& a : w.actions) {
          bool notable = a.kind == ActionKind::Skip || a.kind == ActionKind::Ambiguous || a.kind == ActionKind::Orphan ||
                         !a.near_misses.empty();
          if (options.keep_actions || notable) report.actions.push_back(std::move(a));
        }
      },
      write_session != nullptr);

  std::vector<Action> batch;
  std::string checkpoint;
  int submitted = 0;
  auto flush = [&] {
    if (batch.empty()) return;
    behind.submit(Written{std::move(batch), checkpoint});
    batch = {};
    // The writer's thread is the run's busiest: its WAL is copied into the database from here.
    if (write_session && ++submitted % kCheckpointEveryBatches == 0) store::checkpoint_wal(s, db.dialect());
  };
  auto take = [&](std::vector<Action> actions) {
    for (auto& a : actions) {
      report.totals.add(a);
      batch.push_back(std::move(a));
    }
    if (batch.size() >= options.batch) flush();
  };

  std::vector<std::string> syncing_orgs;
  try {
    if (options.only) {
      // One record: what the PSA has for it now, or its orphan when the PSA no longer has it.
      const auto& one = *options.only;
      auto r = source.fetch(one.entity, one.psa_id, one.company);
      ++report.records;
      checkpoint = std::string(core::entity_type(one.entity)) + ":" + one.psa_id;
      take(r ? planner.add(*r) : planner.gone(one.entity, one.psa_id));
      take(planner.finish(one.entity));
      flush();
      behind.drain();
      report.state = "done";
    }
    // R7: types and statuses come from the PSA, all of them, before any record needs one.
    auto catalogue = options.only ? std::map<std::string, std::vector<std::string>>{} : source.catalogue();
    const std::pair<const char*, const char*> tables[] = {{"org_types", "organization_types"},
                                                          {"org_statuses", "organization_statuses"},
                                                          {"config_types", "configuration_types"},
                                                          {"config_statuses", "configuration_statuses"}};
    if (options.dry_run) {
      for (const auto& [key, table] : tables)
        for (const auto& name : catalogue[key]) local.lookups.resolve(table, name);
    } else {
      store::Transaction tx(s, db.dialect());
      std::string now = core::now_rfc3339();
      store::Records records(s, db.dialect());
      std::vector<store::AuditEvent> audit;
      for (const auto& [key, table] : tables)
        for (const auto& name : catalogue[key]) {
          std::int64_t id = local.lookups.resolve(table, name);
          if (id > 0) continue;
          const auto& schema = core::entity(table);
          std::int64_t real = records.insert(schema, {{schema.field("name"), core::Value(name)}}, now);
          local.lookups.created(id, real);
          audit.push_back({schema.link_entity, real, "create", "name", std::nullopt, name});
        }
      store::write_audit(s, store::Actor{actor, report.run_id}, now, audit);
      tx.commit();
    }
    // Only what the PSA syncs at all (Tigerpaw has no configurations), companies first.
    const auto* caps = core::capabilities_for(integration.kind);
    for (auto e : caps ? caps->entities : std::vector<SyncEntity>(std::begin(kOrder), std::end(kOrder))) {
      if (options.only) break;
      auto t0 = Clock::now();
      std::int64_t seen = 0;
      if (e == SyncEntity::Location) {
        behind.drain();  // the organizations this run created are in report.actions
        // Companies that sync now, for PSAs that list sites per company.
        for (const auto& [psa_id, link] : local.links[SyncEntity::Organization])
          if (link.state == "syncing") syncing_orgs.push_back(psa_id);
        for (const auto& a : report.actions)
          if (a.entity == SyncEntity::Organization && a.kind == ActionKind::Create) syncing_orgs.push_back(a.psa_id);
        // A create can be remembered twice (also kept as notable, with near misses): list its sites once.
        std::unordered_set<std::string> listed;
        std::erase_if(syncing_orgs, [&](const std::string& id) { return !listed.insert(id).second; });
      }
      Prefetch fetched(source, e, full ? "" : since, syncing_orgs);
      std::vector<core::PsaRecord> records;
      while (fetched.next(records)) {
        if (!records.empty()) read_unlinked(e);
        for (auto& r : records) {
          ++seen;
          ++report.records;
          checkpoint = std::string(core::entity_type(e)) + ":" + std::to_string(seen);
          if (e == SyncEntity::Organization && !options.keep_actions) {
            // Remember creates for the site pass even when a sync keeps only notable actions.
            auto actions = planner.add(std::move(r));
            for (const auto& a : actions)
              if (a.kind == ActionKind::Create) syncing_orgs.push_back(a.psa_id);
            take(std::move(actions));
          } else {
            take(planner.add(std::move(r)));
          }
          if (options.progress && seen % 1000 == 0)
            options.progress({core::entity_type(e), seen, std::chrono::duration<double>(Clock::now() - t0).count(),
                              report.records, expected_records,
                              std::chrono::duration<double>(Clock::now() - started).count()});
        }
      }
      auto finished = planner.finish(e);
      if (planner.stop_reason()) {
        // D10: none of this run's orphans are written, and nothing after them.
        std::erase_if(finished, [](const Action& a) { return a.kind == ActionKind::Orphan; });
        std::erase_if(batch, [](const Action& a) { return a.kind == ActionKind::Orphan; });
        take(std::move(finished));
        flush();
        behind.drain();
        report.stopped = planner.stop_reason();
        break;
      }
      take(std::move(finished));
      flush();
      behind.drain();
      if (options.progress)
        options.progress({core::entity_type(e), seen, std::chrono::duration<double>(Clock::now() - t0).count(),
                          report.records, expected_records, std::chrono::duration<double>(Clock::now() - started).count()});
    }
    if (!options.only) report.state = report.stopped ? "stopped" : "done";
  } catch (const std::exception& ex) {
    behind.drain_quietly();  // the whole batches planned before the failure are written, as before
    report.state = "failed";
    report.stopped = ex.what();
  }
  if (deferred) {
    try {
      deferred->restore();  // the writer is idle: every batch was drained above
    } catch (const std::exception& ex) {
      if (report.state != "failed") report.stopped = std::string("could not build the indexes the run deferred: ") + ex.what();
      report.state = "failed";
    }
  }
  if (options.dry_run) report.new_lookups = local.lookups.missing();
  report.requests = source.requests();
  report.seconds = std::chrono::duration<double>(Clock::now() - started).count();
  if (!options.dry_run) {
    std::string finished_at = core::now_rfc3339(), counts = totals_json(report.totals, report.requests, report.records);
    std::string error = report.stopped.value_or("");
    soci::indicator err_ind = report.stopped ? soci::i_ok : soci::i_null;
    s << "UPDATE sync_runs SET state = :s, finished_at = :f, counts = :c, error = :e WHERE id = :id", soci::use(report.state),
        soci::use(finished_at), soci::use(counts), soci::use(error, err_ind), soci::use(report.run_id);
    // D22: a failed run puts the integration in error with its reason; the next good run clears it.
    // A person's pause stays as it is.
    if (report.state == "failed")
      s << "UPDATE integrations SET state = 'error', state_reason = :r, updated_at = :t WHERE id = :i AND state <> 'paused'",
          soci::use(error), soci::use(finished_at), soci::use(integration.id);
    else
      s << "UPDATE integrations SET state = 'active', state_reason = NULL, updated_at = :t WHERE id = :i AND state = 'error'",
          soci::use(finished_at), soci::use(integration.id);
  }
  return report;
}

}  // namespace cairn::sync
