#pragma once
// Every choice the Tigerpaw emulator makes where psa-apis.md §5 marks a fact inferred or leaves it
// open (most of Tigerpaw's REST API is known only from 18.2.1 generated clients), in one place so
// each is easy to find, test and change. docs/psa-assumptions.md lists them for people; keep the
// two in step.
#include <string_view>

namespace cairn::sim::tigerpaw::assumed {

// P1 The API lives under /api; paths are matched ignoring ASCII case (IIS/ASP.NET routing).
inline constexpr std::string_view kApiRoot = "/api";

// P2 Any authentication failure (no or malformed Authorization header, unknown public key, wrong
//    signature, no date, a date off by more than the allowed skew) answers 401 with ASP.NET Web
//    API's default body. The signed timestamp is checked against the real wall clock, not the
//    emulator's movable clock, because clients sign with real time.
inline constexpr int kUnauthorizedStatus = 401;
inline constexpr std::string_view kUnauthorizedMessage = "Authorization has been denied for this request.";
// P3 Allowed clock skew (either direction), default of Options::clock_skew_seconds.
inline constexpr int kDefaultClockSkewSeconds = 300;

// P4 Search paging: StartRow is 1-based (default 1); PageSize defaults to kDefaultPageSize and is
//    capped at the configured maximum (default 100); PageSize < 1 or StartRow < 1 is a bad request.
//    NextRow is the StartRow of the next page, or 0 when this page is the last one.
inline constexpr int kDefaultPageSize = 50;
inline constexpr int kDefaultMaxPageSize = 100;
// P5 Search results are ordered by AccountNumber / ContactNumber ascending.

// P6 Search semantics: SearchType, MatchType and body keys are read ignoring case (.NET binding);
//    criteria of one SearchType are ORed, of different types ANDed ([F]); a missing MatchType is
//    StartsWith ([F]); text compares ignoring case; AccountNumber compares as a number (its
//    Criteria must be an integer); PhoneNumber compares digits only; a multi-valued type (Email,
//    PhoneNumber, Address) matches when any value does; an absent value is the empty string, so
//    StartsWith "" matches every record (the way to list all contacts, which have no number
//    search). An empty or missing Criteria list is refused: Tigerpaw has no list-all.
//    Account Email / PhoneNumber search the account's and its contacts' values ([F] wording);
//    Address searches Address1 and Address2; contact AccountId is the account's AccountId (user
//    code). Documented types the emulator does not model (sounds-like, custom fields, agreements,
//    external ids and products) are refused as unsupported.
// P7 Bad requests (bad search, validation failure) answer 400 {"Success":false,"Message":…};
//    the texts are the emulator's own.
inline constexpr int kBadRequestStatus = 400;

// P8 A missing account or contact number answers 404 {"Success":false,"Message":…}; unknown
//    routes 404 and known routes with another verb 405, both with ASP.NET's {"Message"} bodies.
inline constexpr std::string_view kNoRouteMessage = "No HTTP resource was found that matches the request URI '{uri}'.";
inline constexpr std::string_view kWrongVerbMessage = "The requested resource does not support http method '{method}'.";

// P9 Accounts and contacts cannot be deleted through the API (no DELETE in the 18.2.1 clients):
//    DELETE answers 405. A contact is retired by setting Inactive. Phone numbers and e-mail
//    addresses are deleted with DELETE …/phonenumbers?id=N, …/emails?id=N → {"Success":true}.
// P10 Create answers 200 with the summary in its response envelope ({"AccountSummary"|
//    "ContactSummary", "Success":true, "Message":null}). Required on create: Account.Name,
//    AccountType and Status (values of the master tables, matched ignoring case); Contact
//    AccountNumber (an existing account), FirstName, LastName.
// P11 PUT /api/accounts/{n} and /api/contacts/{n} change the fields present in the body and keep
//    the others (nullable fields of the update model); AccountNumber of a contact is not changed
//    by PUT (Tigerpaw links contacts with …/link).

// P12 Phone numbers: Location is the phone location from /api/mastertables/phonelocations
//    (Main, Direct, Mobile, Home, Fax) — or, for a number with an extension, "Ext. {n}"
//    (Tigerpaw's "type or extension"; such a number is a work number). A number is a fax when its
//    Location is Fax. The summaries' PhoneNumber is the primary non-fax number (else the first
//    non-fax one), FaxNumber the primary fax (else the first fax).
inline constexpr std::string_view kFaxLocation = "Fax";
inline constexpr std::string_view kExtensionPrefix = "Ext. ";

// P13 Empty strings are written as null; every documented field of the summary is present.
// P14 Tigerpaw has no modified date on the wire (§5.3). The emulator still keeps one per account
//    and contact, set by every change (API or admin path), readable only through the admin path
//    (GET /__sim/last-modified/{accounts|contacts}/{number}).
// P15 Seeds: AccountNumber / ContactNumber are the world's ids; AccountType is the world company
//    type's name and Status the company status's name (a deleted world company is "Inactive");
//    AccountId is the short name; the account's phone is "Main" (primary) and its fax "Fax"; a
//    contact's address is its site's; world configurations and sites are not served.
// P16 JSON only: Accept: application/xml is answered in JSON. POST and PUT without
//    Content-Length answer 411 {"Message":…}.
inline constexpr std::string_view kLengthRequiredMessage = "The request must have a Content-Length header.";

// P17 Injected server failure: 500 with ASP.NET's default body; throttled: 429 {"Message":…}
//    (Tigerpaw's throttling is unknown).
inline constexpr std::string_view kServerErrorMessage = "An error has occurred.";
inline constexpr std::string_view kThrottledMessage = "Too many requests. Try again later.";

// P18 Master tables answer plain arrays of {Id, Value, IsSystemEntry, IsSystemDefault}; phone and
//    e-mail writes answer {"Number"|"EmailAddress": …, "Success": true, "Message": null}.

}  // namespace cairn::sim::tigerpaw::assumed
