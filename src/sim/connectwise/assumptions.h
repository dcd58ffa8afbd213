#pragma once
// Every choice the ConnectWise emulator makes that psa-apis.md tags [R] (recalled or inferred,
// not verified against ConnectWise), in one place so each is easy to find, test and change.
// docs/psa-assumptions.md lists them for people; keep the two in step.
#include <string_view>

namespace cairn::sim::connectwise::assumed {

// A1 [R] POST answers 201 Created with the full entity (§1.3 says "status 201 [R]").
inline constexpr int kCreatedStatus = 201;

// A2 [R] A pageSize above 1000 is capped to 1000, not refused (§1.5 gives the maximum only).
//    pageSize < 1, page < 1 or a non-number is refused with 400 InvalidObject.
inline constexpr bool kCapOversizedPages = true;

// A3 [R] Forward-only paging is switched on by this request header and value (§1.5: "header
//    name not re-verified"); its next link carries pageId=<last id>, and no rel="last".
//    orderBy other than by id is refused in that mode (ids are the cursor).
inline constexpr std::string_view kPaginationHeader = "pagination-type";
inline constexpr std::string_view kForwardOnly = "forward-only";

// A4 [R] Wrong or missing Basic credentials: 401 with this body (ASP.NET's default message).
inline constexpr std::string_view kUnauthorizedBody =
    R"({"code":"Unauthorized","message":"Authorization has been denied for this request."})";

// A5 [R] A missing or unregistered clientId header is refused with 400 (third-party setup
//    guides: "a 400 with clientId in the error"); the emulator accepts only its own clientId.
inline constexpr int kClientIdStatus = 400;

// A6 [R] An unknown route is 404 with the captured "endpoint does not exist" body (§1.6 has
//    the body, not the status); a known path with an unsupported method gets the same.
inline constexpr int kUnknownRouteStatus = 404;

// A7 [R] Throttled requests: 429 + Retry-After (seconds) and a JSON body in ConnectWise's
//    error shape (the real 429 comes from Cloudflare and its body is not documented).
inline constexpr std::string_view kThrottledCode = "TooManyRequests";

// A8 [R] An injected server failure: 500 with code "UnexpectedError".
inline constexpr std::string_view kServerErrorCode = "UnexpectedError";

// A9 [R] Fields whose value is null or unset are left out of answers (not sent as null).

// A10 [R] DELETE of a company marks it deleted (deletedFlag, dateDeleted, deletedBy) and keeps
//     it readable by id and in lists (§1.4: "a deleted company is still readable by id");
//     other entities are removed. Deleting a company that has configurations is allowed.
inline constexpr bool kListDeletedCompanies = true;

// A11 [R] Callback type "configuration" exists for configurations (§1.7); sites fire no
//     callbacks. Levels honoured: owner (every record), company (objectId = company id),
//     status / type (objectId = the company's status / a type id, company callbacks only).
//     Territory and integratorTag are accepted and never match.
// A12 [R] isSelfSuppressedFlag=true suppresses callbacks for changes the API member made
//     through the API; changes made through the admin path are a PSA user's and still fire.
// A13 [R] The signing key is served without auth at
//     {base}/{codebase}/system/callbackkey/index.rails?companyName=..&id={callback id}
//     (the double slash is the captured form), as {"signing_key":"..."}; one key per callback.
//     Deliveries are not retried.

// A14 [R] The Accept header's version is not checked: every answer has the 2025.1 shape and
//     carries api-current-version.
inline constexpr std::string_view kApiVersion = "2025.1";
inline constexpr std::string_view kVersionNumber = "v4.6.2025.1";

// A15 [R] companyinfo also carries "SiteUrl" (host:port of the emulator) and IsCloud=false.

// A16 [R] Unknown fields in POST/PUT/PATCH bodies are ignored; read-only fields (id, _info,
//     deletedFlag on POST) are ignored. Validation failures are 400 InvalidObject with one
//     errors[] entry per field: MissingRequiredField, InvalidField (bad reference or
//     type), or FieldTooLong.

// A17 [R] customFieldConditions is parsed; the emulator keeps no custom fields, so any
//     non-blank customFieldConditions matches nothing.

// A18 [R] Default list order is id ascending.

// A19 [R] A company created without status/types gets the default ones, and without a site gets
//     a primary site "Main" made from its address.

// A20 [R] Field length limits are §1.8's where given; the others (notes 2000, title 100, ...)
//     are guesses, in wire.cpp's read functions.

}  // namespace cairn::sim::connectwise::assumed
