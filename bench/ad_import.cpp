// bench_ad_import: import N Active Directory users (default 50,000) from a local slapd into a
// fresh SQLite store (or the PostgreSQL of CAIRN_BENCH_PG_URL), as contacts of one organization.
// Seeding slapd with ldapadd is timed apart and not counted. Prints the LDAP read alone (paged,
// 500 a page), the whole import (read + plan + one-transaction write), users/s, and peak RSS
// (VmHWM) of this process; slapd runs as its own process.
// Usage: bench_ad_import [USERS]
#include <soci/soci.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "core/schema.h"
#include "measure.h"
#include "directory/ldap_directory.h"
#include "store/documents.h"
#include "support/slapd_server.h"
#include "sync/ad_import.h"

using namespace cairn;
using Clock = std::chrono::steady_clock;

using bench::cpu_seconds;
using bench::peak_rss_mb;
using bench::since;

int main(int argc, char** argv) {
  const long n = argc > 1 ? std::atol(argv[1]) : 50000;
  auto t0 = Clock::now();
  test::SlapdServer ldap;
  std::vector<test::SeedUser> users;
  users.reserve(static_cast<size_t>(n));
  for (long i = 0; i < n; ++i) {
    std::string k = std::to_string(i);
    test::SeedUser u;
    u.account_name = "user" + k;
    u.first = "First" + k;
    u.last = "Last" + k;
    u.mail = "user" + k + "@example.com";
    u.telephone = "+1 555 " + std::to_string(1000000 + i);
    u.title = "Staff";
    u.pwd_last_set = 133485408000000000LL + i;
    u.last_logon = 133495408000000000LL + i;
    if (i % 50 == 0) u.user_account_control = 514;  // 2 % disabled
    users.push_back(std::move(u));
  }
  ldap.add_users(users);
  users.clear();
  users.shrink_to_fit();
  std::printf("slapd seeded with %ld users by ldapadd in %.1f s (not counted)\n", n, since(t0));

  const char* pg = std::getenv("CAIRN_BENCH_PG_URL");
  char templ[] = "/tmp/cairn-bench-ad-XXXXXX";
  std::string dir = mkdtemp(templ);
  std::string spec = pg && *pg ? std::string(pg) : dir + "/cairn.db";
  auto db = store::Database::open(spec, 2);
  std::int64_t org = 0;
  {
    soci::session s(db->pool());
    store::Transaction tx(s, db->dialect());
    store::Documents docs(s, db->dialect());
    const auto& e = core::entity("organizations");
    org = docs.create(e, {{e.field("name"), core::Value("Bench Org")}}, {"bench", std::nullopt}).value();
    tx.commit();
  }
  store::DirectorySource source;
  source.organization_id = org;
  source.url = ldap.url();
  source.bind_dn = test::SlapdServer::kRootDn;
  source.password = test::SlapdServer::kRootPassword;
  source.base_dn = test::SlapdServer::kSuffix;

  directory::LdapSettings settings{source.url, source.bind_dn, source.password, source.base_dn, "", false, 500, 60};
  auto t1 = Clock::now();
  double c1 = cpu_seconds();
  auto listing = directory::read_directory(settings);
  if (!listing) {
    std::fprintf(stderr, "LDAP read failed: %s\n", listing.error().detail.c_str());
    return 1;
  }
  double read_s = since(t1), read_cpu = cpu_seconds() - c1;
  std::printf("LDAP read alone: %zu users in %d pages, %.2f s (CPU %.2f s), %.0f users/s\n", listing->users.size(),
              listing->pages, read_s, read_cpu, static_cast<double>(listing->users.size()) / read_s);
  listing = core::Error{};  // free it before the import is measured

  sync::AdImportOptions options;
  options.timeout_seconds = 60;
  auto t2 = Clock::now();
  double c2 = cpu_seconds();
  auto result = sync::run_ad_import(*db, source, options);
  if (!result) {
    std::fprintf(stderr, "import failed: %s\n", result.error().detail.c_str());
    return 1;
  }
  double import_s = since(t2), import_cpu = cpu_seconds() - c2;
  std::printf("import (%s): %s in %.2f s (CPU %.2f s): %.0f users/s\n", db->dialect() == store::Dialect::Sqlite ? "SQLite" : "PostgreSQL",
              sync::summary_line(*result).c_str(), import_s, import_cpu, static_cast<double>(result->users) / import_s);

  auto t3 = Clock::now();
  auto again = sync::run_ad_import(*db, source, options);
  if (!again) {
    std::fprintf(stderr, "re-import failed: %s\n", again.error().detail.c_str());
    return 1;
  }
  double again_s = since(t3);
  std::printf("re-import (every user matches by email): %s in %.2f s: %.0f users/s\n", sync::summary_line(*again).c_str(),
              again_s, static_cast<double>(again->users) / again_s);
  std::printf("peak RSS (VmHWM): %ld MB\n", peak_rss_mb());
  std::error_code ec;
  std::filesystem::remove_all(dir, ec);
  return 0;
}
