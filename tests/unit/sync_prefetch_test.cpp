// The engine's prefetch: records arrive in the connector's order, a connector failure arrives
// after the records fetched before it, and a consumer that stops early stops the pull.
#include <gtest/gtest.h>

#include <atomic>
#include <stdexcept>

#include "sync/prefetch.h"

using namespace cairn;

namespace {

// A connector that yields `count` organizations, then fails if told to.
class CountingSource : public psa::Source {
 public:
  CountingSource(int count, bool fail) : count_(count), fail_(fail) {}
  void pull(core::SyncEntity e, const std::string&, const std::vector<std::string>&,
            const std::function<void(const core::PsaRecord&)>& each) override {
    for (int i = 0; i < count_; ++i) {
      core::PsaRecord r;
      r.entity = e;
      r.psa_id = std::to_string(i);
      each(r);
      ++yielded;
    }
    if (fail_) throw std::runtime_error("ConnectWise answered 500");
  }
  std::optional<core::PsaRecord> fetch(core::SyncEntity, const std::string&, const std::string&) override {
    return std::nullopt;
  }
  std::map<std::string, std::vector<std::string>> catalogue() override { return {}; }
  std::int64_t requests() const override { return 0; }
  std::atomic<int> yielded{0};

 private:
  int count_;
  bool fail_;
};

}  // namespace

TEST(SyncPrefetch, RecordsArriveInTheConnectorsOrder) {
  CountingSource source(2500, false);
  sync::Prefetch fetched(source, core::SyncEntity::Contact, "", {}, 1000, 2);
  std::vector<core::PsaRecord> batch;
  int next = 0;
  while (fetched.next(batch))
    for (const auto& r : batch) {
      EXPECT_EQ(r.entity, core::SyncEntity::Contact);
      EXPECT_EQ(r.psa_id, std::to_string(next++));
    }
  EXPECT_EQ(next, 2500);
  EXPECT_FALSE(fetched.next(batch));
}

TEST(SyncPrefetch, FailureArrivesAfterTheRecordsBeforeIt) {
  CountingSource source(1500, true);
  sync::Prefetch fetched(source, core::SyncEntity::Organization, "", {}, 1000, 4);
  std::vector<core::PsaRecord> batch;
  int got = 0;
  try {
    while (fetched.next(batch)) got += static_cast<int>(batch.size());
    FAIL() << "the failure was lost";
  } catch (const std::runtime_error& e) {
    EXPECT_STREQ(e.what(), "ConnectWise answered 500");
  }
  EXPECT_EQ(got, 1500);
}

TEST(SyncPrefetch, StoppingEarly_StopsThePull) {
  CountingSource source(1000000, false);
  {
    sync::Prefetch fetched(source, core::SyncEntity::Configuration, "", {}, 100, 2);
    std::vector<core::PsaRecord> batch;
    ASSERT_TRUE(fetched.next(batch));
    EXPECT_EQ(batch.size(), 100u);
  }
  // At most the queue's worth beyond what was taken, not the whole million.
  EXPECT_LT(source.yielded.load(), 1000);
}
