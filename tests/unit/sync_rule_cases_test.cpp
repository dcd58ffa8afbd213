// Data-driven rule tests: each file under tests/cases/sync/<psa>/ is one rule or decision —
// PSA records, settings and what the store holds, and the plan expected. The planner runs on
// them with no network and no database.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "psa/tigerpaw/source.h"
#include "sync/planner.h"

using namespace cairn;
using nlohmann::json;

namespace {

const json kNoObject = json::object();
const json kNoArray = json::array();
// A member or an empty one, by reference: json::value() returns a temporary, which a range-for
// over .items() would outlive.
const json& member(const json& j, const char* key, const json& fallback) {
  auto it = j.find(key);
  return it == j.end() ? fallback : *it;
}

core::SyncEntity entity_of(const std::string& s) {
  if (s == "organization") return core::SyncEntity::Organization;
  if (s == "location") return core::SyncEntity::Location;
  if (s == "contact") return core::SyncEntity::Contact;
  if (s == "configuration") return core::SyncEntity::Configuration;
  throw std::invalid_argument("unknown entity " + s);
}

core::Value value_of(const json& j) {
  if (j.is_null()) return {};
  if (j.is_boolean()) return core::Value(j.get<bool>());
  if (j.is_number_integer()) return core::Value(j.get<std::int64_t>());
  if (j.is_string()) return core::Value(j.get<std::string>());
  if (j.is_array()) {
    core::Rows rows;
    for (const auto& row : j) {
      core::Row cells;
      for (const auto& c : row) cells.push_back(value_of(c));
      rows.push_back(cells);
    }
    return core::Value(rows);
  }
  throw std::invalid_argument("unsupported value " + j.dump());
}

core::PsaRecord record_of(const json& j) {
  core::PsaRecord r;
  r.entity = entity_of(j.at("entity"));
  r.psa_id = j.at("psa_id");
  for (const auto& [k, v] : member(j, "fields", kNoObject).items()) r.fields[k] = value_of(v);
  for (const auto& [k, v] : member(j, "refs", kNoObject).items())
    r.refs[k] = core::PsaRef{entity_of(v.at("entity")), v.at("psa_id")};
  for (const auto& [k, v] : member(j, "lookups", kNoObject).items()) r.lookups[k] = v;
  for (const auto& t : member(j, "types", kNoArray)) r.type_names.push_back(t);
  if (j.contains("status")) r.status_name = j["status"].get<std::string>();
  for (const auto& [k, v] : member(j, "dropped", kNoObject).items()) r.dropped[k] = v;
  r.active = j.value("active", true);
  return r;
}

// The PSA records of a case: "records" in Cairn's terms, and for Tigerpaw "tigerpaw_wire" too
// ({"accounts": [summaries], "contacts": [details]}) turned into records by the connector, so a
// case can prove what the connector derives (locations, dropped extensions, inactive contacts).
std::vector<core::PsaRecord> records_of(const json& c) {
  std::vector<core::PsaRecord> out;
  for (const auto& r : member(c, "records", kNoArray)) out.push_back(record_of(r));
  if (auto wire = c.find("tigerpaw_wire"); wire != c.end()) {
    std::vector<json> accounts, contacts;
    for (const auto& a : member(*wire, "accounts", kNoArray)) accounts.push_back(a);
    for (const auto& k : member(*wire, "contacts", kNoArray)) contacts.push_back(k);
    for (const auto& a : accounts) out.push_back(psa::tigerpaw::organization_record(a));
    for (auto& l : psa::tigerpaw::location_records(accounts, contacts)) out.push_back(std::move(l));
    for (const auto& k : contacts) out.push_back(psa::tigerpaw::contact_record(k));
  }
  return out;
}

std::vector<std::filesystem::path> case_files() {
  std::vector<std::filesystem::path> out;
  for (const auto& e : std::filesystem::recursive_directory_iterator(CAIRN_CASES_DIR "/sync"))
    if (e.path().extension() == ".json") out.push_back(e.path());
  std::sort(out.begin(), out.end());
  return out;
}

class SyncRuleCase : public ::testing::TestWithParam<std::filesystem::path> {};

TEST_P(SyncRuleCase, PlanIsAsExpected) {
  std::ifstream in(GetParam());
  json c = json::parse(in);
  SCOPED_TRACE(c.value("rule", GetParam().string()));
  const std::string kind = c.at("psa");
  const std::vector<core::PsaRecord> records = records_of(c);

  sync::LocalState local;
  for (const auto& [type, names] : member(c, "lookups", kNoObject).items())
    for (const auto& [name, id] : names.items()) local.lookups.add(type, name, id.get<std::int64_t>());
  for (const auto& l : member(c, "links", kNoArray)) {
    // Without a fingerprint, the link holds the one of the PSA record as the case gives it:
    // the PSA has not changed since the last sync.
    std::string print = l.value("fingerprint", "");
    if (!l.contains("fingerprint"))
      for (const auto& r : records)
        if (r.entity == entity_of(l.at("entity")) && r.psa_id == l.at("psa_id").get<std::string>()) print = sync::fingerprint(r);
    local.links[entity_of(l.at("entity"))][l.at("psa_id")] =
        sync::LinkInfo{l.at("local_id"), print, l.value("state", "syncing"), false};
  }
  std::map<std::pair<core::SyncEntity, std::int64_t>, sync::LocalRecord> linked;
  for (const auto& r : member(c, "local", kNoArray)) {
    sync::LocalRecord lr;
    lr.id = r.at("id");
    lr.label = r.value("label", "");
    for (const auto& [k, v] : member(r, "values", kNoObject).items()) lr.values[k] = value_of(v);
    for (const auto& [k, v] : member(r, "texts", kNoObject).items()) lr.texts[k] = v;
    auto e = entity_of(r.at("entity"));
    if (r.value("linked", false)) {
      linked[{e, lr.id}] = lr;
    } else {
      auto& index = local.unlinked[e];
      if (!index) index = std::make_unique<sync::LocalIndex>(sync::match_key(kind, e));
      index->add(lr);
    }
  }
  local.linked_record = [&](core::SyncEntity e, std::int64_t id) -> const sync::LocalRecord* {
    auto it = linked.find({e, id});
    return it == linked.end() ? nullptr : &it->second;
  };
  std::map<std::int64_t, std::int64_t> contact_orgs;
  for (const auto& [k, v] : member(c, "contact_organizations", kNoObject).items()) contact_orgs[std::stoll(k)] = v;
  local.contact_organization = [&](std::int64_t id) { return contact_orgs.count(id) ? contact_orgs[id] : 0; };

  sync::PlanOptions options;
  options.full = c.value("full", true);
  options.allow_mass_orphan = c.value("allow_mass_orphan", false);
  sync::Planner planner(kind, core::SyncSettings::from_json(member(c, "settings", kNoObject).dump()), local, options);

  std::vector<sync::Action> actions;
  for (auto e : {core::SyncEntity::Organization, core::SyncEntity::Location, core::SyncEntity::Contact,
                 core::SyncEntity::Configuration}) {
    for (const auto& r : records) {
      if (r.entity != e) continue;
      for (auto& a : planner.add(r)) actions.push_back(std::move(a));
    }
    for (auto& a : planner.finish(e)) actions.push_back(std::move(a));
  }

  auto describe = [](const sync::Action& a) {
    std::string s = std::string(core::link_entity(a.entity)) + " " + a.psa_id + ": " + sync::action_name(a.kind) + " (" + a.reason + ")";
    for (const auto& ch : a.changes) s += " " + ch.field + "=" + ch.new_text;
    for (const auto& n : a.notes) s += " [" + n + "]";
    return s;
  };
  std::string all;
  for (const auto& a : actions) all += "\n  " + describe(a);
  SCOPED_TRACE("plan:" + all);

  for (const auto& want : c.at("expect")) {
    auto e = entity_of(want.at("entity"));
    const std::string psa_id = want.at("psa_id");
    auto it = std::find_if(actions.begin(), actions.end(), [&](const auto& a) { return a.entity == e && a.psa_id == psa_id; });
    ASSERT_NE(it, actions.end()) << "no action for " << want.at("entity") << " " << psa_id;
    const auto& a = *it;
    EXPECT_EQ(sync::action_name(a.kind), want.at("action").get<std::string>()) << describe(a);
    if (want.contains("local_id")) {
      EXPECT_EQ(a.local_id, want["local_id"].get<std::int64_t>()) << describe(a);
    }
    if (want.contains("reason_contains")) {
      EXPECT_NE(a.reason.find(want["reason_contains"].get<std::string>()), std::string::npos) << describe(a);
    }
    for (const auto& [field, text] : member(want, "changes", kNoObject).items()) {
      auto ch = std::find_if(a.changes.begin(), a.changes.end(), [&](const auto& x) { return x.field == field; });
      if (text.is_null()) {
        EXPECT_EQ(ch, a.changes.end()) << field << " should not change: " << describe(a);
      } else {
        ASSERT_NE(ch, a.changes.end()) << field << " should change: " << describe(a);
        EXPECT_EQ(ch->new_text, text.get<std::string>()) << describe(a);
      }
    }
    if (want.contains("change_count")) {
      EXPECT_EQ(a.changes.size(), want["change_count"].get<size_t>()) << describe(a);
    }
    if (want.contains("near_misses")) {
      EXPECT_EQ(a.near_misses.size(), want["near_misses"].get<size_t>()) << describe(a);
    }
    if (want.contains("candidates")) {
      EXPECT_EQ(a.candidates.size(), want["candidates"].get<size_t>()) << describe(a);
    }
    if (want.contains("notes_contain")) {
      bool found = false;
      for (const auto& n : a.notes) found = found || n.find(want["notes_contain"].get<std::string>()) != std::string::npos;
      EXPECT_TRUE(found) << describe(a);
    }
  }
  if (c.value("exhaustive", true)) {
    size_t counted = 0;
    for (const auto& a : actions) counted += a.kind != sync::ActionKind::Unchanged || c.value("count_unchanged", false);
    size_t expected = 0;
    for (const auto& want : c.at("expect")) expected += want.at("action") != "unchanged" || c.value("count_unchanged", false);
    EXPECT_EQ(counted, expected) << "the plan has actions the case does not expect";
  }
  if (c.contains("expect_stop")) {
    ASSERT_TRUE(planner.stop_reason()) << "expected the run to stop";
    EXPECT_NE(planner.stop_reason()->find(c["expect_stop"].get<std::string>()), std::string::npos) << *planner.stop_reason();
  } else {
    EXPECT_FALSE(planner.stop_reason()) << planner.stop_reason().value_or("");
  }
  for (const auto& [type, names] : member(c, "expect_new_lookups", kNoObject).items())
    for (const auto& n : names) {
      auto m = local.lookups.missing().find(type);
      ASSERT_NE(m, local.lookups.missing().end()) << type;
      EXPECT_TRUE(m->second.count(n.get<std::string>())) << type << " " << n;
    }
}

INSTANTIATE_TEST_SUITE_P(Cases, SyncRuleCase, ::testing::ValuesIn(case_files()), [](const auto& info) {
  std::string name = info.param.parent_path().filename().string() + "_" + info.param.stem().string();
  for (auto& ch : name)
    if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '_';
  return name;
});

}  // namespace
