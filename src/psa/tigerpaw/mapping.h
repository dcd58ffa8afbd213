#pragma once
// reference-behaviour.md §2.5 (Tigerpaw → Cairn, one way) as data, read from Tigerpaw's PascalCase
// records (psa-apis.md §5.3): organizations from account summaries, contacts from contact details
// (every phone number and e-mail address), and locations Cairn derives, because Tigerpaw has no
// location entity (D6): one from each account's address (the organization's primary location)
// and one from each active contact's address that differs from its account's. A derived location
// is a small JSON object made by derived_location() and read through the same table.
//
// Derived locations need stable PSA ids for psa_links: "account:{AccountNumber}" for an account's
// address and "contact:{ContactNumber}" for a contact's (the lowest-numbered contact of the
// account with that address, when several share it).
#include <nlohmann/json.hpp>

#include <optional>
#include <string>

#include "psa/mapping.h"

namespace cairn::psa::tigerpaw {

const Mapping& mapping();

// R10: a phone number without its extension ("+1 212 555 0100 x12", "555-0100 ext. 12" → the
// number before it). Tigerpaw keeps extensions in a number's Location ("Ext. 12") or in its text.
std::string without_extension(const std::string& number);

// A contact's PhoneNumbers and EmailAddresses (its details) as the communication items
// Read::Phones / Read::Emails read, under "~communicationItems": one phone per Tigerpaw phone
// type (the primary of a type, else its first), labelled with the type, extension dropped, a
// Location of "Fax" a fax; one e-mail per address, labelled with its Description. Pure.
void add_communication_items(nlohmann::json& contact_detail);

// The location an address makes: `address` is an "Account" or "Contact" object (Address1,
// Address2, City, State, PostalCode, Country); phone is the owner's primary non-fax number, fax
// its fax. nullopt when the address is blank. Pure.
std::optional<nlohmann::json> derived_location(const nlohmann::json& address, const nlohmann::json& phone,
                                               const nlohmann::json& fax, const nlohmann::json& account_number,
                                               bool primary);

// The address fields a derived location matches on (Address 1 + 2, City, State, Country, as
// §2.5's location key), trimmed, as one text: two addresses with the same text make one location.
std::string address_key(const nlohmann::json& address);

// The PSA ids of derived locations, and what they name.
std::string account_location_id(const std::string& account_number);
std::string contact_location_id(const std::string& contact_number);

}  // namespace cairn::psa::tigerpaw
