// The exports of the wasm module: StoreApi and the core's files as plain C functions (web/src/coreModule.js wraps them). The only file that knows it is in wasm.
//
// Plain exports instead of embind: embind's JS runtime was ~6 KB gzip of the glue for what
// is here only strings and numbers. The contract with web/src/coreModule.js, which mirrors it:
// - A string argument is a (pointer, byte length) pair of UTF-8 in memory the caller owns.
// - A string result is a pointer to a buffer owned here, valid until the next call into the
//   module; its byte length is lo_result_length(). The caller copies it out at once.
// - A StoreApi is a handle from lo_store_new(), released by lo_store_delete().
//
// Compiled once per wasm flavor (wasm/wasm.cmake); the #if blocks decide which exports a flavor
// has, and FLAVORS in web/src/coreModule.js mirrors them (tests/node/flavors.test.js):
// - full (no define): everything; Node and the server (validateLeadForm, parseForm, mergeEdits,
//   the defaults table, the integrity check).
// - LEAD_OUTBOX_FLAVOR_VISITOR: a page that takes leads: no replica, query or staff edits.
// - LEAD_OUTBOX_FLAVOR_STAFF: a staff device: replica, query, edits and the outbox's upload
//   (leads other tabs left pending still go out), but no form or lead validation code.
// An export left out takes with it, through LTO, the code only it reaches.
#if defined(LEAD_OUTBOX_FLAVOR_VISITOR) && defined(LEAD_OUTBOX_FLAVOR_STAFF)
#error "one flavor at a time"
#endif
// LO_TAKES_LEADS: submitLead and the form; LO_HAS_REPLICA: the replica, query and edits;
// LO_SERVER: the server's and Node's own functions (lead and form validation, the merge rule,
// the defaults table and the integrity check).
#if defined(LEAD_OUTBOX_FLAVOR_VISITOR)
#define LO_TAKES_LEADS 1
#define LO_HAS_REPLICA 0
#define LO_SERVER 0
#elif defined(LEAD_OUTBOX_FLAVOR_STAFF)
#define LO_TAKES_LEADS 0
#define LO_HAS_REPLICA 1
#define LO_SERVER 0
#else
#define LO_TAKES_LEADS 1
#define LO_HAS_REPLICA 1
#define LO_SERVER 1
#endif

#include <emscripten/emscripten.h>

#include <algorithm>
#include <cstdint>
#include <string>

#include "api/StoreApi.h"
#include "edits/MergeEdits.h"
#include "store/StoredData.h"
#include "vfs/FileDigest.h"
#include "vfs/MemoryFiles.h"

namespace {
using leadoutbox::MemoryFiles;
using leadoutbox::StoreApi;

std::string result;  // the last string result (see lo_result_length)
std::size_t resultLength = 0;

const char* answer(std::string value) {
  result = std::move(value);
  resultLength = result.size();
  return result.c_str();
}

std::string text(const char* data, std::size_t length) { return std::string(data, length); }
}  // namespace

#define LO_EXPORT extern "C" EMSCRIPTEN_KEEPALIVE
#define LO_STR(name) const char *name##Data, std::size_t name##Length
#define LO_TEXT(name) text(name##Data, name##Length)

// Byte length of the last string result (lo_file_view: of the view).
LO_EXPORT std::size_t lo_result_length() { return resultLength; }

LO_EXPORT StoreApi* lo_store_new() {
#if LO_HAS_REPLICA
  // Its stores read replica and edit rows: their open checks them (the visitor's links no such check).
  leadoutbox::registerStaffTablesCheck(&leadoutbox::checkStaffTables);
#endif
  return new StoreApi();
}
LO_EXPORT void lo_store_delete(StoreApi* s) { delete s; }

