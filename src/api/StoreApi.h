// The JSON-in, JSON-out face of a Store that the bindings export; plain C++ so native tests cover it.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "form/FormDefinition.h"
#include "store/Store.h"

namespace leadoutbox {

// Every method returns a JSON object: {"ok":true,"value":…} or
// {"ok":false,"code":"invalid_lead","message":…,"field":…,"fields":{…}}.
// Times are ms since the epoch as doubles (JS numbers); the caller supplies them.
class StoreApi {
 public:
  // optionsJson: {"retryBaseMs","retryCapMs","inFlightTimeoutMs","keepSyncedMs","importFrom","recoverInFlight",
  // "checkStoredData","replicaRetentionMs","deviceId"}, each optional (deviceId: kept from the first open); durations are clamped to [0, 8.64e15]. Damaged
  // stored data fails with code "storage_error" and a message starting "damaged stored
  // data: " (kDamagedDataPrefix); no other failure's message starts so.
  std::string open(const std::string& path, const std::string& tenantId, double now,
                   const std::string& optionsJson);
  void close();

  // Validates against the form set with setForm (the built-in default until then).
  std::string submitLead(const std::string& leadJson, const std::string& id, double now);
  // submitLead against `definitionJson` ("null" / "": the built-in default) instead of
  // setForm's: a lead that was checked and written ahead under the form its page had
  // (web/src/volume.js, "write-ahead records"), inserted later by whichever tab applies it.
  std::string submitLeadWith(const std::string& definitionJson, const std::string& leadJson, const std::string& id,
                             double now);

  // The form definition submitLead and validateLead check against, kept across open and
  // close. definitionJson: a definition, or "null" / "" for the built-in default. value:
  // the definition as parsed (formDefinitionJson); "invalid_form" leaves the form as it was.
  std::string setForm(const std::string& definitionJson);
  // validateLeadJson against the form set with setForm, as a check only: value null (the
  // page asks before it writes a lead ahead and never reads the normalized lead, which the
  // row's insert makes again; building it cost a submit time in wasm and in JSON.parse).
  // Needs no open store.
  std::string validateLead(const std::string& leadJson, const std::string& id, double createdAt);
  // value: {"pending","inFlight","synced","rejected","nextAttemptAt"}
  std::string counts(double now);
  // value: [{"id","name","email","phone","message","createdAt","status","attempts",
  //          "updatedAt","syncedAt","rejectReason","erased"} and the form parts as validateLeadJson]
  std::string listLeads();
  // value: {"ids":[…],"leads":[…],"retryAt"}; evenIfBackingOff: a person asked to send now
  std::string beginBatch(double now, int maxCount, double maxBytes, bool evenIfBackingOff);
  // The next three take the batch's ids (idsJson: beginBatch's "ids", as JSON).
  // resultsJson: [{"id","status":"accepted|duplicate|conflict|rejected","reason"}];
  // value: {"synced","rejected","unanswered"}: what the batch's leads became (Outbox::completeBatch)
  std::string completeBatch(const std::string& idsJson, const std::string& resultsJson, double now, double random01);
  // value: {"rejected": 0|1}; see Outbox::batchTooLarge
  std::string batchTooLarge(const std::string& idsJson, double now);
  // value: {"retryAt"}
  std::string failBatch(const std::string& idsJson, double now, double random01, double retryAfterMs);
  std::string retryRejected(const std::string& id, double now);
  std::string discardRejected(const std::string& id);
  // value: "ok", or PRAGMA integrity_check's list of problems.
  std::string integrityCheck();

  // The replica (replica/Replica.h). applyPage: the page the feed answered to ?cursor=from;
  // value: {"applied","changes","pruned","cursor"} (applied false: a stale page, nothing changed).
  std::string applyPage(std::string_view pageJson, double from, double now);
  // Empties the replica and its cursor (409 must_refetch, signOut); never the outbox.
  std::string resetReplica();
  // value: {"cursor","changedAt"}
  std::string feedState();

