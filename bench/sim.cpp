// bench/sim: how fast each PSA emulator serves its largest list pages, so sync benchmarks measure
// Cairn and not the emulator. One row per PSA: one client pages through the PSA's most numerous
// entity at the largest page size the PSA allows, from the first page, wrapping at the end.
// Usage: sim [N configurations, default 200000] [seconds per PSA, default 3] [kind ...]
// (kinds: the rows of kRows below; default all of them)
#include <httplib.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "sim/autotask/emulator.h"
#include "sim/connectwise/emulator.h"
#include "sim/crypto.h"
#include "sim/registry.h"
#include "sim/sim_server.h"
#include "sim/tigerpaw/emulator.h"
#include "sim/tigerpaw/tsi_signature.h"
#include "sim/world.h"

using namespace cairn;
using Clock = std::chrono::steady_clock;

namespace {

double seconds_since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

long rss_mib() {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line))
    if (line.rfind("VmRSS:", 0) == 0) return std::atol(line.c_str() + 6) / 1024;
  return -1;
}

double cpu_seconds() { return static_cast<double>(std::clock()) / CLOCKS_PER_SEC; }

// Records on a page without parsing it: objects opened directly inside an array at most two
// levels deep (a top-level array of records, or {"items"|"Accounts"|…: [records]}).
std::size_t count_records(const std::string& body) {
  std::size_t n = 0;
  std::string stack;  // open containers: '{' or '['
  bool in_string = false;
  for (std::size_t i = 0; i < body.size(); ++i) {
    const char ch = body[i];
    if (in_string) {
      if (ch == '\\') ++i;
      else if (ch == '"') in_string = false;
    } else if (ch == '"') {
      in_string = true;
    } else if (ch == '{' || ch == '[') {
      if (ch == '{' && !stack.empty() && stack.back() == '[' && stack.size() <= 2) ++n;
      stack += ch;
    } else if ((ch == '}' || ch == ']') && !stack.empty()) {
      stack.pop_back();
    }
  }
  return n;
}

// The text of a string member `"key":"…"` of body ("" when absent or null).
std::string string_member(const std::string& body, const std::string& key) {
  const std::string needle = "\"" + key + "\":\"";
  const auto p = body.find(needle);
  if (p == std::string::npos) return "";
  const auto start = p + needle.size();
  return body.substr(start, body.find('"', start) - start);
}

struct Page {
  std::size_t records = 0;
  std::size_t bytes = 0;
};

// Fetches the next page (wrapping to the first after the last); false with a message on failure.
using Pager = std::function<bool(httplib::Client&, Page&, std::string& error)>;

bool take(const httplib::Result& r, Page& page, std::string& error, std::string* body = nullptr) {
  if (!r || r->status != 200) {
    error = r ? "HTTP " + std::to_string(r->status) + " " + r->body.substr(0, 200) : httplib::to_string(r.error());
    return false;
  }
  page.bytes = r->body.size();
  page.records = count_records(r->body);
  if (body) *body = r->body;
  return true;
}

struct Row {
  const char* kind;
  const char* entity;  // what is paged
  int page_size;       // the PSA's largest
  std::function<std::unique_ptr<sim::Emulator>(sim::World)> make;
  std::function<Pager()> pager;
};

Row connectwise_row() {
  static const sim::connectwise::Options o;
  return {"connectwise", "configurations", 1000,
          [](sim::World w) { return std::make_unique<sim::connectwise::ConnectWiseEmulator>(std::move(w), o); },
          [] {
            const httplib::Headers h = {
                {"Authorization", "Basic " + sim::base64(o.company_id + "+" + o.public_key + ":" + o.private_key)},
                {"clientId", o.client_id}};
            const std::string path = "/" + o.codebase + "apis/3.0/company/configurations?pageSize=1000&page=";
            return Pager([h, path, page = 1](httplib::Client& c, Page& p, std::string& err) mutable {
              if (!take(c.Get(path + std::to_string(page), h), p, err)) return false;
              page = p.records < 1000 ? 1 : page + 1;
              return true;
            });
          }};
}

