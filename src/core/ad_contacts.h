#pragma once
// Directory users to contacts (reference-behaviour §4, D23), pure: which users are skipped, the
// labels their emails and phones carry, the AD-only data kept on the contact, and how a user
// matches a contact of the organization (email first, then first + last name).
#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/directory_user.h"
#include "core/time.h"
#include "core/sync_settings.h"

namespace cairn::core {

inline constexpr const char* kAdEmailLabel = "AD Email";
inline constexpr const char* kAdPhoneLabel = "AD Phone";

// userAccountControl bits (Microsoft's ADS_USER_FLAG_ENUM).
inline constexpr std::int64_t kUacAccountDisable = 0x2;
inline constexpr std::int64_t kUacLockout = 0x10;
inline constexpr std::int64_t kUacDontExpirePassword = 0x10000;

struct AdLabels {
  std::string email = kAdEmailLabel;
  std::string phone = kAdPhoneLabel;
};
// The PSA email and phone types of the organization's integration's two-way settings, where
// they name one (R16), else "AD Email" and "AD Phone". settings is null without an integration.
AdLabels ad_labels(const SyncSettings* settings);

// FILETIME ticks to RFC 3339; nullopt for 0 and "never" (AD's 0x7FFFFFFFFFFFFFFF).
std::optional<std::string> filetime_to_rfc3339(std::int64_t ticks);

// The AD-only data a contact keeps (reference-behaviour §4), as the API shows it.
struct AdAttributes {
  std::string account_status;  // enabled, locked-out, expired
  std::optional<std::string> last_logon_at;
  std::optional<std::string> password_last_set_at;
  std::optional<std::string> password_expires_at;  // pwdLastSet + the domain's maxPwdAge
};
AdAttributes ad_attributes(const DirectoryUser& u, const DirectoryPolicy& policy, Clock::time_point now);

// Why a user is not imported: a computer, a disabled account, nothing to name a contact by.
std::optional<std::string> skip_reason(const DirectoryUser& u);

struct ContactEmail {
  std::string value;
  std::string label;
  bool primary = false;
};
struct ContactPhone {
  std::string value;  // separators stripped, as the store keeps phones
  std::string label;
  bool primary = false;
};

// A contact of the organization as matching and enrichment need it.
struct KnownContact {
  std::int64_t id = 0;
  std::string first_name, last_name, title;
  std::vector<ContactEmail> emails;
  std::vector<ContactPhone> phones;
};

// What a user becomes: a new contact, or the additions to a matched one. Enrichment fills empty
// names and title and adds the emails and phones the contact lacks; it never overwrites.
struct ContactDraft {
  std::optional<std::string> first_name, last_name, title;  // set: the value to write
  std::vector<ContactEmail> emails;                         // create: all; enrich: the ones added
  std::vector<ContactPhone> phones;
  AdAttributes ad;
};

struct AdAction {
  enum class Kind { Create, Enrich, Skip };
  Kind kind = Kind::Skip;
  std::string user;  // sAMAccountName, else the DN
  std::int64_t contact_id = 0;  // Enrich
  std::string matched_by;       // Enrich: "email" or "name"
  ContactDraft draft;
  std::string reason;  // Skip
};

// The organization's contacts, indexed for matching, case-insensitively.
class ContactIndex {
 public:
  explicit ContactIndex(std::vector<KnownContact> contacts);
  // Every contact this email belongs to, and every contact of this first + last name.
  std::vector<const KnownContact*> by_email(const std::string& email) const;
  std::vector<const KnownContact*> by_name(const std::string& first, const std::string& last) const;

 private:
  std::vector<KnownContact> contacts_;
  std::multimap<std::string, size_t> emails_, names_;
};

// Plans every user of one import. A contact is enriched by one user at most: a second user that
// matches it is skipped with the reason, as is a name shared by several contacts (which one?).
std::vector<AdAction> plan_ad_import(const std::vector<DirectoryUser>& users, const ContactIndex& contacts,
                                     const AdLabels& labels, const DirectoryPolicy& policy, Clock::time_point now);

}  // namespace cairn::core
