#pragma once
// Every choice the Autotask emulator makes that psa-apis.md tags [R] (recalled or inferred, not
// verified against Autotask) or leaves open, in one place so each is easy to find, test and
// change. docs/psa-assumptions.md lists them for people; keep the two in step.
#include <string_view>

namespace cairn::sim::autotask::assumed {

// T1 [R] A right UserName with a wrong Secret, or no credentials at all: 401 with this body
//    (the {"errors":[...]} shape of §2.7; the real text is not captured).
inline constexpr std::string_view kUnauthorizedMessage = "User is not authorized to access this resource.";
// T2 [F quirk, R text] An unknown UserName or a wrong ApiIntegrationCode answers 500, not 401.
inline constexpr std::string_view kBadUserMessage = "Unable to authenticate the user. The UserName or ApiIntegrationCode is not valid.";

// T3 [R] Over the hourly budget: HTTP 429 (§2.6 "reportedly 429") with this message; rejected
//    requests do not count toward the budget. Every authenticated API request counts, including
//    ThresholdInformation; zoneInformation does not.
inline constexpr int kThresholdStatus = 429;
inline constexpr std::string_view kHourlyThresholdMessage =
    "API request threshold exceeded: the database allows {limit} requests per 60 minutes.";
// T4 [F text, R status] The thread limit counts requests in flight per (ApiIntegrationCode x
//    entity endpoint, e.g. "Companies"); the one over the limit gets 429 and this message.
inline constexpr std::string_view kThreadThresholdMessage =
    "Thread Threshold Exceeded - The Autotask API thread threshold of {limit} threads has been exceeded.";
// T5 [F shape, R numbers] From 50 % of the hourly budget on, every counted request is held
//    max/2 at 50 % rising linearly to max at 100 % (max = Options::threshold_latency_ms, default
//    1000 ms, 0 disables; see threshold_latency.h), inside its thread slot, before it is answered.

// T6 [R] Results are ordered by id ascending; the cursor is
//    paging={"pageSize":N,"previousIds":[start-after ids of earlier pages, -1 first],"nextIds":[last id]}.
//    Both the POST- and GET-started next URL carry &search=<the query>. The emulator remembers
//    which verb started a cursor and answers the other with 405; a POST continuation whose body
//    differs from the search answers 500.
inline constexpr std::string_view kWrongVerbMessage = "The requested resource does not support http method '{method}'.";

// T7 [R] Unknown routes answer 404 {"errors":["The requested resource was not found."]}; a
//    known route with another verb 405 with kWrongVerbMessage. Companies and
//    ConfigurationItems have no DELETE route (swagger), so DELETE there is 405.
inline constexpr std::string_view kNotFoundMessage = "The requested resource was not found.";
// T8 [F] Deleting or updating a record that does not exist: 500 with this message.
inline constexpr std::string_view kNoMatchMessage =
    "No matching records found. The logged in Resource may not have the required permissions to delete the data.";

// T9 [R] Validation failures (missing required field, wrong type, unknown picklist value,
//    reference to a missing record, PATCH without id) answer 500 {"errors":[text]}; texts are
//    the emulator's own. Required on create: Companies companyName, companyType, phone,
//    ownerResourceID; Contacts companyID, firstName, lastName, isActive; CompanyLocations
//    companyID, name; ConfigurationItems companyID, productID, isActive;
//    ConfigurationItemTypes name; Products name; webhooks name, webhookUrl, isActive.
// T10 [R] Unknown and read-only body fields (id aside) are ignored on writes, not refused.
// T11 [R] PUT replaces: every writable field left out becomes null (required ones must be given).
// T12 [R] Every field is present on the wire; unset ones are null. Datetimes print as
//    YYYY-MM-DDTHH:MM:SSZ (UTC).
// T13 [R] Contacts and CompanyLocations are written only through the parent
//    (/Companies/{id}/Contacts, /Companies/{id}/Locations); top-level writes answer 405.

// T14 [R] Webhook Fields name fields by fieldID = the field's 1-based position in
//    /{Entity}/entityInformation/fields (Autotask's internal ids are not published).
//    A webhook fires only when active and subscribed to the event and it has at least one
//    Fields record; an Update fires only when a subscribed field changed. Fields in the callout:
//    the changed subscribed fields (all subscribed ones for Create) plus display-always ones.
//    A UdfFields record also counts as a subscription, but the emulator keeps no UDF values, so
//    it never makes an Update fire. A change made by a resource listed in the webhook's
//    ExcludedResources fires nothing for that webhook. Deliveries are not retried.
// T15 [R] PersonID in callouts: the API user's resource for API writes; the first Resource for
//    changes made through the admin path (a PSA user in the UI).

// T16 [R] Seeds: one in ten seeded ConfigurationItems (id divisible by 10) has an empty
//    referenceTitle, so its product's name stands for it; one Product per (manufacturer, model).
//    companyType takes the world's company types and classification its company statuses as
//    picklist values; a deleted world company is an inactive Company (not deletable).
//    Company id 0 is the MSP's own company ([F] §2.9): active, of the default company type, named
//    Options::own_company_name, in Rochester NY, with no contacts.

// T17 [R] An injected server failure: 500 with this message.
inline constexpr std::string_view kServerErrorMessage = "An unexpected error occurred while processing the request.";

}  // namespace cairn::sim::autotask::assumed
