#include "sync/reconcile.h"

#include <algorithm>
#include <charconv>
#include <string_view>

namespace cairn::sync {

using core::SyncEntity;

namespace {
bool enabled(const std::set<std::string>& names, const std::string& n) { return names.count(n) > 0; }

std::string describe_value(const core::Value& v) { return v.is_null() ? "(empty)" : v.to_text(); }

// Empty text and null are the same to a person and to the PSA.
bool blank(const core::Value& v) { return v.is_null() || (v.is_string() && v.as_string().empty()); }

bool same(const core::Value& a, const core::Value& b) {
  if (blank(a) && blank(b)) return true;
  return a == b;
}
}  // namespace

std::string chosen_type(const core::PsaRecord& r, const core::SyncSettings& s) {
  const auto& enabled_types = r.entity == SyncEntity::Configuration ? s.config_types : s.org_types;
  for (const auto& t : r.type_names)
    if (enabled(enabled_types, t)) return t;
  return r.type_names.empty() ? std::string() : r.type_names.front();
}

Gate gate(const core::PsaRecord& r, const core::SyncSettings& s) {
  switch (r.entity) {
    case SyncEntity::Organization:
    case SyncEntity::Configuration: {
      const bool org = r.entity == SyncEntity::Organization;
      const auto& types = org ? s.org_types : s.config_types;
      const auto& statuses = org ? s.org_statuses : s.config_statuses;
      const char* what = org ? "company" : "configuration";
      std::string t = chosen_type(r, s);
      if (r.type_names.empty()) return {false, std::string(what) + " has no type"};
      if (!enabled(types, t)) {
        std::string all;
        for (const auto& n : r.type_names) all += (all.empty() ? "" : ", ") + n;
        return {false, std::string(what) + " type " + all + " is not enabled for sync"};
      }
      if (!r.status_name) return {false, std::string(what) + " has no status"};
      if (!enabled(statuses, *r.status_name))
        return {false, std::string(what) + " status " + *r.status_name + " is not enabled for sync"};
      return {};
    }
    case SyncEntity::Contact:
      if (!s.contacts_sync) return {false, "contacts sync is off"};
      if (!r.active) return {false, "contact is inactive in the PSA"};
      return {};
    case SyncEntity::Location:
      return {};
  }
  return {};
}

namespace {
// FNV-1a fed as it goes, over the same canonical text (each part as "<bytes>:<part>") the
// digest was first defined on: a resync computes one per record, and building the text first
// cost an allocation per field.
class Fnv {
 public:
  void put(std::string_view s) {
    char len[24];
    auto end = std::to_chars(len, len + sizeof len, s.size()).ptr;
    feed(std::string_view(len, static_cast<size_t>(end - len)));
    feed(":");
    feed(s);
  }
  void put_value(const core::Value& v) {
    if (v.is_int()) {
      char digits[24];
      auto end = std::to_chars(digits, digits + sizeof digits, v.as_int()).ptr;
      put(std::string_view(digits, static_cast<size_t>(end - digits)));
    } else if (v.is_string()) {
      put(v.as_string());
    } else if (v.is_null()) {
      put(std::string_view());
    } else {
      put(v.to_text());  // booleans and child rows
    }
  }
  std::uint64_t digest() const { return h_; }

