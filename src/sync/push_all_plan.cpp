#include "sync/push_all_plan.h"

#include <algorithm>
#include <unordered_map>

#include "core/psa_capabilities.h"
#include "sync/create_rules.h"
#include "sync/match_keys.h"
#include "sync/reconcile.h"

namespace cairn::sync {

using core::SyncEntity;

const char* push_all_kind_name(PushAllKind k) {
  switch (k) {
    case PushAllKind::Link: return "link";
    case PushAllKind::Create: return "create";
    case PushAllKind::Skip: return "skip";
  }
  return "?";
}

namespace {

bool has_value(const core::Value& v) {
  if (v.is_null()) return false;
  if (v.is_string()) return !v.as_string().empty();
  if (v.is_rows()) return !v.as_rows().empty();
  return true;
}

const core::Value& value_of(const std::map<std::string, core::Value>& values, const std::string& name) {
  static const core::Value none;
  auto it = values.find(name);
  return it == values.end() ? none : it->second;
}

std::optional<std::string> text_of(const std::map<std::string, core::Value>& values, const std::string& name) {
  const auto& v = value_of(values, name);
  if (!v.is_string() || v.as_string().empty()) return std::nullopt;
  return v.as_string();
}

// The candidate as the matcher sees it: the key's attributes, references by local id, and the
// names a person reads for references ("organization_id=Acme").
Desired desired_of(const PushAllCandidate& c, const MatchKey& key) {
  Desired d;
  for (const auto& p : key.parts) {
    d.values[p.field] = value_of(c.values, p.field);
    if (p.field.size() > 3 && p.field.ends_with("_id"))
      if (auto name = text_of(c.values, p.field.substr(0, p.field.size() - 3) + "_name")) d.texts[p.field] = *name;
  }
  return d;
}

bool identifying(const std::string& field) {
  return field == "name" || field == "first_name" || field == "last_name" || field == "configuration_type_id" ||
         field == "organization_id";
}

std::string id_list(const std::vector<std::string>& ids) {
  std::string out;
  for (const auto& id : ids) out += (out.empty() ? "" : ", ") + id;
  return out;
}

}  // namespace

PushAllPlanner::PushAllPlanner(std::string kind, core::SyncSettings settings, LocalState& local)
    : kind_(std::move(kind)), settings_(std::move(settings)), local_(local), resolver_(kind_, settings_, local_) {}

std::string PushAllPlanner::label_of(const PushAllCandidate& c) const {
  if (c.entity == SyncEntity::Contact) {
    std::string first = text_of(c.values, "first_name").value_or(""), last = text_of(c.values, "last_name").value_or("");
    return first.empty() || last.empty() ? first + last : first + " " + last;
  }
  return text_of(c.values, "name").value_or("");
}

std::vector<std::string> PushAllPlanner::companies_in_psa() const {
  std::vector<std::string> out;
  auto it = local_.links.find(SyncEntity::Organization);
  if (it == local_.links.end()) return out;
  for (const auto& [psa_id, link] : it->second)
    if (link.state == "syncing") out.push_back(psa_id);
  return out;
}

MatchKey PushAllPlanner::key_of(SyncEntity e) const {
  // A region or country Cairn could not keep from a pull (Autotask gives a state but no country,
  // and a region needs its country) must not make the PSA's own copy look like another
  // location: for push-all those parts never block, as a blank serial never does (D3).
  MatchKey key = match_key(kind_, e);
  for (auto& p : key.parts)
    if (p.field == "region_name" || p.field == "country_name") p.only_if_both = true;
  return key;
}

LocalIndex PushAllPlanner::unlinked_in_psa(SyncEntity e, const MatchKey& key, const std::vector<core::PsaRecord>& psa) {
  const auto& links = local_.links[e];
  LocalIndex in_psa(key);
  for (size_t i = 0; i < psa.size(); ++i) {
    const auto& r = psa[i];
    if (r.deleted || links.count(r.psa_id)) continue;
    LocalRecord lr;
    lr.id = static_cast<std::int64_t>(i) + 1;
    lr.values = resolver_.resolve(r).values;
    in_psa.add(std::move(lr));
  }
  return in_psa;
}

std::vector<size_t> PushAllPlanner::find_in_psa(SyncEntity e, const PushAllCandidate& c,
                                                const std::vector<core::PsaRecord>& psa) {
  const MatchKey key = key_of(e);
  std::vector<size_t> out;
  const LocalIndex in_psa = unlinked_in_psa(e, key, psa);
  for (const auto* r : in_psa.exact(desired_of(c, key))) out.push_back(static_cast<size_t>(r->id - 1));
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<PushAllAction> PushAllPlanner::plan(SyncEntity e, const std::vector<PushAllCandidate>& candidates,
                                                const std::vector<core::PsaRecord>& psa) {
  const auto* caps = core::capabilities_for(kind_);
  const std::string psa_name = caps ? std::string(caps->display_name) : kind_;
  const MatchKey key = key_of(e);
  auto& links = local_.links[e];
  const LocalIndex in_psa = unlinked_in_psa(e, key, psa);

  // Organizations in the PSA for this run: linked (and syncing), or planned for a link just now.
  std::set<std::int64_t> orgs_in_psa;
  for (const auto& [psa_id, link] : local_.links[SyncEntity::Organization])
    if (link.state == "syncing") orgs_in_psa.insert(link.local_id);

  std::vector<PushAllAction> out(candidates.size());
  std::vector<const PushAllCandidate*> eligible;
  std::unordered_map<std::int64_t, std::string> cannot_create;  // candidate id → why not (D16)
  LocalIndex in_cairn(key);
  for (size_t i = 0; i < candidates.size(); ++i) {
    const auto& c = candidates[i];
    auto& a = out[i];
    a.entity = e;
    a.local_id = c.id;
    a.label = label_of(c);
    a.match_key = in_cairn.describe(desired_of(c, key));
    auto skip = [&](std::string why) {
      a.kind = PushAllKind::Skip;
      a.reason = std::move(why);
    };
    // Skipped rather than taken over: the pusher may be sending that create this moment, and
    // links the record when it is done (or, its create failed, waits for a person to retry or
    // drop it). A record under it waits for the next run, as under any skipped organization.
    if (c.create_queued) {
      skip("a create is already queued for it (cairn outbox list)");
      continue;
    }
    if (e != SyncEntity::Organization) {
      const auto& org = value_of(c.values, "organization_id");
      if (!org.is_int()) {
        skip("it belongs to no organization");
        continue;
      }
      if (!orgs_in_psa.count(org.as_int()) && !orgs_created_.count(org.as_int())) {
        std::string why = "its organization \"" + text_of(c.values, "organization_name").value_or(std::to_string(org.as_int())) +
                          "\" is not in " + psa_name + " and is not pushed in this run";
        if (auto s = orgs_skipped_.find(org.as_int()); s != orgs_skipped_.end()) why += " (" + s->second + ")";
        skip(why);
        continue;
      }
    }
    CreateCandidate cc;
    cc.entity = e;
    if (e == SyncEntity::Organization) {
      cc.type_name = text_of(c.values, "organization_type_name");
      cc.status_name = text_of(c.values, "organization_status_name");
    } else if (e == SyncEntity::Configuration) {
      cc.type_name = text_of(c.values, "configuration_type_name");
      cc.status_name = text_of(c.values, "configuration_status_name");
    }
    cc.has = [&](const std::string& attribute) { return has_value(value_of(c.values, attribute)); };
    cc.bulk = false;  // push-all is the person's confirmation (R17)
    if (auto why = why_not_pushed(kind_, cc, settings_)) {
      skip(*why);
      continue;
    }
    // The PSA's required fields are a create's: a record the PSA has already is linked without them.
    if (auto why = why_not_created(kind_, cc, settings_)) cannot_create[c.id] = *why;
    // A blank name (or type) may not come back blank from the PSA, which fills or refuses it;
    // blank optional parts (a second address line) round-trip as blank and are fine.
    bool blank = false;
    for (const auto& p : key.parts)
      if (!p.only_if_both && identifying(p.field) && key_text(value_of(c.values, p.field)).empty()) {
        skip("its " + p.field + " is blank: " + psa_name +
             " could not find it again by its match key, so a rerun could create it twice; fill it in first");
        blank = true;
        break;
      }
    if (blank) continue;
    eligible.push_back(&c);
    LocalRecord lr;
    lr.id = c.id;
    lr.values = desired_of(c, key).values;
    in_cairn.add(std::move(lr));
  }

  // Which PSA records each eligible candidate matches, and how many candidates claim each.
  std::unordered_map<std::int64_t, std::vector<const LocalRecord*>> matches;
  std::unordered_map<std::int64_t, int> claims;
  for (const auto* c : eligible) {
    auto found = in_psa.exact(desired_of(*c, key));
    for (const auto* r : found) ++claims[r->id];
    matches[c->id] = std::move(found);
  }
  std::unordered_map<std::int64_t, size_t> position;
  for (size_t i = 0; i < candidates.size(); ++i) position[candidates[i].id] = i;
  for (const auto* c : eligible) {
    auto& a = out[position[c->id]];
    auto twins = in_cairn.exact(desired_of(*c, key));
    const auto& found = matches[c->id];
    if (twins.size() > 1) {
      std::vector<std::string> ids;
      for (const auto* t : twins) ids.push_back(std::to_string(t->id));
      a.kind = PushAllKind::Skip;
      a.reason = "ambiguous: Cairn " + std::string(core::link_entity(e)) + "s " + id_list(ids) +
                 " have the same match key, which " + psa_name + " could not tell apart; make them differ first";
    } else if (found.size() > 1) {
      std::vector<std::string> ids;
      for (const auto* r : found) ids.push_back(psa[static_cast<size_t>(r->id - 1)].psa_id);
      a.kind = PushAllKind::Skip;
      a.reason = "ambiguous: " + psa_name + " holds " + std::to_string(found.size()) + " records with this match key (" +
                 id_list(ids) + "); link one by hand (cairn link), none is created";
    } else if (found.size() == 1 && claims[found[0]->id] > 1) {
      a.kind = PushAllKind::Skip;
      a.reason = "ambiguous: " + psa_name + " record " + psa[static_cast<size_t>(found[0]->id - 1)].psa_id +
                 " matches more than one Cairn " + std::string(core::link_entity(e)) + "; link it by hand (cairn link)";
    } else if (found.size() == 1) {
      const auto& r = psa[static_cast<size_t>(found[0]->id - 1)];
      a.kind = PushAllKind::Link;
      a.psa_id = r.psa_id;
      a.fingerprint = fingerprint(r);
    } else if (auto why = cannot_create.find(c->id); why != cannot_create.end()) {
      a.kind = PushAllKind::Skip;
      a.reason = why->second;
    } else {
      a.kind = PushAllKind::Create;
    }
  }

  for (const auto& a : out) {
    if (a.kind == PushAllKind::Link) links[a.psa_id] = LinkInfo{a.local_id, a.fingerprint, "syncing", false, false};
    if (e != SyncEntity::Organization) continue;
    if (a.kind == PushAllKind::Create) orgs_created_.insert(a.local_id);
    if (a.kind == PushAllKind::Skip) orgs_skipped_[a.local_id] = a.reason;
  }
  return out;
}

void add_totals(PushAllTotals& totals, const std::vector<PushAllAction>& actions) {
  for (const auto& a : actions) ++totals[core::link_entity(a.entity)][push_all_kind_name(a.kind)];
}

}  // namespace cairn::sync
