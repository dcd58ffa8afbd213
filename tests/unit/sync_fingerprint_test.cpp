// D12: a link keeps the fingerprint of what the PSA last said, and a resync compares the new one
// with it. The digest must not change between versions of Cairn, or every stored link would look
// changed and the first resync after an upgrade would rewrite every record.
#include <gtest/gtest.h>

#include "sync/reconcile.h"

using namespace cairn;

namespace {

core::PsaRecord full_record() {
  core::PsaRecord r;
  r.entity = core::SyncEntity::Configuration;
  r.psa_id = "77";
  r.fields["name"] = core::Value("Acme-01");
  r.fields["asset_tag"] = core::Value();
  r.fields["primary"] = core::Value(true);
  r.fields["sort"] = core::Value(42);
  r.fields["contact_emails"] = core::Value(core::Rows{{core::Value("a@b.c"), core::Value(), core::Value(true)}});
  r.refs["organization_id"] = core::PsaRef{core::SyncEntity::Organization, "250"};
  r.lookups["manufacturer_id"] = "Dell";
  r.type_names = {"Server", "Managed"};
  r.status_name = "Active";
  return r;
}

}  // namespace

// The digests below are what Cairn computed before the digest was fed field by field
// (FNV-1a over "<bytes>:<part>" of every field, ref, lookup, type, status and active flag).
TEST(SyncFingerprint_D12, SameDigestAsStoredLinksHold) {
  EXPECT_EQ(sync::fingerprint(full_record()), "0cd103262927ebee");
  core::PsaRecord bare;
  bare.active = false;
  EXPECT_EQ(sync::fingerprint(bare), "ee0f7bc583de4f40");
}

TEST(SyncFingerprint_D12, EveryMappedPartChangesIt) {
  const std::string base = sync::fingerprint(full_record());
  auto changed = [&](auto edit) {
    core::PsaRecord r = full_record();
    edit(r);
    return sync::fingerprint(r);
  };
  EXPECT_NE(changed([](core::PsaRecord& r) { r.fields["name"] = core::Value("Acme-02"); }), base);
  EXPECT_NE(changed([](core::PsaRecord& r) { r.fields["sort"] = core::Value("42"); }), base);  // the type counts too
  EXPECT_NE(changed([](core::PsaRecord& r) { r.refs["organization_id"].psa_id = "251"; }), base);
  EXPECT_NE(changed([](core::PsaRecord& r) { r.lookups["manufacturer_id"] = "HP"; }), base);
  EXPECT_NE(changed([](core::PsaRecord& r) { r.type_names = {"Managed", "Server"}; }), base);
  EXPECT_NE(changed([](core::PsaRecord& r) { r.status_name.reset(); }), base);
  EXPECT_NE(changed([](core::PsaRecord& r) { r.active = false; }), base);
  EXPECT_EQ(changed([](core::PsaRecord& r) { r.updated_at = "2026-01-01T00:00:00Z"; }), base);  // not mapped
}
