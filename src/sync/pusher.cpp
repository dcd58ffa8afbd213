#include "sync/pusher.h"

#include <soci/soci.h>
#include <spdlog/spdlog.h>

#include <algorithm>

#include "core/schema.h"
#include "core/time.h"
#include "store/integrations.h"
#include "store/records.h"
#include "store/secrets.h"
#include "sync/connectors.h"
#include "sync/push_all.h"
#include "sync/push_changes.h"
#include "sync/reconcile.h"

namespace cairn::sync {

Pusher::Pusher(store::Database& db, PusherOptions options) : db_(db), options_(std::move(options)) {}
Pusher::~Pusher() { stop(); }

void Pusher::start() {
  if (worker_.joinable()) return;
  stopping_ = false;
  worker_ = std::thread([this] { loop(); });
}

void Pusher::stop() {
  stopping_ = true;
  store::ring_outbox_bell();
  if (worker_.joinable()) worker_.join();
  stopping_ = false;  // run_due works again when called directly
}

void Pusher::loop() {
  std::uint64_t seen = 0;
  while (!stopping_) {
    try {
      run_due();
    } catch (const std::exception& e) {
      spdlog::error("pusher: {}", e.what());
    }
    if (stopping_) break;
    // Sleep until a save rings, the next failed row is due, or the poll comes round.
    auto wait = options_.poll;
    try {
      soci::session s(db_.pool());
      if (auto due = store::Outbox(s, db_.dialect()).next_due())
        if (auto at = core::parse_datetime(*due)) {
          auto until = std::chrono::duration_cast<std::chrono::milliseconds>(*at - core::Clock::now());
          wait = std::clamp(until, std::chrono::milliseconds(1), options_.poll);
        }
    } catch (const std::exception& e) {
      spdlog::error("pusher: {}", e.what());
    }
    store::wait_for_outbox_bell(seen, wait);
  }
}

int Pusher::run_due() {
  std::lock_guard lock(run_mutex_);
  int settled = 0;
  while (!stopping_) {
    std::optional<store::OutboxRow> row;
    {
      soci::session s(db_.pool());
      row = store::Outbox(s, db_.dialect()).lease(options_.lease);
    }
    if (!row) break;
    const std::string state = push(*row);
    ++settled;
    if (options_.on_settled) options_.on_settled(*row, state);
  }
  return settled;
}

psa::Source& Pusher::source_for(const store::Integration& integration) {
  auto& c = sources_[integration.id];
  if (!c.source || c.updated_at != integration.updated_at) {
    c.source = make_source(integration);
    c.updated_at = integration.updated_at;
  }
  return *c.source;
}

std::string Pusher::push(const store::OutboxRow& row) {
  auto key = store::master_key_for(db_);  // before taking a session: it may take one of its own
  soci::session s(db_.pool());
  store::Outbox outbox(s, db_.dialect());
  auto fail = [&](const std::string& error, bool transient) {
    std::string next = store::kNeverDue;
    if (transient) {
      double u = std::uniform_real_distribution<double>(0, 1)(random_);
      next = core::rfc3339(core::Clock::now() + backoff_delay(options_.backoff, row.attempts + 1, u));
    }
    outbox.mark_failed(row.id, error, next);
    spdlog::warn("outbox={} {} {} {} failed (attempt {}): {}", row.id, row.operation, row.entity, row.local_id,
                 row.attempts + 1, error);
    return std::string("failed");
  };
  try {
    if (!key) return fail(key.error().detail, true);
    std::optional<store::Integration> integration = store::Integrations(s, db_.dialect(), key.value()).get(row.integration_id);
    if (!integration) return fail("integration " + std::to_string(row.integration_id) + " no longer exists", false);
    if (!integration->settings.two_way)
      return fail("two-way sync is off for integration " + std::to_string(row.integration_id) +
                      ": turn it on and retry, or drop this push", false);
    auto e = sync_entity_of(row.entity);
    if (!e) return fail("a " + row.entity + " is not something a PSA holds", false);
    const core::EntitySchema& schema = core::entity(core::entity_type(*e));
    store::Records records(s, db_.dialect());
    auto record = records.get(schema, row.local_id);
    if (!record) return fail(row.entity + " " + std::to_string(row.local_id) + " no longer exists in Cairn", false);
    // The PSA id of the record's company: ConnectWise sites and Autotask children are written under it.
    std::string company;
    if (*e != core::SyncEntity::Organization)
      if (const core::Field* org = schema.field("organization_id"); org && !(*record)[*org].is_null())
        company = linked_psa_id(s, row.integration_id, "organization", (*record)[*org].as_int()).value_or("");
    psa::Source& source = source_for(*integration);
    const std::string now = core::now_rfc3339();
    if (row.operation == "update") {
      auto psa_id = linked_psa_id(s, row.integration_id, row.entity, row.local_id);
      if (!psa_id) return fail("the record is no longer linked to the PSA (orphaned, disabled or unlinked)", false);
      core::PsaRecord changes = changes_of(s, row.integration_id, *e, row.payload);
      changes.psa_id = *psa_id;
      core::PsaRecord now_in_psa = source.update(changes, company);
      const std::string f = fingerprint(now_in_psa);
      store::Transaction tx(s, db_.dialect());
      s << "UPDATE psa_links SET fingerprint = :f, error = NULL, updated_at = :t WHERE integration_id = :i AND entity = :e "
           "AND local_id = :l",
          soci::use(f), soci::use(now), soci::use(row.integration_id), soci::use(row.entity), soci::use(row.local_id);
      outbox.mark_pushed(row.id);
      tx.commit();
    } else if (row.operation == "create") {
      if (linked_psa_id(s, row.integration_id, row.entity, row.local_id)) {
        outbox.mark_pushed(row.id);  // linked meanwhile (a sync matched it): nothing to create
        return "pushed";
      }
      // Today's values: edits made while the create waited travel with it.
      std::string payload = payload_of(s, integration->kind, *e, schema, *record, {},
                                       channel_types(integration->settings));
      core::PsaRecord fields = changes_of(s, row.integration_id, *e, payload.empty() ? "{}" : payload);
      core::PsaRecord in_psa;
      // An earlier send may have created it without Cairn linking it (Cairn stopped, or the answer
      // was lost): look for it by its match key first, as push-all does, so a retry never makes a
      // duplicate. Only on a retry: the lookup pulls the whole entity (of its company, where the PSA
      // lists per company), too dear for every save, and a first send cannot have a predecessor.
      std::vector<core::PsaRecord> found;
      if (row.attempts > 0) found = find_in_psa(s, *integration, source, *e, *record, company);
      if (found.size() > 1) {
        std::string ids;
        for (const auto& r : found) ids += (ids.empty() ? "" : ", ") + r.psa_id;
        return fail("ambiguous: the PSA holds " + std::to_string(found.size()) + " unlinked records with this " + row.entity +
                        "'s match key (" + ids + "), and an earlier attempt may have created one of them; link the "
                        "right one by hand (cairn link) and drop this push",
                    false);
      }
      if (found.size() == 1) {
        // Ours from the earlier attempt: today's values go as an edit, since it holds what was sent then.
        fields.psa_id = found[0].psa_id;
        in_psa = source.update(fields, company);
        spdlog::info("outbox={} {} {}: linked to PSA record {}, which an earlier attempt created", row.id, row.entity,
                     row.local_id, in_psa.psa_id);
      } else {
        in_psa = source.create(fields, company, integration->settings.default_account_manager);
      }
      store::Transaction tx(s, db_.dialect());
      link_to_psa(s, row.integration_id, *e, row.local_id, in_psa.psa_id, fingerprint(in_psa));
      outbox.mark_pushed(row.id);
      tx.commit();
    } else {
      return fail("unknown outbox operation \"" + row.operation + "\"", false);
    }
    spdlog::info("outbox={} {} {} {} pushed", row.id, row.operation, row.entity, row.local_id);
    return "pushed";
  } catch (const psa::PushError& e) {
    return fail(e.what(), e.transient());
  } catch (const std::exception& e) {
    return fail(e.what(), true);  // the store or the network: worth another try
  }
}

}  // namespace cairn::sync