LO_EXPORT const char* lo_store_open(StoreApi* s, LO_STR(path), LO_STR(tenantId), double now, LO_STR(options)) {
  return answer(s->open(LO_TEXT(path), LO_TEXT(tenantId), now, LO_TEXT(options)));
}
LO_EXPORT void lo_store_close(StoreApi* s) { s->close(); }
// Every flavor: the lead outbox (a staff tab uploads leads other tabs left pending too).
LO_EXPORT const char* lo_store_counts(StoreApi* s, double now) { return answer(s->counts(now)); }
LO_EXPORT const char* lo_store_listLeads(StoreApi* s) { return answer(s->listLeads()); }
LO_EXPORT const char* lo_store_beginBatch(StoreApi* s, double now, int maxCount, double maxBytes, bool evenIfBackingOff) {
  return answer(s->beginBatch(now, maxCount, maxBytes, evenIfBackingOff));
}
LO_EXPORT const char* lo_store_completeBatch(StoreApi* s, LO_STR(ids), LO_STR(results), double now, double random01) {
  return answer(s->completeBatch(LO_TEXT(ids), LO_TEXT(results), now, random01));
}
LO_EXPORT const char* lo_store_failBatch(StoreApi* s, LO_STR(ids), double now, double random01, double retryAfterMs) {
  return answer(s->failBatch(LO_TEXT(ids), now, random01, retryAfterMs));
}
LO_EXPORT const char* lo_store_batchTooLarge(StoreApi* s, LO_STR(ids), double now) {
  return answer(s->batchTooLarge(LO_TEXT(ids), now));
}
LO_EXPORT const char* lo_store_retryRejected(StoreApi* s, LO_STR(id), double now) {
  return answer(s->retryRejected(LO_TEXT(id), now));
}
LO_EXPORT const char* lo_store_discardRejected(StoreApi* s, LO_STR(id)) { return answer(s->discardRejected(LO_TEXT(id))); }
LO_EXPORT const char* lo_changedFiles(LO_STR(dir)) { return answer(leadoutbox::changedFilesJson(LO_TEXT(dir))); }

#if LO_TAKES_LEADS
// A page's store inserts leads through submitLeadWith only (a write-ahead record names its form).
LO_EXPORT const char* lo_store_submitLeadWith(StoreApi* s, LO_STR(definition), LO_STR(lead), LO_STR(id), double now) {
  return answer(s->submitLeadWith(LO_TEXT(definition), LO_TEXT(lead), LO_TEXT(id), now));
}
LO_EXPORT const char* lo_store_setForm(StoreApi* s, LO_STR(definition)) { return answer(s->setForm(LO_TEXT(definition))); }
LO_EXPORT const char* lo_store_validateLead(StoreApi* s, LO_STR(lead), LO_STR(id), double createdAt) {
  return answer(s->validateLead(LO_TEXT(lead), LO_TEXT(id), createdAt));
}
#endif

#if LO_HAS_REPLICA
LO_EXPORT const char* lo_store_applyPage(StoreApi* s, LO_STR(page), double from, double now) {
  // A view, not LO_TEXT's copy: a feed page is megabytes, and wasm memory never shrinks.
  return answer(s->applyPage(std::string_view(pageData, pageLength), from, now));
}
LO_EXPORT const char* lo_store_resetReplica(StoreApi* s) { return answer(s->resetReplica()); }
LO_EXPORT const char* lo_store_feedState(StoreApi* s) { return answer(s->feedState()); }
LO_EXPORT const char* lo_store_query(StoreApi* s, LO_STR(sql), LO_STR(params)) {
  return answer(s->query(LO_TEXT(sql), LO_TEXT(params)));
}
LO_EXPORT const char* lo_store_submitEdit(StoreApi* s, LO_STR(edit), double now) {
  return answer(s->submitEdit(LO_TEXT(edit), now));
}
LO_EXPORT const char* lo_store_editCounts(StoreApi* s) { return answer(s->editCounts()); }
LO_EXPORT const char* lo_store_beginEditBatch(StoreApi* s, int maxCount, LO_STR(author)) {
  return answer(s->beginEditBatch(maxCount, LO_TEXT(author)));
}
LO_EXPORT const char* lo_store_completeEditBatch(StoreApi* s, LO_STR(results), double now) {
  return answer(s->completeEditBatch(LO_TEXT(results), now));
}
LO_EXPORT const char* lo_store_listEdits(StoreApi* s) { return answer(s->listEdits()); }
LO_EXPORT const char* lo_store_dismissEdit(StoreApi* s, double mutationId) { return answer(s->dismissEdit(mutationId)); }
#endif

