// A tenant's lead store: one SQLite database holding that tenant's leads and outbox.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/Result.h"
#include "edits/EditQueue.h"
#include "form/FormDefinition.h"
#include "lead/Lead.h"
#include "outbox/LeadState.h"
#include "outbox/Outbox.h"
#include "replica/Replica.h"
#include "store/Database.h"

namespace leadoutbox {

// A stored lead with its outbox state. Personal fields are empty once erased after sync.
struct LeadRecord {
  Lead lead;
  LeadState state = LeadState::kPending;
  bool erased = false;
  std::int64_t attempts = 0;
  std::int64_t updatedAt = 0;
  std::int64_t syncedAt = 0;  // 0 when not synced
  std::string rejectReason;
};

struct StoreOptions {
  RetryPolicy retry;
  RetentionPolicy retention;
  // A single-file database from before page groups (leads.sqlite3): imported into the
  // page groups at open when there are none yet, then deleted. Empty: no import.
  std::string importFrom;
  // False when a tab reopens the database another tab changed: leads that tab has in
  // flight are its own, not a crash's. True on a page's first open.
  bool recoverInFlight = true;
  // Check the stored data at open (checkStoredData: one pass over the leads; at 10,000
  // leads about 6 ms natively, 35-50 ms in the wasm). False skips it: for a reopen on
  // bytes a live tab of the same site just wrote, where the cost would recur with each
  // of its commits.
  bool checkStoredData = true;
  // Replica rows older than this (by createdAt) are dropped at open and with each page.
  std::int64_t replicaRetentionMs = Defaults::kReplicaRetentionMs;
  // This device's id for staff edits ([A-Za-z0-9_-]{1,64}): stored on first open and kept
  // (a later, different one is ignored). Empty: none given.
  std::string deviceId;
};

// True for a tenant id lead-outbox accepts: a UUID, or a slug ^[a-z0-9][a-z0-9_-]{0,62}$.
bool isTenantId(std::string_view tenantId);

class Store {
 public:
  // Opens (creating if needed) the database at `path` for `tenantId` and migrates it.
  // The database is kept as page-group files "<path>.gNNNNNN" (vfs/PageGroupVfs.h).
  // A database created for another tenant gives kTenantMismatch; a bad id kInvalidTenant.
  // Leads a crash left in_flight go back to pending. Damaged stored data (groups,
  // header, pages, rows or meta out of range; see StoredData.h) gives damagedData: a
  // kStorage whose message starts with kDamagedDataPrefix; other failures never do.
  static Result<std::unique_ptr<Store>> open(const std::string& path, const std::string& tenantId,
                                             std::int64_t now, StoreOptions options = {});

  const std::string& tenantId() const { return tenantId_; }

  // Validates `leadJson` against `form` and stores it as pending under client id `id`,
  // with the form's id and version, its custom values, consent and attribution. On error
  // nothing is stored: kInvalidLead (with field errors), kInvalidArgument for a bad id,
  // kDuplicateLead for an id already stored.
  Result<Lead> submitLead(std::string_view leadJson, std::string_view id, std::int64_t now,
                          const FormDefinition& form = defaultFormDefinition());

  // All leads, oldest first. An erased lead's custom values are those not marked personal.
  Result<std::vector<LeadRecord>> listLeads();

  // PRAGMA integrity_check's verdict: "ok", or the problems it found.
  Result<std::string> integrityCheck();

  Outbox& outbox() { return *outbox_; }
  Replica& replica() { return *replica_; }
  EditQueue& edits() { return *edits_; }
  Database& database() { return *db_; }

 private:
  Store(std::string tenantId, std::unique_ptr<Database> db, StoreOptions options);

  std::string tenantId_;
  std::unique_ptr<Database> db_;
  std::unique_ptr<Outbox> outbox_;
  std::unique_ptr<EditQueue> edits_;
  std::unique_ptr<Replica> replica_;
};

}  // namespace leadoutbox