Row autotask_row() {
  static const sim::autotask::Options o = [] {
    sim::autotask::Options x;
    x.hourly_request_limit = 100000000;  // the bench is not an integration: no budget, no slowdown
    x.threshold_latency_ms = 0;
    return x;
  }();
  return {"autotask", "ConfigurationItems", 500,
          [](sim::World w) { return std::make_unique<sim::autotask::AutotaskEmulator>(std::move(w), o); },
          [] {
            const httplib::Headers h = {
                {"ApiIntegrationCode", o.integration_code}, {"UserName", o.username}, {"Secret", o.secret}};
            const std::string query = R"({"MaxRecords":500,"filter":[{"op":"gte","field":"id","value":0}]})";
            return Pager([h, query, next = std::string()](httplib::Client& c, Page& p, std::string& err) mutable {
              // POST-started queries continue by POSTing the same body to nextPageUrl.
              const std::string target = next.empty() ? "/atservicesrest/v1.0/ConfigurationItems/query" : next;
              std::string body;
              if (!take(c.Post(target, h, query, "application/json"), p, err, &body)) return false;
              next = string_member(body, "nextPageUrl");
              if (const auto host = next.find("/atservicesrest"); host != std::string::npos) next = next.substr(host);
              return true;
            });
          }};
}

Row tigerpaw_row() {
  static const sim::tigerpaw::Options o;
  return {"tigerpaw", "contacts", o.max_page_size,
          [](sim::World w) { return std::make_unique<sim::tigerpaw::TigerpawEmulator>(std::move(w), o); },
          [] {
            return Pager([row = 1](httplib::Client& c, Page& p, std::string& err) mutable {
              // Contacts have no number search: LastName StartsWith "" lists them all (assumption P6).
              const std::string body = R"({"Criteria":[{"SearchType":"LastName","MatchType":"StartsWith","Criteria":""}],"PageSize":)" +
                                       std::to_string(o.max_page_size) + ",\"StartRow\":" + std::to_string(row) + "}";
              const std::string stamp = sim::tigerpaw::format_rfc1123(
                  std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
                      .count());
              const httplib::Headers h = {
                  {"Authorization",
                   sim::tigerpaw::tsi_authorization(
                       o.public_key, sim::tigerpaw::tsi_signature(o.private_key, "POST", "/api/contacts/search", stamp))},
                  {"X-TSI-Date", stamp}};
              std::string answer;
              if (!take(c.Post("/api/contacts/search", h, body, "application/json"), p, err, &answer)) return false;
              const auto at = answer.find("\"NextRow\":");
              const long next = at == std::string::npos ? 0 : std::atol(answer.c_str() + at + 10);
              row = next > 0 ? static_cast<int>(next) : 1;
              return true;
            });
          }};
}

// Kaseya BMS and Pulseway PSA share the V2 platform: a token from /v2/security/authenticate, then
// 100-record pages of hardware assets walked by PageNumber.
Row kaseya_v2_row(const char* kind) {
  return {kind, "hardwareasset", 100,
          [kind](sim::World w) {
            auto made = sim::make_emulator(kind, std::move(w), {{"hourly-request-limit", "100000000"}});
            if (auto* err = std::get_if<std::string>(&made)) throw std::runtime_error(*err);
            return std::move(std::get<std::unique_ptr<sim::Emulator>>(made));
          },
          [kind] {
            const auto ready = nlohmann::json::parse(std::get<std::unique_ptr<sim::Emulator>>(
                                                         sim::make_emulator(kind, sim::World{}, {}))->ready_json());
            const httplib::Params login = {{"GrantType", "password"},
                                           {"UserName", ready["username"].get<std::string>()},
                                           {"Password", ready["password"].get<std::string>()},
                                           {"Tenant", ready["tenant"].get<std::string>()}};
            return Pager([login, token = std::string(), page = 1](httplib::Client& c, Page& p, std::string& err) mutable {
              if (token.empty()) {
                auto r = c.Post("/v2/security/authenticate", login);
                if (!r || r->status != 200) {
                  err = "login failed";
                  return false;
                }
                token = nlohmann::json::parse(r->body)["result"]["accessToken"].get<std::string>();
              }
              const httplib::Headers h = {{"Authorization", "Bearer " + token}};
              const std::string path = "/v2/servicedesk/hardwareasset/searchselect?PageSize=100&PageNumber=";
              if (!take(c.Get(path + std::to_string(page), h), p, err)) return false;
              page = p.records < 100 ? 1 : page + 1;
              return true;
            });
          }};
}

