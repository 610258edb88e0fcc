// EditQueue: a device's own staff edits, queued beside the outbox and shown on top of the server's staff state.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/JsonValue.h"
#include "core/Result.h"
#include "store/Database.h"

namespace leadoutbox {

struct EditCounts {
  std::int64_t pending = 0;   // not yet answered by the server
  std::int64_t rejected = 0;  // refused, kept with the reason until dismissed
};

struct EditBatchOutcome {
  std::int64_t applied = 0;
  std::int64_t rejected = 0;
};

// Lives in `edits`, meta's device_id / hlc / edit_mutation_id and the staff columns of
// replica_leads (schema versions 4 and 5). An edit row is 'pending' until the server answers,
// then 'applied' (kept and merged on top until the feed's staff state covers it, so the
// lead never flickers back between the answer and the page) or 'rejected' (kept with
// the reason, merged nowhere).
//
// What a replica row shows (status, owner, follow_up, tags, notes) is always: the server's
// staff_state with this device's pending and applied edits merged on top, by the same rule
// as the server (StaffState). `overridden` is a JSON object {field: {"yours","won","by","at"}}
// for each field where this device's latest write lost to another (a later clock, or an
// equal clock and a larger device id), whether that write is still queued or its edit
// was acknowledged and covered before the later one arrived: `own_writes` keeps this
// device's latest covered write per field for that, until the lead leaves the replica.
// The line goes when the person writes that field again and wins.
class EditQueue {
 public:
  explicit EditQueue(Database& db) : db_(db) {}

  // Stores the device id if none is stored yet (a database keeps its first one). Ignores
  // an empty id; kInvalidArgument for one outside [A-Za-z0-9_-]{1,64}.
  // Device ids are per staff member (the server binds one to the first member who sends
  // edits under it): the first author of the store's edits takes this one, each later
  // author the fresh id their first submit offers. A store with edits from before that
  // (meta edit_mutation_id set, no device_base_taken) gives this id to the author of its
  // oldest queued edit, or to nobody when none is queued (who owns it is not known).
  Status adoptDeviceId(std::string_view deviceId);

  // Queues an edit and shows it at once, in one transaction. `editJson`: {"leadId","author",
  // "set"?,"addTags"?,"removeTags"?,"note"?,"device"?}; the core adds device (the author's:
  // see adoptDeviceId; "device" is the fresh id offered in case the author has none yet),
  // mutationId (one sequence per store: each device's ids increase; the store's first is
  // 1000 × the clock's wall + its counter, at most 999, so a fresh database under a device id
  // used before does not number edits from ids the server has answered), clock (the
  // device's HLC after a local event at `now`) and, for removed tags, the adds this device
  // sees (its "observed"). Returns the stored edit. kNotFound: no such lead in the replica;
  // kInvalidArgument: an invalid edit (Edit.h), no device id yet, or none for a new author.
  Result<JsonValue> submit(std::string_view editJson, std::int64_t now);

  // The oldest pending edits of one device, at most maxCount, as the server takes them (an
  // array): `author`'s device (none yet: empty), or without an author the device of the
  // oldest pending edit. Nothing changes state: a resend is safe because the server answers
  // (device, mutationId) once, so there is no in-flight state to recover after a crash.
  Result<JsonValue> beginBatch(int maxCount, std::string_view author = {});

  // The server's answer, [{"device","mutationId","result":"applied"|"rejected","reason"?}]:
  // marks those pending edits, in one transaction, and re-derives their leads. Results for
  // a device not of this store or an unknown mutation are ignored. kInvalidArgument for malformed results.
  Result<EditBatchOutcome> completeBatch(std::string_view resultsJson, std::int64_t now);

  Result<EditCounts> counts();
  // Every queued edit, oldest first: [{"mutationId","leadId","status","reason","edit"}].
  Result<JsonValue> list();
  // Forgets a rejected edit (the person has seen it). kNotFound for any other.
  Status dismissRejected(std::int64_t mutationId);

  // Re-derives `leadId`'s row from its staff_state and this device's edits, drops applied
  // edits the state covers, and moves the HLC past every clock in the state. Nothing when
  // the lead has no replica row. REQUIRES: inside a transaction (Replica::applyPage, or
  // this class's own).
  Status rebase(const std::string& leadId, std::int64_t now);

 private:
  Result<std::string> meta(const std::string& key);
  Status setMeta(const std::string& key, std::string_view value);
  // The author's device id. With `take`, one is taken as adoptDeviceId says (`offered`: the
  // fresh id for a new author); without, nothing is written and "" means none yet.
  // REQUIRES: inside a transaction when `take`.
  Result<std::string> deviceOf(const std::string& author, std::string_view offered, bool take);

  Database& db_;
};

}  // namespace leadoutbox
