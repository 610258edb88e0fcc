// The embind surface of the wasm module: StoreApi as the JS class CoreStore. The only file that includes Emscripten headers.
#include <emscripten/bind.h>

#include "api/StoreApi.h"

namespace {
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
      .function("retryRejected", &StoreApi::retryRejected)
      .function("discardRejected", &StoreApi::discardRejected)
      .function("integrityCheck", &StoreApi::integrityCheck);
  emscripten::function("changedFiles", &leadoutbox::changedFilesJson);
  emscripten::function("versions", &versions);
  emscripten::function("validateLead", &leadoutbox::validateLeadJson);
}
