#include "sync/ad_import.h"

#include <soci/soci.h>

#include <map>
#include <stdexcept>

#include "core/schema.h"
#include "core/sync_settings.h"
#include "core/time.h"
#include "directory/ldap_directory.h"
#include "store/directory_import_runs.h"
#include "store/documents.h"
#include "store/outbox.h"
#include "sync/ad_push_queue.h"

namespace cairn::sync {
namespace {

using core::AdAction;
using core::Field;

struct ContactFields {
  const core::EntitySchema& e = core::entity("contacts");
  const Field& organization = *e.field("organization_id");
  const Field& first = *e.field("first_name");
  const Field& last = *e.field("last_name");
  const Field& title = *e.field("title");
  const Field& emails = *e.field("contact_emails");
  const Field& phones = *e.field("contact_phones");
  const Field& status = *e.field("ad_account_status");
  const Field& last_logon = *e.field("ad_last_logon_at");
  const Field& password_set = *e.field("ad_password_last_set_at");
  const Field& password_expires = *e.field("ad_password_expires_at");
};

std::string text_of(const core::Value& v) { return v.is_string() ? v.as_string() : std::string(); }

// The organization's contacts, whole (for enrichment's child rows) and as matching sees them.
std::map<std::int64_t, store::Record> load_contacts(store::Records& records, const ContactFields& f,
                                                    std::int64_t organization_id) {
  std::map<std::int64_t, store::Record> out;
  store::ListQuery q;
  q.filters.push_back({&f.organization, store::Filter::Op::In, {core::Value(organization_id)}, {}, {}});
  q.page_size = 1000;
  q.with_total = false;
  for (q.page_number = 1;; ++q.page_number) {
    auto page = records.list(f.e, q);
    for (auto& r : page.records) out.emplace(r.id, std::move(r));
    if (static_cast<std::int64_t>(page.records.size()) < q.page_size) break;
  }
  return out;
}

core::KnownContact known(const store::Record& r, const ContactFields& f) {
  core::KnownContact c;
  c.id = r.id;
  c.first_name = text_of(r[f.first]);
  c.last_name = text_of(r[f.last]);
  c.title = text_of(r[f.title]);
  const auto& email_value = f.emails.child->fields[f.emails.child->field("value")->index];
  const auto& phone_value = f.phones.child->fields[f.phones.child->field("value")->index];
  if (r[f.emails].is_rows())
    for (const auto& row : r[f.emails].as_rows()) c.emails.push_back({text_of(row[email_value.index]), "", false});
  if (r[f.phones].is_rows())
    for (const auto& row : r[f.phones].as_rows()) c.phones.push_back({text_of(row[phone_value.index]), "", false});
  return c;
}

// The organization's PSA integration's settings (through its organization link), if it has one.
std::optional<core::SyncSettings> integration_settings(soci::session& s, std::int64_t organization_id) {
  std::string settings;
  s << "SELECT i.settings FROM psa_links l JOIN integrations i ON i.id = l.integration_id "
       "WHERE l.entity = 'organization' AND l.local_id = :o ORDER BY l.id LIMIT 1",
      soci::use(organization_id), soci::into(settings);
  if (!s.got_data()) return std::nullopt;
  return core::SyncSettings::from_json(settings);
}

core::Value optional_text(const std::optional<std::string>& v) { return v ? core::Value(*v) : core::Value(); }

// The existing child rows plus the added emails or phones (ContactEmail, ContactPhone); what a
// row leaves unset (a phone's label type) takes its default when the store normalises it.
template <typename Item>
core::Rows append_rows(const core::Rows& existing, const std::vector<Item>& added, const Field& f) {
  core::Rows rows = existing;
  const auto& c = *f.child;
  for (const auto& item : added) {
    core::Row row(c.fields.size());
    row[c.field("value")->index] = item.value;
    row[c.field("label_name")->index] = item.label;
    row[c.field("primary")->index] = item.primary;
    rows.push_back(std::move(row));
  }
  return rows;
}

// The changes one action writes: every value of a new contact, or only the additions and the AD data.
store::Changes changes_for(const AdAction& a, const ContactFields& f, std::int64_t organization_id,
                           const store::Record* existing) {
  store::Changes c;
  const auto& d = a.draft;
  if (!existing) c.emplace_back(&f.organization, core::Value(organization_id));
  if (d.first_name) c.emplace_back(&f.first, *d.first_name);
  if (d.last_name) c.emplace_back(&f.last, *d.last_name);
  if (d.title) c.emplace_back(&f.title, *d.title);
  static const core::Rows none;
  auto rows_of = [&](const Field& field) -> const core::Rows& {
    return existing && (*existing)[field].is_rows() ? (*existing)[field].as_rows() : none;
  };
  if (!d.emails.empty()) c.emplace_back(&f.emails, append_rows(rows_of(f.emails), d.emails, f.emails));
  if (!d.phones.empty()) c.emplace_back(&f.phones, append_rows(rows_of(f.phones), d.phones, f.phones));
  c.emplace_back(&f.status, d.ad.account_status);
  c.emplace_back(&f.last_logon, optional_text(d.ad.last_logon_at));
  c.emplace_back(&f.password_set, optional_text(d.ad.password_last_set_at));
  c.emplace_back(&f.password_expires, optional_text(d.ad.password_expires_at));
  return c;
}

std::string counts_json(const AdImportResult& r) {
  auto n = [](const char* k, std::int64_t v) { return std::string("\"") + k + "\":" + std::to_string(v); };
  return "{" + n("users", r.users) + "," + n("pages", r.pages) + "," + n("created", r.created) + "," +
         n("enriched", r.enriched) + "," + n("skipped", r.skipped) + "," + n("push-creates", r.push_creates) + "," +
         n("push-updates", r.push_updates) + "," + n("not-pushed", r.not_pushed) + "}";
}

store::DirectoryImportRun run_row(const store::DirectorySource& source, const AdImportOptions& options,
                                  const std::string& started_at) {
  store::DirectoryImportRun run;
  run.directory_source_id = source.id;
  run.organization_id = source.organization_id;
  run.started_by = options.started_by;
  run.started_at = started_at;
  run.finished_at = core::now_rfc3339();
  return run;
}

// A failed import leaves only this row (its own transaction): the message a person reads.
core::Error failed_run(store::Database& db, const store::DirectorySource& source, const AdImportOptions& options,
                       const std::string& started_at, core::Error error) {
  if (options.preview) return error;
  try {
    soci::session s(db.pool());
    store::Transaction tx(s, db.dialect());
    auto run = run_row(source, options, started_at);
    run.state = "failed";
    run.error = error.detail;
    store::DirectoryImportRuns(s).record(run);
    tx.commit();
  } catch (const std::exception&) {
    // The store itself is failing: the caller still reports the import's own error.
  }
  return error;
}

void count(AdImportResult& r) {
  r.created = r.enriched = r.skipped = 0;
  for (const auto& a : r.actions) {
    if (a.kind == AdAction::Kind::Create) ++r.created;
    else if (a.kind == AdAction::Kind::Enrich) ++r.enriched;
    else ++r.skipped;
  }
}

core::Result<AdImportResult> import_once(store::Database& db, const store::DirectorySource& source,
                                         const AdImportOptions& options, const std::string& started_at) {
  if (!source.password_error.empty())
    return core::Error{core::ErrorKind::BadRequest, "Directory error",
                       "the directory source's password cannot be decrypted: " + source.password_error, {}, {}};
  directory::LdapSettings ldap;
  ldap.url = source.url;
  ldap.bind_dn = source.bind_dn;
  ldap.password = source.password;
  ldap.base_dn = source.base_dn;
  ldap.filter = source.filter;
  ldap.start_tls = source.start_tls;
  ldap.page_size = options.page_size;
  ldap.timeout_seconds = options.timeout_seconds;
  // The directory is read whole before the store is touched: an LDAP failure writes nothing.
  auto listing = directory::read_directory(ldap);
  if (!listing) return listing.error();

  AdImportResult result;
  result.users = static_cast<std::int64_t>(listing->users.size());
  result.pages = listing->pages;
  const ContactFields f;
  soci::session s(db.pool());
  std::optional<store::Transaction> tx;
  if (!options.preview) {
    tx.emplace(s, db.dialect());
    // Two imports of one organization queue here, so neither plans against contacts the other is
    // creating. SQLite's BEGIN IMMEDIATE already serialises writers.
    if (db.dialect() == store::Dialect::Postgres) {
      long long locked = 0;
      s << "SELECT id FROM organizations WHERE id = :o FOR UPDATE", soci::use(source.organization_id),
          soci::into(locked);
    }
  }
  store::Documents documents(s, db.dialect());
  auto contacts = load_contacts(documents.records(), f, source.organization_id);
  std::vector<core::KnownContact> known_contacts;
  known_contacts.reserve(contacts.size());
  for (const auto& [id, r] : contacts) known_contacts.push_back(known(r, f));
  auto settings = integration_settings(s, source.organization_id);
  result.labels = core::ad_labels(settings ? &*settings : nullptr);
  result.actions = core::plan_ad_import(listing->users, core::ContactIndex(std::move(known_contacts)), result.labels,
                                        listing->policy, core::Clock::now());
  if (options.preview) {
    count(result);
    return result;
  }

  const store::Actor who{kDirectoryImportActor, std::nullopt};
  for (auto& a : result.actions) {
    if (a.kind == AdAction::Kind::Skip) continue;
    const store::Record* existing = a.kind == AdAction::Kind::Enrich ? &contacts.at(a.contact_id) : nullptr;
    auto changes = changes_for(a, f, source.organization_id, existing);
    // A user whose values the store refuses (a title too long) is skipped with the reason;
    // the checks run before any write, so nothing of that user is written.
    if (existing) {
      auto done = documents.update(f.e, a.contact_id, changes, who, "");
      if (!done) {
        a.kind = AdAction::Kind::Skip;
        a.reason = "refused by the store: " + done.error().detail;
      }
    } else {
      auto made = documents.create(f.e, changes, who, "");
      if (!made) {
        a.kind = AdAction::Kind::Skip;
        a.reason = "refused by the store: " + made.error().detail;
      } else {
        a.contact_id = made.value();
      }
    }
  }
  // Pushes of what was written (issue 7 item 3), in the same transaction: all or nothing.
  for (const auto& a : result.actions) {
    if (a.kind == AdAction::Kind::Skip || a.contact_id <= 0) continue;
    const store::Record* before = a.kind == AdAction::Kind::Enrich ? &contacts.at(a.contact_id) : nullptr;
    switch (queue_ad_contact_push(s, db.dialect(), a.contact_id, before).kind) {
      case AdPushOutcome::Kind::Create: ++result.push_creates; break;
      case AdPushOutcome::Kind::Update: ++result.push_updates; break;
      case AdPushOutcome::Kind::NotPushed: ++result.not_pushed; break;
      default: break;
    }
  }
  count(result);
  auto run = run_row(source, options, started_at);
  run.state = "done";
  run.counts = counts_json(result);
  result.run_id = store::DirectoryImportRuns(s).record(run);
  tx->commit();
  if (result.push_creates + result.push_updates > 0) store::ring_outbox_bell();
  return result;
}

}  // namespace

core::Result<AdImportResult> run_ad_import(store::Database& db, const store::DirectorySource& source,
                                           const AdImportOptions& options) {
  const std::string started_at = core::now_rfc3339();
  try {
    auto result = import_once(db, source, options, started_at);
    if (!result) return failed_run(db, source, options, started_at, result.error());
    return result;
  } catch (const std::exception& e) {
    // The transaction rolled back: nothing of the import was written.
    return failed_run(db, source, options, started_at,
                      core::Error{core::ErrorKind::BadRequest, "Directory import failed", e.what(), {}, {}});
  }
}

std::string summary_line(const AdImportResult& r) {
  return "created " + std::to_string(r.created) + ", enriched " + std::to_string(r.enriched) + ", skipped " +
         std::to_string(r.skipped) + " (" + std::to_string(r.users) + (r.users == 1 ? " directory user in " : " directory users in ") +
         std::to_string(r.pages) + (r.pages == 1 ? " page)" : " pages)") +
         (r.push_creates + r.push_updates + r.not_pushed == 0
              ? std::string()
              : "; pushes: " + std::to_string(r.push_creates) + (r.push_creates == 1 ? " create, " : " creates, ") +
                    std::to_string(r.push_updates) + (r.push_updates == 1 ? " update" : " updates") + " queued, " +
                    std::to_string(r.not_pushed) + " kept local");
}

}  // namespace cairn::sync