 private:
  void feed(std::string_view s) {
    for (unsigned char c : s) {
      h_ ^= c;
      h_ *= 1099511628211ull;
    }
  }
  std::uint64_t h_ = 1469598103934665603ull;
};
}  // namespace

std::string fingerprint(const core::PsaRecord& r) {
  // FNV-1a over a canonical text: stable across runs and builds, unlike std::hash.
  Fnv h;
  for (const auto& [k, v] : r.fields) {
    h.put(k);
    const char index = static_cast<char>('0' + v.v.index());  // the value's type: one digit
    h.put(std::string_view(&index, 1));
    h.put_value(v);
  }
  for (const auto& [k, ref] : r.refs) {
    h.put(k);
    h.put(ref.psa_id);
  }
  for (const auto& [k, name] : r.lookups) {
    h.put(k);
    h.put(name);
  }
  for (const auto& t : r.type_names) h.put(t);
  h.put(r.status_name ? std::string_view(*r.status_name) : std::string_view("\x01"));
  h.put(std::string_view(r.active ? "1" : "0"));
  // Sixteen hex digits, written by hand: snprintf was a fifth of the fingerprint's cost.
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out(16, '0');
  for (std::uint64_t d = h.digest(), i = 16; i-- > 0; d >>= 4) out[i] = kHex[d & 15];
  return out;
}

std::string LocalIndex::strict_key(const std::map<std::string, core::Value>& v) const {
  std::string k;
  for (const auto& p : key_.parts) {
    if (p.only_if_both) continue;  // compared one by one in exact()
    auto it = v.find(p.field);
    std::string part = it == v.end() ? std::string() : key_text(it->second);
    k += std::to_string(part.size()) + ':' + part;
  }
  return k;
}

std::string LocalIndex::loose_key(const std::map<std::string, core::Value>& v) const {
  std::string k;
  for (const auto& p : key_.parts) {
    if (p.only_if_both) continue;
    auto it = v.find(p.field);
    std::string part = it == v.end() ? std::string() : loose(key_text(it->second));
    k += std::to_string(part.size()) + ':' + part;
  }
  return k;
}

void LocalIndex::add(LocalRecord r) {
  std::int64_t id = r.id;
  by_strict_.emplace(strict_key(r.values), id);
  by_loose_.emplace(loose_key(r.values), id);
  records_[id] = std::move(r);
}

void LocalIndex::remove(std::int64_t id) {
  auto it = records_.find(id);
  if (it == records_.end()) return;
  for (auto* index : {&by_strict_, &by_loose_}) {
    auto key = index == &by_strict_ ? strict_key(it->second.values) : loose_key(it->second.values);
    auto [a, b] = index->equal_range(key);
    for (auto i = a; i != b; ++i)
      if (i->second == id) {
        index->erase(i);
        break;
      }
  }
  records_.erase(it);
}

std::vector<const LocalRecord*> LocalIndex::exact(const Desired& d) const {
  std::vector<const LocalRecord*> out;
  if (records_.empty()) return out;  // a first sync into an empty Cairn: no key to build
  auto [a, b] = by_strict_.equal_range(strict_key(d.values));
  for (auto i = a; i != b; ++i) {
    const LocalRecord& r = records_.at(i->second);
    bool ok = true;
    for (const auto& p : key_.parts) {
      if (!p.only_if_both) continue;
      auto mine = d.values.find(p.field);
      auto theirs = r.values.find(p.field);
      std::string x = mine == d.values.end() ? std::string() : key_text(mine->second);
      std::string y = theirs == r.values.end() ? std::string() : key_text(theirs->second);
      if (!x.empty() && !y.empty() && x != y) ok = false;  // a blank never blocks (D3)
    }
    if (ok) out.push_back(&r);
  }
  std::sort(out.begin(), out.end(), [](auto* x, auto* y) { return x->id < y->id; });
  return out;
}

std::vector<const LocalRecord*> LocalIndex::near(const Desired& d) const {
  std::vector<const LocalRecord*> out;
  if (records_.empty()) return out;
  auto exact_ones = exact(d);
  auto [a, b] = by_loose_.equal_range(loose_key(d.values));
  for (auto i = a; i != b; ++i) {
    const LocalRecord& r = records_.at(i->second);
    if (std::find(exact_ones.begin(), exact_ones.end(), &r) == exact_ones.end()) out.push_back(&r);
  }
  std::sort(out.begin(), out.end(), [](auto* x, auto* y) { return x->id < y->id; });
  return out;
}

std::string LocalIndex::describe(const Desired& d) const {
  std::string out;
  for (const auto& p : key_.parts) {
    auto it = d.values.find(p.field);
    auto t = d.texts.find(p.field);
    std::string v = t != d.texts.end() ? t->second : it == d.values.end() ? std::string() : key_text(it->second);
    if (p.only_if_both && v.empty()) continue;
    out += (out.empty() ? "" : ", ") + p.field + "=" + v;
  }
  return out;
}

namespace {
// Every created record comes through here with all its fields: what is the same is skipped
// before anything is copied, and each change is built in place. DesiredT is Desired or const
// Desired: std::move of a const value below copies it, so only a Desired the caller gave up moves.
template <class DesiredT>
std::vector<FieldChange> diff_of(DesiredT& desired, const LocalRecord* local, bool texts) {
  static const core::Value kNone;
  std::vector<FieldChange> out;
  out.reserve(desired.values.size());
  for (auto& [field, want] : desired.values) {
    const core::Value* have = &kNone;
    if (local) {
      if (auto it = local->values.find(field); it != local->values.end()) have = &it->second;
      if (same(*have, want)) continue;
    } else if (blank(want)) {
      continue;
    }
    FieldChange& c = out.emplace_back();
    c.field = field;
    c.old_value = *have;
    if (!texts) {
      c.new_value = std::move(want);
      continue;
    }
    if (local) {
      auto t = local->texts.find(field);
      c.old_text = t != local->texts.end() ? t->second : describe_value(*have);
    } else {
      c.old_text = "(none)";
    }
    auto t = desired.texts.find(field);
    c.new_text = t != desired.texts.end() ? std::move(t->second) : describe_value(want);
    c.new_value = std::move(want);  // last: the texts above read it
  }
  return out;
}
}  // namespace

std::vector<FieldChange> diff(const Desired& desired, const LocalRecord* local) { return diff_of(desired, local, true); }

std::vector<FieldChange> diff(Desired&& desired, const LocalRecord* local, bool texts) {
  return diff_of(desired, local, texts);
}

Action reconcile(ReconcileInput in) {
  Action a;
  a.entity = in.record.entity;
  a.psa_id = in.record.psa_id;
  a.fingerprint = std::move(in.fingerprint);
  a.match_key = std::move(in.match_description);
  a.notes = in.desired.notes;
  auto name = in.desired.texts.find("name");
  auto v = in.desired.values.find("name");
  a.label = name != in.desired.texts.end() ? name->second : v != in.desired.values.end() ? key_text(v->second) : "";
  if (a.label.empty()) {
    auto first = in.desired.values.find("first_name"), last = in.desired.values.find("last_name");
    a.label = trimmed((first != in.desired.values.end() ? key_text(first->second) : "") + " " +
                      (last != in.desired.values.end() ? key_text(last->second) : ""));
  }

  if (in.link) {
    a.local_id = in.link->local_id;
    if (in.link->state == "disabled") {
      a.kind = ActionKind::Skip;
      a.reason = "sync is disabled on this record";
      return a;
    }
    std::optional<std::string> why_not;
    if (!in.gate.syncs) why_not = in.gate.reason;
    else if (in.desired.unplaced) why_not = in.desired.unplaced;
    if (why_not) {
      if (in.link->state == "orphaned") {
        a.kind = ActionKind::Unchanged;
        return a;
      }
      a.kind = ActionKind::Orphan;
      a.reason = *why_not;
      return a;
    }
    a.changes = diff(in.desired, in.linked);
    if (in.link->state == "orphaned") {
      a.kind = ActionKind::Update;  // re-linked: it syncs again (D9)
      a.reason = "syncs again";
      return a;
    }
    a.kind = a.changes.empty() && in.link->fingerprint == a.fingerprint ? ActionKind::Unchanged : ActionKind::Update;
    if (a.changes.empty() && a.kind == ActionKind::Update) a.reason = "only the link's fingerprint changes";
    return a;
  }

  if (!in.gate.syncs) {
    a.kind = ActionKind::Skip;
    a.reason = in.gate.reason;
    return a;
  }
  if (in.desired.unplaced) {
    a.kind = ActionKind::Skip;
    a.reason = *in.desired.unplaced;
    return a;
  }
  if (in.exact.size() > 1) {
    a.kind = ActionKind::Ambiguous;
    a.reason = "matches " + std::to_string(in.exact.size()) + " " + core::link_entity(in.record.entity) +
               " records; link one by hand (cairn link)";
    for (const auto* r : in.exact) a.candidates.push_back(r->id);
    return a;
  }
  if (in.exact.size() == 1) {
    a.kind = ActionKind::Link;
    a.local_id = in.exact.front()->id;
    a.changes = diff(in.desired, in.exact.front());
    return a;
  }
  a.kind = ActionKind::Create;
  a.changes = diff(std::move(in.desired), nullptr, in.create_texts);  // nothing reads its values after a create
  for (const auto* r : in.near)
    a.near_misses.push_back("possible duplicate of " + std::string(core::link_entity(in.record.entity)) + " " +
                            std::to_string(r->id) + " (" + r->label + ")");
  return a;
}

}  // namespace cairn::sync