#if LO_SERVER
// Node's only (tests, the server): no page calls them, so the page flavors leave them out.
LO_EXPORT const char* lo_store_integrityCheck(StoreApi* s) { return answer(s->integrityCheck()); }
LO_EXPORT const char* lo_store_submitLead(StoreApi* s, LO_STR(lead), LO_STR(id), double now) {
  return answer(s->submitLead(LO_TEXT(lead), LO_TEXT(id), now));
}
LO_EXPORT const char* lo_defaults() { return answer(leadoutbox::coreDefaultsJson()); }
LO_EXPORT const char* lo_versions() {
  std::string v = leadoutbox::coreVersionsJson();
  v.pop_back();  // append the toolchain to the core's object
  return answer(v + ",\"emscripten\":\"" LEAD_OUTBOX_EMSCRIPTEN_VERSION "\"}");
}
// The merge rule for the server (docs/edits.md): the same compiled code the devices run.
LO_EXPORT const char* lo_mergeEdits(LO_STR(state), LO_STR(edits), LO_STR(context)) {
  return answer(leadoutbox::mergeEditsJson(LO_TEXT(state), LO_TEXT(edits), LO_TEXT(context)));
}
LO_EXPORT const char* lo_validateLead(LO_STR(lead), LO_STR(id), double createdAt) {
  return answer(leadoutbox::validateLeadJson(LO_TEXT(lead), LO_TEXT(id), createdAt));
}
// Form definitions (src/form/): the server validates each lead against the version it names.
LO_EXPORT const char* lo_validateLeadForm(LO_STR(definition), LO_STR(lead), LO_STR(id), double createdAt) {
  return answer(leadoutbox::validateLeadFormJson(LO_TEXT(definition), LO_TEXT(lead), LO_TEXT(id), createdAt));
}
LO_EXPORT const char* lo_parseForm(LO_STR(definition)) { return answer(leadoutbox::parseFormJson(LO_TEXT(definition))); }
#endif

// The core's files, for the JS persistence layer (web/src/volume.js).

// Bytes [offset, offset + length) of `path`, clamped to the file, as a pointer into wasm
// memory (lo_result_length() bytes, valid until the next call); with `grow`, the file is
// created or zero-extended to cover the range first. 0 when there is no such file and
// `grow` is false, or the range is not whole non-negative numbers. (A file's bytes never
// sit at address 0, so 0 is never a view.)
LO_EXPORT const char* lo_file_view(LO_STR(path), double offset, double length, bool grow) {
  // Whole, non-negative numbers within 32-bit memory only (NaN fails every comparison).
  if (!(offset >= 0 && length >= 0 && offset + length <= 4294967295.0) || offset != static_cast<std::uint32_t>(offset) ||
      length != static_cast<std::uint32_t>(length)) {
    return nullptr;
  }
  const std::string name = LO_TEXT(path);
  std::string* file = grow ? &MemoryFiles::create(name) : MemoryFiles::find(name);
  if (!file) return nullptr;
  const auto at = static_cast<std::size_t>(offset);
  const auto n = static_cast<std::size_t>(length);
  if (grow && file->size() < at + n) file->resize(at + n);
  const std::size_t end = std::min(file->size(), at + n);
  const std::size_t begin = std::min(at, end);
  resultLength = end - begin;
  return file->data() + begin;
}

// The size of `path` in bytes, or -1 when there is no such file.
LO_EXPORT double lo_file_size(LO_STR(path)) {
  const std::string* file = MemoryFiles::find(LO_TEXT(path));
  return file ? static_cast<double>(file->size()) : -1;
}

LO_EXPORT bool lo_file_remove(LO_STR(path)) { return MemoryFiles::remove(LO_TEXT(path)); }

// The digest of `path` (path and bytes; 52 bits), -1 when there is no such file: the
// persistence layer saves the digest of a commit's files with it (web/src/volume.js).
LO_EXPORT double lo_file_digest(LO_STR(path)) { return leadoutbox::fileDigest52(LO_TEXT(path)); }

// The paths of the files in folder `dir`, one per line (paths never contain one).
LO_EXPORT const char* lo_file_list(LO_STR(dir)) {
  std::string out;
  for (const std::string& path : MemoryFiles::list(LO_TEXT(dir))) {
    if (!out.empty()) out += '\n';
    out += path;
  }
  return answer(std::move(out));
}
