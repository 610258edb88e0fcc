// Edit: one staff member's change to one lead, as a device queues it and the server merges it.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/JsonValue.h"
#include "core/Result.h"
#include "edits/Hlc.h"

namespace leadoutbox {

// An edit's identity: the device that made it and that device's mutation id (1, 2, 3…).
// Also the identity of the tag add and the note an edit carries.
struct Dot {
  std::string device;
  std::int64_t mutationId = 0;

  friend bool operator<(const Dot& a, const Dot& b) {
    return a.device != b.device ? a.device < b.device : a.mutationId < b.mutationId;
  }
  friend bool operator==(const Dot& a, const Dot& b) { return a.device == b.device && a.mutationId == b.mutationId; }
};

// "device:mutationId", the text form of a Dot in edits, states and note ids.
std::string dotText(const Dot& dot);
std::optional<Dot> parseDot(std::string_view text);

// A field value an edit sets: a string, or nullopt for "cleared" (JSON null).
using FieldValue = std::optional<std::string>;

// The fields last-writer-wins applies to. Status is never cleared; owner and followUp may be.
inline constexpr const char* kEditFields[] = {"status", "owner", "followUp"};

struct Edit {
  Dot dot;
  std::string leadId;
  Hlc clock;           // one clock for every field the edit sets
  std::string author;  // the staff id that made it
  std::map<std::string, FieldValue, std::less<>> set;  // keys from kEditFields
  std::vector<std::string> addTags;
  std::vector<std::string> removeTags;
  // The tag adds each removed tag had where the edit was made (the OR-set's "observed").
  // nullopt: the edit did not say, and the remove takes every add ordered before it
  // (clock, device, mutationId): by the HLC's receive rule that includes everything it saw.
  std::optional<std::map<std::string, std::vector<Dot>, std::less<>>> observed;
  std::optional<std::string> note;
};

// Limits that keep one edit small; a longer value makes the edit invalid.
constexpr std::size_t kMaxDeviceIdLength = 64;  // [A-Za-z0-9_-]
constexpr std::size_t kMaxFieldLength = 128;    // status, owner, author, lead id
constexpr std::size_t kMaxTagLength = 64;
constexpr std::size_t kMaxTagsPerEdit = 32;
constexpr std::size_t kMaxNoteLength = 4000;

// Reads an edit from the contract's JSON object (docs/edits.md):
// {"device","mutationId","leadId","clock","author","set":{"status"?,"owner"?,"followUp"?},
//  "addTags"?,"removeTags"?,"observed"?:{tag:["device:mutationId"…]},"note"?}.
// Returns kInvalidArgument naming the first problem: a missing or mistyped member, a device
// id outside [A-Za-z0-9_-]{1,64}, a mutation id < 1, a bad clock, an unknown field in
// "set" (visitor fields are not staff-editable), a null status, a followUp that is not a
// real YYYY-MM-DD date, an empty or overlong tag or note.
Result<Edit> parseEdit(const JsonValue& json);

// The edit as parseEdit reads it (the device stores and uploads this).
JsonValue editJson(const Edit& edit);

// True for a device id: 1 to 64 of [A-Za-z0-9_-].
bool isDeviceId(std::string_view id);

// True for "YYYY-MM-DD" naming a real calendar day.
bool isCalendarDate(std::string_view text);

}  // namespace leadoutbox
