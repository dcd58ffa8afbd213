// bench/sim: how fast the ConnectWise emulator builds a scale world and serves its largest pages
// (1000 records), and the Kaseya V2 emulators (BMS, Pulseway) theirs (100 records), so sync
// benchmarks measure Cairn and not the emulator.
// Usage: sim [N configurations, default 1000000] [seconds per case, default 3]
#include <httplib.h>
#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>

#include "sim/connectwise/emulator.h"
#include "sim/crypto.h"
#include "sim/registry.h"
#include "sim/sim_server.h"
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

double cpu_seconds() {
  return static_cast<double>(std::clock()) / CLOCKS_PER_SEC;
}

// Top-level objects of a page's result array: records, without parsing the JSON.
std::size_t count_records(const std::string& body, int record_depth) {
  std::size_t n = 0;
  int depth = 0;
  bool in_string = false;
  for (std::size_t i = 0; i < body.size(); ++i) {
    const char ch = body[i];
    if (in_string) {
      if (ch == '\\') ++i;
      else if (ch == '"') in_string = false;
    } else if (ch == '"') {
      in_string = true;
    } else if (ch == '{') {
      if (++depth == record_depth) ++n;
    } else if (ch == '}') {
      --depth;
    }
  }
  return n;
}

// Kaseya V2 platform lists (100-record pages, PageNumber walking) per kind: one table row each.
struct V2Case {
  const char* kind;
  const char* name;
  const char* path;  // below /v2, ending in PageNumber=
};
const V2Case kV2Cases[] = {
    {"bms", "bms hardwareasset/searchselect, PageSize=100", "/v2/servicedesk/hardwareasset/searchselect?PageSize=100&PageNumber="},
    {"bms", "bms searchselect Filter.CategoryIds=1,2", "/v2/servicedesk/hardwareasset/searchselect?Filter.CategoryIds=1,2&PageNumber="},
    {"bms", "bms crm/contacts/summary, PageSize=100", "/v2/crm/contacts/summary?PageSize=100&PageNumber="},
    {"pulseway", "pulseway hardwareasset/searchselect, PageSize=100", "/v2/servicedesk/hardwareasset/searchselect?PageSize=100&PageNumber="},
};

