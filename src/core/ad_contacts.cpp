#include "core/ad_contacts.h"

#include <algorithm>
#include <cctype>
#include <limits>
#include <set>

#include "core/time.h"
#include "core/validation.h"

namespace cairn::core {
namespace {

// Seconds from 1601-01-01 (FILETIME's epoch) to 1970-01-01.
constexpr std::int64_t kFiletimeEpochOffset = 11644473600LL;
constexpr std::int64_t kTicksPerSecond = 10'000'000;

std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string trim(const std::string& s) {
  auto b = s.find_first_not_of(" \t\r\n");
  if (b == std::string::npos) return {};
  return s.substr(b, s.find_last_not_of(" \t\r\n") - b + 1);
}

std::string name_key(const std::string& first, const std::string& last) {
  return lower(trim(first)) + '\n' + lower(trim(last));
}

bool never(std::int64_t ticks) { return ticks <= 0 || ticks == std::numeric_limits<std::int64_t>::max(); }

std::optional<Clock::time_point> filetime_point(std::int64_t ticks) {
  if (never(ticks)) return std::nullopt;
  std::int64_t seconds = ticks / kTicksPerSecond - kFiletimeEpochOffset;
  std::int64_t rest_ms = (ticks % kTicksPerSecond) / 10'000;
  return Clock::time_point(std::chrono::seconds(seconds)) + std::chrono::milliseconds(rest_ms);
}

bool has_email(const std::vector<ContactEmail>& emails, const std::string& value) {
  return std::any_of(emails.begin(), emails.end(), [&](const ContactEmail& e) { return lower(e.value) == lower(value); });
}
bool has_phone(const std::vector<ContactPhone>& phones, const std::string& value) {
  return std::any_of(phones.begin(), phones.end(), [&](const ContactPhone& p) { return p.value == value; });
}

// The user's emails and phones, labelled; the first of each is primary on a new contact.
void add_channels(const DirectoryUser& u, const AdLabels& labels, ContactDraft& d) {
  std::string mail = trim(u.mail);
  if (!mail.empty() && is_email(mail)) d.emails.push_back({mail, labels.email, true});
  for (const auto* raw : {&u.telephone, &u.mobile}) {
    std::string phone = strip_phone_separators(trim(*raw));
    if (!phone.empty() && !has_phone(d.phones, phone)) d.phones.push_back({phone, labels.phone, d.phones.empty()});
  }
}

std::optional<std::string> nonempty(const std::string& s) {
  std::string t = trim(s);
  if (t.empty()) return std::nullopt;
  return t;
}

}  // namespace

AdLabels ad_labels(const SyncSettings* settings) {
  AdLabels out;
  if (!settings) return out;
  if (!trim(settings->two_way_email_type).empty()) out.email = trim(settings->two_way_email_type);
  if (!trim(settings->two_way_phone_type).empty()) out.phone = trim(settings->two_way_phone_type);
  return out;
}

std::optional<std::string> filetime_to_rfc3339(std::int64_t ticks) {
  auto t = filetime_point(ticks);
  if (!t) return std::nullopt;
  return rfc3339(*t);
}

AdAttributes ad_attributes(const DirectoryUser& u, const DirectoryPolicy& policy, Clock::time_point now) {
  AdAttributes a;
  std::int64_t uac = u.user_account_control.value_or(0);
  auto expires = u.account_expires ? filetime_point(*u.account_expires) : std::nullopt;
  if (uac & kUacAccountDisable) a.account_status = "disabled";
  else if (expires && *expires <= now) a.account_status = "expired";
  else if (uac & kUacLockout) a.account_status = "locked-out";
  else a.account_status = "enabled";
  if (u.last_logon) a.last_logon_at = filetime_to_rfc3339(*u.last_logon);
  if (u.pwd_last_set) a.password_last_set_at = filetime_to_rfc3339(*u.pwd_last_set);
  // maxPwdAge is negative (an interval back in time); 0 or "never" means passwords do not expire.
  if (u.pwd_last_set && !never(*u.pwd_last_set) && policy.max_pwd_age && *policy.max_pwd_age < 0 &&
      *policy.max_pwd_age != std::numeric_limits<std::int64_t>::min() && !(uac & kUacDontExpirePassword))
    a.password_expires_at = filetime_to_rfc3339(*u.pwd_last_set - *policy.max_pwd_age);
  return a;
}

std::optional<std::string> skip_reason(const DirectoryUser& u) {
  bool machine_name = !u.account_name.empty() && u.account_name.back() == '$';
  if (u.is_computer || machine_name) return "computer account";
  if (u.user_account_control.value_or(0) & kUacAccountDisable) return "disabled account";
  if (trim(u.given_name).empty() && trim(u.surname).empty() && trim(u.mail).empty())
    return "no first name, last name or email";
  return std::nullopt;
}

ContactIndex::ContactIndex(std::vector<KnownContact> contacts) : contacts_(std::move(contacts)) {
  for (size_t i = 0; i < contacts_.size(); ++i) {
    for (const auto& e : contacts_[i].emails) emails_.emplace(lower(trim(e.value)), i);
    if (!trim(contacts_[i].first_name).empty() || !trim(contacts_[i].last_name).empty())
      names_.emplace(name_key(contacts_[i].first_name, contacts_[i].last_name), i);
  }
}

std::vector<const KnownContact*> ContactIndex::by_email(const std::string& email) const {
  std::vector<const KnownContact*> out;
  std::set<size_t> seen;  // a contact may hold one address twice
  auto [b, e] = emails_.equal_range(lower(trim(email)));
  for (auto it = b; it != e; ++it)
    if (seen.insert(it->second).second) out.push_back(&contacts_[it->second]);
  return out;
}

std::vector<const KnownContact*> ContactIndex::by_name(const std::string& first, const std::string& last) const {
  std::vector<const KnownContact*> out;
  auto [b, e] = names_.equal_range(name_key(first, last));
  for (auto it = b; it != e; ++it) out.push_back(&contacts_[it->second]);
  return out;
}

std::vector<AdAction> plan_ad_import(const std::vector<DirectoryUser>& users, const ContactIndex& contacts,
                                     const AdLabels& labels, const DirectoryPolicy& policy, Clock::time_point now) {
  std::vector<AdAction> out;
  out.reserve(users.size());
  std::set<std::int64_t> enriched;
  std::set<std::string> created_emails, created_names;
  for (const auto& u : users) {
    AdAction a;
    a.user = u.account_name.empty() ? u.dn : u.account_name;
    if (auto why = skip_reason(u)) {
      a.reason = *why;
      out.push_back(std::move(a));
      continue;
    }
    ContactDraft full;
    full.first_name = nonempty(u.given_name);
    full.last_name = nonempty(u.surname);
    full.title = nonempty(u.title);
    add_channels(u, labels, full);
    full.ad = ad_attributes(u, policy, now);
    const std::string mail = full.emails.empty() ? std::string() : full.emails.front().value;

    // Email first, then first + last name (reference-behaviour §4).
    std::vector<const KnownContact*> found;
    if (!mail.empty()) found = contacts.by_email(mail);
    a.matched_by = "email";
    bool has_name = full.first_name || full.last_name;
    if (found.empty() && has_name) {
      found = contacts.by_name(u.given_name, u.surname);
      a.matched_by = "name";
    }
    if (found.size() > 1) {
      a.reason = std::to_string(found.size()) + " contacts match by " + a.matched_by + "; none was chosen";
      out.push_back(std::move(a));
      continue;
    }
    if (found.empty()) {
      a.matched_by.clear();
      std::string key = has_name ? name_key(u.given_name, u.surname) : std::string();
      bool duplicate = mail.empty() ? created_names.count(key) > 0 : created_emails.count(lower(mail)) > 0;
      if (duplicate) {
        a.reason = "another user of this import has the same " + std::string(mail.empty() ? "name" : "email");
        out.push_back(std::move(a));
        continue;
      }
      if (!mail.empty()) created_emails.insert(lower(mail));
      else created_names.insert(key);
      a.kind = AdAction::Kind::Create;
      a.draft = std::move(full);
      out.push_back(std::move(a));
      continue;
    }
    const KnownContact& c = *found.front();
    if (!enriched.insert(c.id).second) {
      a.reason = "contact " + std::to_string(c.id) + " was already matched by another user of this import";
      out.push_back(std::move(a));
      continue;
    }
    a.kind = AdAction::Kind::Enrich;
    a.contact_id = c.id;
    ContactDraft& d = a.draft;
    if (trim(c.first_name).empty()) d.first_name = full.first_name;
    if (trim(c.last_name).empty()) d.last_name = full.last_name;
    if (trim(c.title).empty()) d.title = full.title;
    for (auto e : full.emails)
      if (!has_email(c.emails, e.value)) {
        e.primary = c.emails.empty();
        d.emails.push_back(std::move(e));
      }
    for (auto p : full.phones)
      if (!has_phone(c.phones, p.value)) {
        p.primary = c.phones.empty() && d.phones.empty();
        d.phones.push_back(std::move(p));
      }
    d.ad = std::move(full.ad);
    out.push_back(std::move(a));
  }
  return out;
}

}  // namespace cairn::core
