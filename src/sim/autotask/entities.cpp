#include "sim/autotask/entities.h"

#include <algorithm>

namespace cairn::sim::autotask {

namespace {

using T = FieldType;

FieldDef s(std::string n, bool req = false) { return {std::move(n), T::String, req, false, false, ""}; }
FieldDef i(std::string n, bool req = false, std::string ref = "") { return {std::move(n), T::Integer, req, false, false, std::move(ref)}; }
FieldDef b(std::string n, bool req = false) { return {std::move(n), T::Boolean, req, false, false, ""}; }
FieldDef dt(std::string n) { return {std::move(n), T::DateTime, false, false, false, ""}; }
FieldDef ro(FieldDef f) {
  f.read_only = true;
  return f;
}
FieldDef pick(std::string n, bool req) { return {std::move(n), T::Integer, req, false, true, ""}; }

std::vector<FieldDef> webhook_fields() {
  return {ro(i("id")),         b("isActive", true),      s("name", true),
          s("webhookUrl", true), s("deactivationUrl"),   s("secretKey"),
          b("isSubscribedToCreateEvents"), b("isSubscribedToUpdateEvents"), b("isSubscribedToDeleteEvents"),
          s("notificationEmailAddress"),   b("sendThresholdExceededNotification"),
          ro(b("isReady")),    ro(s("webhookGUID")),     ro(i("ownerResourceID"))};
}

std::vector<FieldDef> webhook_field_fields(const std::string& parent) {
  return {ro(i("id")), i("webhookID", true, parent), i("fieldID", true), b("isSubscribedField"),
          b("isDisplayAlwaysField")};
}

std::vector<FieldDef> webhook_udf_field_fields(const std::string& parent) {
  return {ro(i("id")), i("webhookID", true, parent), i("udfFieldID", true), b("isSubscribedField"),
          b("isDisplayAlwaysField")};
}

std::vector<FieldDef> webhook_excluded_resource_fields(const std::string& parent) {
  return {ro(i("id")), i("webhookID", true, parent), i("resourceID", true, "Resources")};
}

std::vector<EntityDef> make_defs() {
  std::vector<EntityDef> d;
  d.push_back({"Companies", "Company",
               {ro(i("id")), s("companyName", true), s("companyNumber"), pick("companyType", true),
                pick("classification", false), b("isActive"), i("parentCompanyID", false, "Companies"),
                i("ownerResourceID", true, "Resources"), s("phone", true), s("fax"), s("alternatePhone1"),
                s("alternatePhone2"), s("address1"), s("address2"), s("city"), s("state"), s("postalCode"),
                i("countryID"), s("additionalAddressInformation"), s("webAddress"), ro(dt("createDate")),
                ro(i("createdByResourceID")), ro(dt("lastActivityDate")), ro(dt("lastTrackedModifiedDateTime"))},
               true, true, false, "", "", "", {"lastActivityDate", "lastTrackedModifiedDateTime"},
               "CompanyWebhooks"});
  d.push_back({"CompanyLocations", "CompanyLocation",
               {ro(i("id")), i("companyID", true, "Companies"), s("name", true), b("isPrimary"), b("isActive"),
                s("address1"), s("address2"), s("city"), s("state"), s("postalCode"), i("countryID"), s("phone"),
                s("alternatePhone1"), s("alternatePhone2"), s("fax"), s("description")},
               true, true, true, "Companies", "Locations", "companyID", {}, ""});
  d.push_back({"Contacts", "Contact",
               {ro(i("id")), i("companyID", true, "Companies"), i("companyLocationID", false, "CompanyLocations"),
                s("firstName", true), s("lastName", true), s("title"), s("emailAddress"), s("emailAddress2"),
                s("emailAddress3"), s("phone"), s("extension"), s("mobilePhone"), s("alternatePhone"),
                s("faxNumber"), s("addressLine"), s("addressLine1"), s("city"), s("state"), s("zipCode"),
                i("countryID"), i("isActive", true), i("primaryContact"), s("note"), s("externalID"),
                ro(dt("createDate")), ro(dt("lastActivityDate")), ro(dt("lastModifiedDate"))},
               true, true, true, "Companies", "Contacts", "companyID", {"lastActivityDate", "lastModifiedDate"},
               "ContactWebhooks"});
  d.push_back({"ConfigurationItems", "ConfigurationItem",
               {ro(i("id")), i("companyID", true, "Companies"), i("productID", true, "Products"), s("referenceTitle"),
                s("referenceNumber"), s("serialNumber"), i("configurationItemType", false, "ConfigurationItemTypes"),
                i("configurationItemCategoryID"), b("isActive", true), dt("installDate"),
                i("installedByID", false, "Resources"), dt("warrantyExpirationDate"), i("contactID", false, "Contacts"),
                i("companyLocationID", false, "CompanyLocations"), s("location"), s("notes"),
                i("parentConfigurationItemID", false, "ConfigurationItems"), ro(dt("createDate")),
                ro(dt("lastModifiedTime")), ro(s("rmmDeviceAuditIPAddress")), ro(s("rmmDeviceAuditMacAddress")),
                ro(s("rmmDeviceAuditOperatingSystem"))},
               true, true, false, "", "", "", {"lastModifiedTime"}, "ConfigurationItemWebhooks"});
  d.push_back({"ConfigurationItemTypes", "ConfigurationItemType", {ro(i("id")), s("name", true), b("isActive")},
               true, true, true, "", "", "", {}, ""});
  d.push_back({"Products", "Product",
               {ro(i("id")), s("name", true), s("description"), s("sku"), s("manufacturerName"),
                s("manufacturerProductName"), b("isActive"), b("isSerialized")},
               true, true, false, "", "", "", {}, ""});
  d.push_back({"Resources", "Resource",
               {ro(i("id")), s("firstName"), s("lastName"), s("userName"), s("email"), b("isActive"),
                s("resourceType")},
               false, false, false, "", "", "", {}, ""});
  for (const auto& [name, type] : {std::pair<std::string, std::string>{"CompanyWebhooks", "CompanyWebhook"},
                                   {"ContactWebhooks", "ContactWebhook"},
                                   {"ConfigurationItemWebhooks", "ConfigurationItemWebhook"}}) {
    d.push_back({name, type, webhook_fields(), true, true, true, "", "", "", {}, ""});
    d.push_back({type + "Fields", type + "Field", webhook_field_fields(name), true, true, true, name, "Fields",
                 "webhookID", {}, ""});
    d.push_back({type + "UdfFields", type + "UdfField", webhook_udf_field_fields(name), true, true, true, name,
                 "UdfFields", "webhookID", {}, ""});
    d.push_back({type + "ExcludedResources", type + "ExcludedResource", webhook_excluded_resource_fields(name), true,
                 true, true, name, "ExcludedResources", "webhookID", {}, ""});
  }
  return d;
}

}  // namespace

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           auto f = [](char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; };
           return f(x) == f(y);
         });
}

const std::vector<EntityDef>& entity_defs() {
  static const std::vector<EntityDef> defs = make_defs();
  return defs;
}

const EntityDef* find_entity(std::string_view name) {
  for (const auto& e : entity_defs())
    if (iequals(e.name, name)) return &e;
  return nullptr;
}

const EntityDef* find_child(const EntityDef& parent, std::string_view subname) {
  for (const auto& e : entity_defs())
    if (e.parent == parent.name && iequals(e.subname, subname)) return &e;
  return nullptr;
}

const FieldDef* find_field(const EntityDef& e, std::string_view name) {
  for (const auto& f : e.fields)
    if (iequals(f.name, name)) return &f;
  return nullptr;
}

}  // namespace cairn::sim::autotask
