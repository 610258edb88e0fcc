// The embind surface of the wasm module: StoreApi as the JS class CoreStore, and the core's files. The only file that includes Emscripten headers.
#include <emscripten/bind.h>
#include <emscripten/val.h>

#include <algorithm>
#include <cstdint>

#include "api/StoreApi.h"
#include "edits/MergeEdits.h"
#include "vfs/MemoryFiles.h"

namespace {
using leadoutbox::MemoryFiles;

// The core's files, for the JS persistence layer (web/src/volume.js). A view looks into
// wasm memory: valid until the next call into the module, so JS copies out of it or into
// it at once.

// Bytes [offset, offset + length) of `path` as a Uint8Array view, clamped to the file;
// with `grow`, the file is created or zero-extended to cover the range first. Null when
// there is no such file and `grow` is false, or the range is not whole non-negative numbers.
emscripten::val fileView(const std::string& path, double offset, double length, bool grow) {
  // Whole, non-negative numbers within 32-bit memory only (NaN fails every comparison).
  if (!(offset >= 0 && length >= 0 && offset + length <= 4294967295.0) || offset != static_cast<std::uint32_t>(offset) ||
      length != static_cast<std::uint32_t>(length)) {
    return emscripten::val::null();
  }
  std::string* file = grow ? &MemoryFiles::create(path) : MemoryFiles::find(path);
  if (!file) return emscripten::val::null();
  const auto at = static_cast<std::size_t>(offset);
  const auto n = static_cast<std::size_t>(length);
  if (grow && file->size() < at + n) file->resize(at + n);
  const std::size_t end = std::min(file->size(), at + n);
  const std::size_t begin = std::min(at, end);
  return emscripten::val(
      emscripten::typed_memory_view(end - begin, reinterpret_cast<unsigned char*>(file->data()) + begin));
}

// The size of `path` in bytes, or -1 when there is no such file.
double fileSize(const std::string& path) {
  const std::string* file = MemoryFiles::find(path);
  return file ? static_cast<double>(file->size()) : -1;
}

bool fileRemove(const std::string& path) { return MemoryFiles::remove(path); }

// The paths of the files in folder `dir`, one per line (paths never contain one).
std::string fileList(const std::string& dir) {
  std::string out;
  for (const std::string& path : MemoryFiles::list(dir)) {
    if (!out.empty()) out += '\n';
    out += path;
  }
  return out;
}

// The merge rule for the server (docs/edits.md); embind passes std::string, the core takes views.
std::string mergeEdits(const std::string& state, const std::string& edits, const std::string& context) {
  return leadoutbox::mergeEditsJson(state, edits, context);
}

std::string versions() {
  std::string v = leadoutbox::coreVersionsJson();
  v.pop_back();  // append the toolchain to the core's object
  return v + ",\"emscripten\":\"" LEAD_OUTBOX_EMSCRIPTEN_VERSION "\"}";
}
}  // namespace

EMSCRIPTEN_BINDINGS(lead_outbox) {
  using leadoutbox::StoreApi;
  emscripten::class_<StoreApi>("CoreStore")
      .constructor<>()
      .function("open", &StoreApi::open)
      .function("close", &StoreApi::close)
      .function("submitLead", &StoreApi::submitLead)
      .function("counts", &StoreApi::counts)
      .function("listLeads", &StoreApi::listLeads)
      .function("beginBatch", &StoreApi::beginBatch)
      .function("completeBatch", &StoreApi::completeBatch)
      .function("failBatch", &StoreApi::failBatch)
      .function("batchTooLarge", &StoreApi::batchTooLarge)
      .function("retryRejected", &StoreApi::retryRejected)
      .function("discardRejected", &StoreApi::discardRejected)
      .function("integrityCheck", &StoreApi::integrityCheck)
      .function("applyPage", &StoreApi::applyPage)
      .function("resetReplica", &StoreApi::resetReplica)
      .function("feedState", &StoreApi::feedState)
      .function("submitEdit", &StoreApi::submitEdit)
      .function("editCounts", &StoreApi::editCounts)
      .function("beginEditBatch", &StoreApi::beginEditBatch)
      .function("completeEditBatch", &StoreApi::completeEditBatch)
      .function("listEdits", &StoreApi::listEdits)
      .function("dismissEdit", &StoreApi::dismissEdit)
      .function("query", &StoreApi::query);
  emscripten::function("changedFiles", &leadoutbox::changedFilesJson);
  emscripten::function("fileView", &fileView);
  emscripten::function("fileSize", &fileSize);
  emscripten::function("fileRemove", &fileRemove);
  emscripten::function("fileList", &fileList);
  emscripten::function("versions", &versions);
  emscripten::function("defaults", &leadoutbox::coreDefaultsJson);
  emscripten::function("validateLead", &leadoutbox::validateLeadJson);
  emscripten::function("mergeEdits", &mergeEdits);
}