  // Staff edits (edits/EditQueue.h, docs/edits.md). submitEdit: editJson {"leadId","author","set"?,
  // "addTags"?,"removeTags"?,"note"?}; stored and shown at once (replica_leads' status, owner,
  // follow_up, tags, notes, overridden); value: the edit as it will be uploaded. Errors:
  // "not_found" (no such replica lead), "invalid_argument" (an invalid edit, no deviceId, or
  // a staff member new to the store without a fresh "device" offered).
  std::string submitEdit(const std::string& editJson, double now);
  // value: {"pending","rejected"}
  std::string editCounts();
  // value: {"edits":[…]}: the oldest pending edits of `author`'s device (EditQueue::beginBatch;
  // "": the oldest edit's device), the request body's edits. Resending is safe.
  std::string beginEditBatch(int maxCount, const std::string& author);
  // resultsJson: the server's [{"device","mutationId","result":"applied"|"rejected","reason"?}];
  // value: {"applied","rejected"}. A failed request needs no call: the edits stay pending.
  std::string completeEditBatch(const std::string& resultsJson, double now);
  // value: [{"mutationId","leadId","status":"pending"|"applied"|"rejected","reason","edit"}]
  std::string listEdits();
  // Forgets a rejected edit the person has seen; "not_found" for any other.
  std::string dismissEdit(double mutationId);

  // Runs one read-only statement (SQLite dialect) with paramsJson, a JSON array bound to
  // ?1, ?2… (strings, integers, booleans as 0/1, null; other numbers as their text).
  // value: {"rows":[{column: value}…],"tables":[names of the tables it read]}. A statement
  // that would write or change the connection: "read_only"; bad SQL: "invalid_argument".
  std::string query(const std::string& sql, const std::string& paramsJson);

 private:
  // The form submitLead and validateLead check against: setForm's, else the built-in default.
  const FormDefinition& form() const { return form_ ? *form_ : defaultFormDefinition(); }

  std::unique_ptr<Store> store_;
  // null until setForm, and after setForm of the default: a build without setForm/submitLead/
  // validateLead (the staff wasm flavor) then links no code that builds a definition, and
  // none copies one.
  std::unique_ptr<FormDefinition> form_;
};

// A JS number of milliseconds as the core's int64: truncated toward zero, clamped to JS
// Date's range (±8.64e15); NaN is 0. Every time and size crossing the boundary goes through it.
std::int64_t ms(double t);

// Validates a lead without storing it (for servers and forms): value is the normalized
// lead {"id","name","email","phone","message","createdAt"} and, when they say something
// (the contract's upload shape), "form" {"id","version"} (not for the built-in default),
// "custom", "consent", "attribution"; or the invalid_lead error.
std::string validateLeadJson(const std::string& leadJson, const std::string& id, double createdAt);
// The same against `definitionJson` (a definition, or "null" / "" for the built-in default);
// an invalid definition answers "invalid_form".
std::string validateLeadFormJson(const std::string& definitionJson, const std::string& leadJson, const std::string& id,
                                 double createdAt);
// Parses a definition: value is formDefinitionJson of it ("null" / "": the built-in
// default's), or the invalid_form error naming the problem and the field.
std::string parseFormJson(const std::string& definitionJson);

// The files under `dir` that the database wrote or removed since the last call, as a
// JSON array of paths; the JS volume persists exactly these after each commit.
std::string changedFilesJson(const std::string& dir);

// The defaults table (outbox/Defaults.h) as JSON: {"batchMaxCount","batchMaxBytes",
// "requestTimeoutMs","inFlightTimeoutMs","retryBaseMs","retryCapMs","maxRetryAfterMs",
// "keepSyncedMs","replicaRetentionMs","editMaxSkewMs"}. web/src/store.js DEFAULTS mirrors it; a Node test compares the two.
std::string coreDefaultsJson();

// Versions built in: {"sqlite":"3.52.0","schema":3}.
std::string coreVersionsJson();

}  // namespace leadoutbox
