// bench_api: the API's speed over 100,000 configurations in SQLite.
// Usage: bench_api [CONFIGURATIONS] [SECONDS PER PHASE] [CLIENTS]
// Prints list pages of 1000 per second, single-record GETs per second and PATCHes per second,
// each with p50 and p99 latency. Aims (issue 2): >= 200 list pages/s and >= 5,000 GETs/s on a
// 2-core machine. The load generator runs in this process and shares the machine's cores with
// the server, as a script on the same host would.
#include <httplib.h>
#include <soci/soci.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "api/app.h"
#include "core/time.h"
#include "store/api_keys.h"
#include "store/database.h"

using namespace cairn;
using Clock = std::chrono::steady_clock;

namespace {

void seed(store::Database& db, int configurations) {
  soci::session s(db.pool());
  store::Transaction tx(s, db.dialect());
  std::string now = core::now_rfc3339();
  s << "INSERT INTO configuration_types (name, created_at, updated_at) VALUES ('Workstation', :n, :n)", soci::use(now, "n");
  s << "INSERT INTO configuration_statuses (name, created_at, updated_at) VALUES ('Active', :n, :n)", soci::use(now, "n");
  s << "INSERT INTO manufacturers (name, created_at, updated_at) VALUES ('Lenovo', :n, :n)", soci::use(now, "n");
  const int orgs = configurations / 50;
  for (int o = 0; o < orgs; ++o) {
    std::string name = "Client " + std::to_string(o);
    s << "INSERT INTO organizations (name, short_name, created_at, updated_at) VALUES (:a, :b, :n, :n)", soci::use(name, "a"),
        soci::use(name, "b"), soci::use(now, "n");
  }
  const int batch = 1000;
  std::vector<long long> org_ids(batch);
  std::vector<std::string> names(batch), serials(batch), macs(batch), ips(batch), stamps(batch, now);
  soci::statement st =
      (s.prepare << "INSERT INTO configurations (organization_id, name, configuration_type_id, configuration_status_id, "
                    "manufacturer_id, serial_number, mac_address, primary_ip, hostname, notes, created_at, updated_at) "
                    "VALUES (:o, :name, 1, 1, 1, :serial, :mac, :ip, :name, 'Imaged by the service desk.', :t, :t)",
       soci::use(org_ids, "o"), soci::use(names, "name"), soci::use(serials, "serial"), soci::use(macs, "mac"),
       soci::use(ips, "ip"), soci::use(stamps, "t"));
  for (int base = 0; base < configurations; base += batch) {
    for (int i = 0; i < batch; ++i) {
      int n = base + i;
      org_ids[i] = 1 + n % orgs;
      names[i] = "WS-" + std::to_string(n);
      serials[i] = "SN" + std::to_string(1000000 + n);
      char mac[18];
      std::snprintf(mac, sizeof mac, "00:16:3E:%02X:%02X:%02X", (n >> 16) & 255, (n >> 8) & 255, n & 255);
      macs[i] = mac;
      ips[i] = "10." + std::to_string((n >> 16) & 255) + "." + std::to_string((n >> 8) & 255) + "." + std::to_string(n & 255);
    }
    st.execute(true);
  }
  tx.commit();
}

struct Result {
  long requests = 0;
  long errors = 0;
  double seconds = 0;
  std::vector<double> latencies_ms;
};

// Runs `threads` clients for `seconds`, each calling `request(client, rng)`; returns the figures.
template <typename F>
Result run(const std::string& base, int threads, double seconds, F request) {
  std::vector<Result> per(threads);
  std::vector<std::thread> workers;
  auto start = Clock::now();
  auto deadline = start + std::chrono::duration<double>(seconds);
  for (int t = 0; t < threads; ++t)
    workers.emplace_back([&, t] {
      httplib::Client client(base);
      client.set_keep_alive(true);
      client.set_tcp_nodelay(true);
      client.set_read_timeout(30, 0);
      std::mt19937_64 rng(t + 1);
      while (Clock::now() < deadline) {
        auto t0 = Clock::now();
        bool ok = request(client, rng);
        per[t].latencies_ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
        ++per[t].requests;
        if (!ok) ++per[t].errors;
      }
    });
  for (auto& w : workers) w.join();
  Result all;
  all.seconds = std::chrono::duration<double>(Clock::now() - start).count();
  for (auto& r : per) {
    all.requests += r.requests;
    all.errors += r.errors;
    all.latencies_ms.insert(all.latencies_ms.end(), r.latencies_ms.begin(), r.latencies_ms.end());
  }
  std::sort(all.latencies_ms.begin(), all.latencies_ms.end());
  return all;
}

double pct(const Result& r, double p) {
  if (r.latencies_ms.empty()) return 0;
  return r.latencies_ms[std::min(r.latencies_ms.size() - 1, static_cast<size_t>(p * r.latencies_ms.size()))];
}

void print(const char* what, const Result& r, double per_request_records = 0) {
  double rate = r.requests / r.seconds;
  std::printf("%-28s %9.0f req/s  p50 %7.2f ms  p99 %7.2f ms  (%ld requests, %ld errors)", what, rate, pct(r, 0.50),
              pct(r, 0.99), r.requests, r.errors);
  if (per_request_records > 0) std::printf("  = %.0f records/s", rate * per_request_records);
  std::printf("\n");
}

long peak_rss_mb() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return u.ru_maxrss / 1024;
}

}  // namespace

