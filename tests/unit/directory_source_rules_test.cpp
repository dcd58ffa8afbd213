// Directory sources (issue 7): what a stored source must be, and the filter an import sends.
#include <gtest/gtest.h>

#include <utility>
#include <vector>

#include "directory/ldap_directory.h"
#include "store/directory_sources.h"

using namespace cairn;

namespace {

store::DirectorySource valid() {
  store::DirectorySource d;
  d.organization_id = 1;
  d.name = "Acme AD";
  d.url = "ldap://dc1.acme.local:389";
  d.bind_dn = "CN=svc-cairn,OU=Service,DC=acme,DC=local";
  d.password = "s3cret";
  d.base_dn = "DC=acme,DC=local";
  return d;
}

std::string pointer_of(const store::DirectorySource& d) {
  auto e = store::validate_directory_source(d, "");
  return e ? e->pointer : "(valid)";
}

}  // namespace

TEST(DirectorySourceRules, AcceptsLdapAndLdaps) {
  EXPECT_EQ(pointer_of(valid()), "(valid)");
  auto d = valid();
  d.url = "ldaps://dc1.acme.local";
  EXPECT_EQ(pointer_of(d), "(valid)");
}

TEST(DirectorySourceRules, RefusesWhatCannotWork) {
  using Change = void (*)(store::DirectorySource&);
  const std::vector<std::pair<Change, std::string>> cases = {
      {[](store::DirectorySource& d) { d.url = "https://dc1.acme.local"; }, "/url"},
      {[](store::DirectorySource& d) { d.url = "ldap://"; }, "/url"},
      {[](store::DirectorySource& d) { d.bind_dn = " "; }, "/bind-dn"},
      {[](store::DirectorySource& d) { d.password = ""; }, "/password"},
      {[](store::DirectorySource& d) { d.base_dn = ""; }, "/base-dn"},
      {[](store::DirectorySource& d) { d.filter = "(department=Sales"; }, "/filter"},
      {[](store::DirectorySource& d) { d.url = "ldaps://dc1.acme.local", d.start_tls = true; }, "/start-tls"},
      {[](store::DirectorySource& d) { d.schedule_hours = -1; }, "/schedule-hours"},
      {[](store::DirectorySource& d) { d.organization_id = 0; }, "/organization-id"},
  };
  for (size_t i = 0; i < cases.size(); ++i) {
    auto d = valid();
    cases[i].first(d);
    EXPECT_EQ(pointer_of(d), cases[i].second) << "case " << i;
  }
}

TEST(DirectorySourceRules, UserFilterAndsTheSourcesFilter) {
  EXPECT_EQ(directory::user_filter(""), "(objectClass=user)");
  EXPECT_EQ(directory::user_filter("(department=Sales)"), "(&(objectClass=user)(department=Sales))");
  EXPECT_EQ(directory::user_filter(" department=Sales "), "(&(objectClass=user)(department=Sales))");
}
