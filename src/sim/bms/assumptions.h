#pragma once
// Every choice the Kaseya V2 platform emulator (BMS and Pulseway PSA) makes that psa-apis.md §3-4
// tags [I] (inferred) or leaves open (§8 gap 3), in one place so each is easy to find, test and
// change. docs/psa-assumptions.md lists them for people; keep the two in step. Pulseway's own
// differences are in src/sim/pulseway/assumptions.h.
#include <string_view>

namespace cairn::sim::bms::assumed {

// B1 [I] Error envelope codes (the document declares only 200 and no codes): the HTTP status
//    doubles as error.code, except for the security error of B2.
inline constexpr int kValidationStatus = 400;
inline constexpr int kNotFoundStatus = 404;
inline constexpr int kWrongVerbStatus = 405;
// B2 [C medium] A missing, unknown or expired bearer token: 401, error code 978001 "Security
//    Error". A login with a wrong user name, password or tenant answers the same 401.
inline constexpr int kSecurityErrorCode = 978001;
inline constexpr std::string_view kSecurityErrorMessage = "Security Error";
inline constexpr std::string_view kBadLoginMessage = "Invalid user name, password or tenant.";
// B3 [C medium] A login without UserName, Password or Tenant, or with a GrantType other than
//    "password": 400 naming the field.
// B4 [I] Tokens expire on the emulator's clock after --token-lifetime-seconds (refresh tokens
//    after --refresh-lifetime-seconds). refreshtoken needs the pair as issued (the access token
//    may have expired) and revokes it; each pair refreshes once.

// B5 [F limit, I answer] 1,500 calls per rolling 60 minutes per endpoint, an endpoint being the
//    method plus the path with ids replaced by {id} ("GET /v2/servicedesk/hardwareasset/{id}");
//    the call over it gets 429 with Retry-After (seconds until the oldest call leaves the window)
//    and this message. Refused calls do not count; authenticate counts as its own endpoint.
inline constexpr int kThrottleStatus = 429;
inline constexpr std::string_view kThrottleMessage =
    "API rate limit exceeded: {limit} calls per hour are allowed for {endpoint}.";

// B6 [I] Failures answer with the HTTP status of B1 and the envelope with success=false; the
//    emulator never answers a failure with HTTP 200 (clients must still check success).
// B7 [I] A missing record (GET, PUT, PATCH, DELETE by id): 404 with this message.
inline constexpr std::string_view kNotFoundMessage = "The requested {entity} was not found.";
// B8 [I] Unknown routes: 404; a known route with another verb: 405.
inline constexpr std::string_view kNoRouteMessage = "No HTTP resource was found that matches the request URI.";
inline constexpr std::string_view kWrongVerbMessage = "The requested resource does not support http method '{method}'.";

// B9 [I] Paging: PageNumber 1-based (default 1), PageSize default and maximum 100 (--max-page-size
//    changes both); a larger PageSize is capped, PageSize or PageNumber below 1 or not a number
//    is 400; a page past the end is an empty result with totalRecords. Results are ordered by id.
//    Lookups (account types, locations of an account, picklists) are not paged.
// B10 [I] Filters: Filter.X names are matched case-insensitively; an unknown Filter.X is 400
//    (other unknown parameters are ignored); text filters match case-insensitive substrings;
//    id lists are comma-separated and may repeat; dates are ISO-8601 (no zone = UTC) and the
//    From/To bounds are inclusive; booleans are true/false.
// B11 [I] Datetimes print as YYYY-MM-DDTHH:MM:SSZ (UTC); unset values are null.
// B12 [I] Picklist table names for GET /v2/system/lookup/{table} (not documented):
inline constexpr std::string_view kCategoriesTable = "AssetCategories";
inline constexpr std::string_view kStatesTable = "AssetStates";
inline constexpr std::string_view kManufacturersTable = "Manufacturers";
inline constexpr std::string_view kEmailTypesTable = "EmailTypes";
inline constexpr std::string_view kPhoneTypesTable = "PhoneTypes";
inline constexpr std::string_view kBusinessTypesTable = "BusinessTypes";
inline constexpr std::string_view kCountriesTable = "Countries";
inline constexpr std::string_view kEmployeesTable = "Employees";
// B13 [I] An account's status is isActive (no status list); a world company with an inactive
//    status, or deleted, is an inactive account. Every seeded account has business type 1 and
//    its technician as account manager.
// B14 [I] A location carries one address (isMain, and isBilling on the main location); an
//    account's first location is its main one. Locations are never deleted (no route).
// B15 [I] Email types 1 Work, 2 Personal (a contact's first e-mail is its default, Work);
//    phone types 1 Work, 2 Mobile, 3 Home, 4 Fax (the first phone is the default).
// B16 [I] Writes answer the written record in the envelope (create, PUT, PATCH); DELETE answers
//    success with result null. Unknown and read-only fields in a body are ignored; keys are read
//    case-insensitively (PascalCase or camelCase).
// B17 [I] PATCH takes JSON-Patch ops add, replace and remove on the record's own fields (path
//    "/StatusId" or "/stateId", matched case-insensitively); other ops are 400.
// B18 [I] Required on create and PUT: accounts accountName, accountTypeId, businessTypeId,
//    accountManagerId, locations (at least one, each with locationName); contacts accountId,
//    firstName, lastName; assets name, accountId, accountLocationId, categoryId. A contact's
//    and an asset's location must belong to its account; an asset's contact may be another
//    account's (PSAs allow it).
// B19 [I] An injected server failure: 500 with this message.
inline constexpr std::string_view kServerErrorMessage = "An unexpected error has occurred.";
// B20 [I] V1, used only for location writes: POST /api/token (form grant_type=password,
//    username, password, tenant) answers {"access_token","token_type":"bearer","expires_in"}, a
//    bad login 400 {"error":"invalid_grant","error_description":…}; V1 calls take that token
//    (401 {"Message":…} otherwise), PascalCase bodies (AccountId, LocationName, IsMain, IsActive,
//    Address1, Address2, City, State, ZipCode, CountryId, Phone, Fax, EmailAddress) and answer
//    the location in V2's shape without the envelope.
inline constexpr std::string_view kV1DeniedMessage = "Authorization has been denied for this request.";
// B21 [S items, I semantics] PATCH crm/contacts/{id}/emails and /phones take an array of items
//    {Operation, EmailAddress|PhoneNumber, NewEmailAddress|NewPhoneNumber, TypeId, IsDefault},
//    names read case-insensitively: Operation 0 adds, 1 updates (found by the address or number;
//    the New… value, type and default given replace the old), 2 deletes; applied in order, all or
//    nothing. An unknown address or number, a duplicate add, or an unknown type is 400. A
//    default set true clears the others; a list left without one gets its first. The answer is
//    the contact.

}  // namespace cairn::sim::bms::assumed