// One row per PSA.
std::vector<Row> rows() {
  return {connectwise_row(), autotask_row(), kaseya_v2_row("bms"), kaseya_v2_row("pulseway"), tigerpaw_row()};
}

}  // namespace

int main(int argc, char** argv) {
  const std::size_t n = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 200'000;
  const double budget = argc > 2 ? std::atof(argv[2]) : 3.0;
  std::vector<std::string> wanted;
  for (int i = 3; i < argc; ++i) wanted.emplace_back(argv[i]);
  if (n == 0 || budget <= 0) {
    std::fprintf(stderr, "usage: %s [N configurations] [seconds per PSA] [kind ...]\n", argv[0]);
    return 2;
  }
  std::vector<Row> selected;
  for (auto& r : rows())
    if (wanted.empty() || std::find(wanted.begin(), wanted.end(), r.kind) != wanted.end()) selected.push_back(r);
  for (const auto& w : wanted) {
    bool known = false;
    for (const auto& r : selected) known = known || w == r.kind;
    if (!known) {
      std::fprintf(stderr, "unknown kind %s (known:", w.c_str());
      for (const auto& r : rows()) std::fprintf(stderr, " %s", r.kind);
      std::fprintf(stderr, ")\n");
      return 2;
    }
  }

  auto t = Clock::now();
  const sim::World world = sim::make_scale_world(n, 1);
  std::printf("world scale:%zu (%zu companies, %zu contacts, %zu configurations) generated in %.2f s\n", n,
              world.companies.size(), world.contacts.size(), world.configurations.size(), seconds_since(t));
  std::printf("%-12s %-20s %6s %8s %8s %9s %8s %12s %15s\n", "psa", "entity (one client)", "page", "load s", "RSS MiB",
              "requests", "MiB/s", "records/s", "records/s/core");
  for (const Row& row : selected) {
    t = Clock::now();
    auto emulator = row.make(world);
    const double load = seconds_since(t);
    const long rss = rss_mib();
    sim::SimServerOptions opts;
    opts.http.port = 0;
    opts.http.threads = 4;
    sim::SimServer server(std::move(emulator), opts);
    httplib::Client client(server.start());
    client.set_read_timeout(120);
    Pager next = row.pager();
    std::size_t records = 0, bytes = 0, requests = 0;
    std::string error;
    const auto start = Clock::now();
    const double cpu_start = cpu_seconds();
    while (seconds_since(start) < budget) {
      Page p;
      if (!next(client, p, error)) {
        std::printf("%-12s request failed: %s\n", row.kind, error.c_str());
        return 1;
      }
      ++requests;
      records += p.records;
      bytes += p.bytes;
    }
    const double wall = seconds_since(start);
    // std::clock counts the whole process: the client's parse-free loop and the server threads.
    const double cpu = cpu_seconds() - cpu_start;
    std::printf("%-12s %-20s %6d %8.2f %8ld %9zu %8.1f %12.0f %15.0f\n", row.kind, row.entity, row.page_size, load, rss,
                requests, bytes / wall / 1048576.0, records / wall, cpu > 0 ? records / cpu : 0.0);
    std::fflush(stdout);
    server.stop();
  }
  return 0;
}
