#pragma once
// Tigerpaw's JSON shapes (PascalCase, psa-apis.md §5.3; 18.2.1 models): records written straight
// into the answer with core::JsonWriter (pages are the hot path), and request bodies applied to
// records. Empty strings go out as null (assumption P13).
#include <optional>
#include <string>

#include <nlohmann/json_fwd.hpp>

#include "core/json_writer.h"
#include "sim/tigerpaw/records.h"

namespace cairn::sim::tigerpaw {

void write_phone(core::JsonWriter& w, const PhoneNumber& p);
void write_email(core::JsonWriter& w, const EmailAddress& e);
void write_lookup(core::JsonWriter& w, const LookupEntry& e);
// TsiWebAccountSummary / TsiWebAccountDetail
void write_account_summary(core::JsonWriter& w, const Store& s, const Account& a);
void write_account_detail(core::JsonWriter& w, const Store& s, const Account& a);
// TsiWebContactSummary / TsiWebContactDetail
void write_contact_summary(core::JsonWriter& w, const Store& s, const Contact& c);
void write_contact_detail(core::JsonWriter& w, const Store& s, const Contact& c);

// Applies the TsiWebAccount members present in `fields` (names ignoring case; unknown members
// ignored) to a. Returns a message when a value is refused (wrong type, unknown type/status).
std::optional<std::string> apply_account_fields(Account& a, const nlohmann::json& fields, const Store& s);
// The same for TsiWebContact; AccountNumber is applied only when allow_account_change.
std::optional<std::string> apply_contact_fields(Contact& c, const nlohmann::json& fields, const Store& s,
                                                bool allow_account_change);
// Checks what a create needs (P10) after the fields were applied.
std::optional<std::string> check_new_account(const Account& a);
std::optional<std::string> check_new_contact(const Contact& c, const Store& s);
// TsiWebPhoneNumber / TsiWebEmailAddress members present in `fields` applied to p / e.
std::optional<std::string> apply_phone_fields(PhoneNumber& p, const nlohmann::json& fields);
std::optional<std::string> apply_email_fields(EmailAddress& e, const nlohmann::json& fields);

// A member of obj by name ignoring case (.NET binding); nullptr when absent.
const nlohmann::json* find_member(const nlohmann::json& obj, std::string_view name);

}  // namespace cairn::sim::tigerpaw
