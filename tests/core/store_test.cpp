// Tests for src/store/Store.cpp: submitting, tenant checks and separation.
#include <catch2/catch.hpp>

#include "store/Store.h"
#include "TestSupport.h"

using namespace leadoutbox;

TEST_CASE("a submitted lead is stored as pending and survives reopening", "[store]") {
  testing::TempDb dir;
  {
    auto store = Store::open(dir.path(), "acme", 1).value();
    auto r = store->submitLead(testing::kValidLead, testing::uuid(7), 42);
    REQUIRE(r.isOk());
    CHECK(r.value().id == testing::uuid(7));
  }
  auto store = Store::open(dir.path(), "acme", 2).value();
  auto leads = store->listLeads().value();
  REQUIRE(leads.size() == 1);
  CHECK(leads[0].lead.name == "Ada Lovelace");
  CHECK(leads[0].lead.createdAt == 42);
  CHECK(leads[0].state == LeadState::kPending);
  CHECK(store->outbox().counts().value().pending == 1);
}

TEST_CASE("invalid input stores nothing", "[store]") {
  testing::TempDb dir;
  auto store = Store::open(dir.path(), "acme", 1).value();
  auto r = store->submitLead(R"({"name":"A","email":"x","message":"short"})", testing::uuid(1), 1);
  CHECK(r.status().code() == ErrorCode::kInvalidLead);
  CHECK(store->listLeads().value().empty());
}

TEST_CASE("the same client id twice is a duplicate, and the first lead stays", "[store]") {
  testing::TempDb dir;
  auto store = Store::open(dir.path(), "acme", 1).value();
  REQUIRE(store->submitLead(testing::kValidLead, testing::uuid(1), 1).isOk());
  auto again = store->submitLead(R"({"name":"Other Person","email":"o@example.com","message":"another message"})",
                                 testing::uuid(1), 2);
  CHECK(again.status().code() == ErrorCode::kDuplicateLead);
  auto leads = store->listLeads().value();
  REQUIRE(leads.size() == 1);
  CHECK(leads[0].lead.name == "Ada Lovelace");
}

TEST_CASE("tenant ids are a UUID or a slug, nothing else", "[store]") {
  CHECK(isTenantId("acme"));
  CHECK(isTenantId("acme-corp_2"));
  CHECK(isTenantId("123e4567-e89b-12d3-a456-426614174000"));
  CHECK(isTenantId(std::string(63, 'a')));
  CHECK_FALSE(isTenantId(std::string(64, 'a')));
  CHECK_FALSE(isTenantId("../x"));
  CHECK_FALSE(isTenantId("Acme"));
  CHECK_FALSE(isTenantId("-acme"));
  CHECK_FALSE(isTenantId(""));
  CHECK_FALSE(isTenantId("a/b"));
  testing::TempDb dir;
  CHECK(Store::open(dir.path(), "../x", 1).status().code() == ErrorCode::kInvalidTenant);
}

TEST_CASE("tenants are separated: a database opens only for its own tenant", "[store]") {
  testing::TempDb dir;
  auto a = Store::open(dir.path("a.sqlite3"), "tenant-a", 1).value();
  auto b = Store::open(dir.path("b.sqlite3"), "tenant-b", 1).value();
  REQUIRE(a->submitLead(testing::kValidLead, testing::uuid(1), 1).isOk());
  CHECK(a->listLeads().value().size() == 1);
  CHECK(b->listLeads().value().empty());
  b.reset();
  a.reset();
  auto wrong = Store::open(dir.path("a.sqlite3"), "tenant-b", 2);
  CHECK(wrong.status().code() == ErrorCode::kTenantMismatch);
}