int bench_v2(std::size_t n, double budget) {
  for (const V2Case& c : kV2Cases) {
    auto made = sim::make_emulator(c.kind, sim::make_scale_world(n, 1), {{"hourly-request-limit", "100000000"}});
    if (auto* err = std::get_if<std::string>(&made)) {
      std::printf("%s: %s\n", c.kind, err->c_str());
      return 1;
    }
    sim::SimServerOptions opts;
    opts.http.port = 0;
    opts.http.threads = 4;
    sim::SimServer server(std::move(std::get<std::unique_ptr<sim::Emulator>>(made)), opts);
    const std::string base = server.start();
    const auto ready = nlohmann::json::parse(server.emulator().ready_json());
    httplib::Client client(base);
    auto login = client.Post("/v2/security/authenticate",
                             httplib::Params{{"GrantType", "password"},
                                             {"UserName", ready["username"].get<std::string>()},
                                             {"Password", ready["password"].get<std::string>()},
                                             {"Tenant", ready["tenant"].get<std::string>()}});
    if (!login || login->status != 200) {
      std::printf("%s: login failed\n", c.kind);
      return 1;
    }
    const httplib::Headers h = {
        {"Authorization", "Bearer " + nlohmann::json::parse(login->body)["result"]["accessToken"].get<std::string>()}};
    std::size_t records = 0, bytes = 0, requests = 0;
    std::int64_t page = 1;
    const auto start = Clock::now();
    const double cpu_start = cpu_seconds();
    while (seconds_since(start) < budget) {
      auto r = client.Get(c.path + std::to_string(page), h);
      if (!r || r->status != 200) {
        std::printf("request failed: %s\n", r ? std::to_string(r->status).c_str() : httplib::to_string(r.error()).c_str());
        return 1;
      }
      ++requests;
      bytes += r->body.size();
      const std::size_t in_page = count_records(r->body, 2);  // rows sit inside the envelope
      records += in_page;
      page = in_page < 100 ? 1 : page + 1;
    }
    const double wall = seconds_since(start);
    const double cpu = cpu_seconds() - cpu_start;
    std::printf("%-50s %12zu %10.1f %14.0f %16.0f\n", c.name, requests, bytes / wall / 1048576.0, records / wall,
                cpu > 0 ? records / cpu : 0.0);
    server.stop();
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  const std::size_t n = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 1'000'000;
  const double budget = argc > 2 ? std::atof(argv[2]) : 3.0;

  auto t = Clock::now();
  sim::World world = sim::make_scale_world(n, 1);
  const double gen = seconds_since(t);
  t = Clock::now();
  sim::connectwise::Options cw;
  auto emulator = std::make_unique<sim::connectwise::ConnectWiseEmulator>(std::move(world), cw);
  const double load = seconds_since(t);
  std::printf("world scale:%zu generated in %.2f s, loaded as ConnectWise in %.2f s, RSS %ld MiB\n", n, gen, load,
              rss_mib());

  sim::SimServerOptions opts;
  opts.http.port = 0;
  opts.http.threads = 4;
  sim::SimServer server(std::move(emulator), opts);
  const std::string base = server.start();
  httplib::Client client(base);
  client.set_read_timeout(120);
  const httplib::Headers h = {{"Authorization", "Basic " + sim::base64(cw.company_id + "+" + cw.public_key + ":" + cw.private_key)},
                              {"clientId", cw.client_id}};
  const std::string api = "/" + cw.codebase + "apis/3.0/company/configurations";

  struct Case {
    const char* name;
    std::string query;
    bool forward_only;
  };
  const Case cases[] = {
      {"page/pageSize=1000, no conditions", "?pageSize=1000&page=", false},
      {"forward-only pageId, pageSize=1000", "?pageSize=1000", true},
      {"lastUpdated>[2025-06-01], pageSize=1000", "?pageSize=1000&conditions=lastUpdated%3E%5B2025-06-01T00%3A00%3A00Z%5D&page=", false},
      {"forward-only + lastUpdated>[2025-06-01]", "?pageSize=1000&conditions=lastUpdated%3E%5B2025-06-01T00%3A00%3A00Z%5D", true},
      {"type/id in (1,2) and status/id=1, pageSize=1000", "?pageSize=1000&conditions=type%2Fid%20in%20(1%2C2)%20and%20status%2Fid%3D1&page=", false},
      {"name like \"SRV*\" (full evaluator), pageSize=1000", "?pageSize=1000&conditions=name%20like%20%22SRV*%22&page=", false},
  };
  std::printf("%-50s %12s %10s %14s %16s\n", "query (one client, sequential)", "requests", "MiB/s", "records/s", "records/s/core");
  for (const Case& c : cases) {
    std::size_t records = 0, bytes = 0, requests = 0;
    std::int64_t page = 1, last_id = 0;
    const auto start = Clock::now();
    const double cpu_start = cpu_seconds();
    while (seconds_since(start) < budget) {
      std::string path = api + c.query;
      httplib::Headers hh = h;
      if (c.forward_only) {
        hh.emplace("pagination-type", "forward-only");
        path += "&pageId=" + std::to_string(last_id);
      } else {
        path += std::to_string(page);
      }
      auto r = client.Get(path, hh);
      if (!r || r->status != 200) {
        std::printf("request failed: %s\n", r ? std::to_string(r->status).c_str() : httplib::to_string(r.error()).c_str());
        return 1;
      }
      ++requests;
      bytes += r->body.size();
      // Count records by their top-level objects' "id" keys at depth 1: cheaper than parsing.
      std::size_t in_page = 0;
      int depth = 0;
      bool in_string = false;
      for (std::size_t i = 0; i < r->body.size(); ++i) {
        const char ch = r->body[i];
        if (in_string) {
          if (ch == '\\') ++i;
          else if (ch == '"') in_string = false;
        } else if (ch == '"') {
          in_string = true;
        } else if (ch == '{') {
          if (++depth == 1) ++in_page;
        } else if (ch == '}') {
          --depth;
        }
      }
      records += in_page;
      if (c.forward_only) {
        const auto pos = r->body.rfind("{\"id\":");
        last_id = in_page ? std::atoll(r->body.c_str() + pos + 6) : 0;
        if (in_page < 1000) last_id = 0;  // wrap around
      } else {
        page = in_page < 1000 ? 1 : page + 1;
      }
    }
    const double wall = seconds_since(start);
    // std::clock counts the whole process: the client's parse-free loop and the server thread.
    const double cpu = cpu_seconds() - cpu_start;
    std::printf("%-50s %12zu %10.1f %14.0f %16.0f\n", c.name, requests, bytes / wall / 1048576.0, records / wall,
                cpu > 0 ? records / cpu : 0.0);
  }
  server.stop();
  // The V2 worlds are smaller: their pages cost the same whatever the world's size.
  const std::size_t v2_n = std::min<std::size_t>(n, 200'000);
  std::printf("Kaseya V2 emulators, world scale:%zu\n", v2_n);
  return bench_v2(v2_n, budget);
}