int main(int argc, char** argv) {
  const int configurations = argc > 1 ? std::atoi(argv[1]) : 100000;
  const double seconds = argc > 2 ? std::atof(argv[2]) : 5.0;
  const int clients = argc > 3 ? std::atoi(argv[3]) : 4;
  std::string dir = (std::filesystem::temp_directory_path() / ("cairn-bench-api-" + std::to_string(getpid()))).string();
  std::filesystem::create_directories(dir);
  auto db = store::Database::open(dir + "/cairn.db", 10);

  auto t0 = Clock::now();
  seed(*db, configurations);
  std::printf("seeded %d configurations in %d organizations into SQLite in %.1f s\n", configurations, configurations / 50,
              std::chrono::duration<double>(Clock::now() - t0).count());
  std::string key;
  {
    soci::session s(db->pool());
    key = store::create_api_key(s, "bench", store::Role::Editor).secret;
  }
  api::App app(*db);
  api::HttpOptions http;
  http.port = 0;
  http.threads = 8;
  api::ApiServer server(app, http);
  server.bind();
  std::thread serving([&] { server.serve(); });
  const std::string base = server.base_url();
  httplib::Headers h{{"x-api-key", key}};
  std::printf("server: %zu request threads; load: %d keep-alive clients in this process; %u cores; %.0f s per phase\n",
              http.threads, clients, std::thread::hardware_concurrency(), seconds);

  const int pages = (configurations + 999) / 1000;
  std::atomic<long> bytes{0};
  auto list = run(base, clients, seconds, [&](httplib::Client& c, std::mt19937_64& rng) {
    auto r = c.Get("/configurations?page[size]=1000&page[number]=" + std::to_string(1 + rng() % pages), h);
    if (r) bytes += static_cast<long>(r->body.size());
    return r && r->status == 200;
  });
  print("list, pages of 1000", list, 1000);
  std::printf("%-28s %9.1f KB per page\n", "", list.requests ? bytes.load() / 1024.0 / list.requests : 0);

  auto get = run(base, clients, seconds, [&](httplib::Client& c, std::mt19937_64& rng) {
    auto r = c.Get("/configurations/" + std::to_string(1 + rng() % configurations), h);
    return r && r->status == 200;
  });
  print("GET one configuration", get);

  auto patch = run(base, clients, seconds, [&](httplib::Client& c, std::mt19937_64& rng) {
    std::string body = R"({"data":{"type":"configurations","attributes":{"notes":"checked )" + std::to_string(rng()) + R"("}}})";
    auto r = c.Patch("/configurations/" + std::to_string(1 + rng() % configurations), h, body, "application/vnd.api+json");
    return r && r->status == 200;
  });
  print("PATCH one configuration", patch);

  server.stop();
  serving.join();
  std::printf("peak RSS %ld MB (server and load generator together)\n", peak_rss_mb());
  std::printf("aims: list >= 200 pages/s: %s; GET >= 5000/s: %s\n", list.requests / list.seconds >= 200 ? "met" : "NOT met",
              get.requests / get.seconds >= 5000 ? "met" : "NOT met");
  db.reset();
  std::filesystem::remove_all(dir);
  return 0;
}
