// Converts Store calls and results to and from JSON for the JS boundary.
#include "api/StoreApi.h"

#include <cstdint>

#include "core/Json.h"

#include "lead/LeadValidator.h"
#include "store/Schema.h"
#include "vfs/ChangedFiles.h"

namespace leadoutbox {
namespace {

using json = nlohmann::json;

std::string dump(const json& j) {
  return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

std::string okJson(json value = nullptr) { return dump({{"ok", true}, {"value", std::move(value)}}); }

std::string errorJson(const Status& s) {
  json out = {{"ok", false}, {"code", errorCodeName(s.code())}, {"message", s.message()}};
  if (!s.field().empty()) out["field"] = s.field();
  if (!s.fieldErrors().empty()) out["fields"] = s.fieldErrors();
  return dump(out);
}

const Status kClosed(ErrorCode::kStorage, "the store is closed");

std::int64_t ms(double t) { return static_cast<std::int64_t>(t); }

json recordJson(const LeadRecord& r) {
  json j = {{"id", r.lead.id},
            {"createdAt", r.lead.createdAt},
            {"status", leadStateName(r.state)},
            {"attempts", r.attempts},
            {"updatedAt", r.updatedAt},
            {"erased", r.erased}};
  if (!r.erased) {
    j["name"] = r.lead.name;
    j["email"] = r.lead.email;
    j["phone"] = r.lead.phone;
    j["message"] = r.lead.message;
  }
  j["syncedAt"] = r.syncedAt ? json(r.syncedAt) : json(nullptr);
  j["rejectReason"] = r.rejectReason.empty() ? json(nullptr) : json(r.rejectReason);
  return j;
}

}  // namespace

std::string StoreApi::open(const std::string& path, const std::string& tenantId, double now,
                           const std::string& optionsJson) {
  StoreOptions options;
  const json o = parseJson(optionsJson);
  if (o.is_object()) {
    if (o.contains("retryBaseMs") && o["retryBaseMs"].is_number()) options.retry.baseMs = o["retryBaseMs"].get<std::int64_t>();
    if (o.contains("retryCapMs") && o["retryCapMs"].is_number()) options.retry.capMs = o["retryCapMs"].get<std::int64_t>();
    if (o.contains("keepSyncedMs") && o["keepSyncedMs"].is_number()) {
      options.retention.keepSyncedMs = o["keepSyncedMs"].get<std::int64_t>();
    }
    if (o.contains("importFrom") && o["importFrom"].is_string()) options.importFrom = o["importFrom"].get<std::string>();
    if (o.contains("recoverInFlight") && o["recoverInFlight"].is_boolean()) {
      options.recoverInFlight = o["recoverInFlight"].get<bool>();
    }
  } else if (!optionsJson.empty()) {
    return errorJson(Status(ErrorCode::kInvalidArgument, "options must be a JSON object"));
  }
  auto opened = Store::open(path, tenantId, ms(now), options);
  if (!opened.isOk()) return errorJson(opened.status());
  store_ = std::move(opened.value());
  return okJson();
}

void StoreApi::close() { store_.reset(); }

std::string StoreApi::submitLead(const std::string& leadJson, const std::string& id, double now) {
  if (!store_) return errorJson(kClosed);
  auto r = store_->submitLead(leadJson, id, ms(now));
  if (!r.isOk()) return errorJson(r.status());
  return okJson({{"id", r.value().id}});
}

std::string StoreApi::counts() {
  if (!store_) return errorJson(kClosed);
  auto c = store_->outbox().counts();
  if (!c.isOk()) return errorJson(c.status());
  auto next = store_->outbox().nextAttemptAt();
  if (!next.isOk()) return errorJson(next.status());
  const OutboxCounts& v = c.value();
  return okJson({{"pending", v.pending},
                 {"inFlight", v.inFlight},
                 {"synced", v.synced},
                 {"rejected", v.rejected},
                 {"nextAttemptAt", next.value()}});
}

std::string StoreApi::listLeads() {
  if (!store_) return errorJson(kClosed);
  auto r = store_->listLeads();
  if (!r.isOk()) return errorJson(r.status());
  json out = json::array();
  for (const LeadRecord& rec : r.value()) out.push_back(recordJson(rec));
  return okJson(std::move(out));
}

std::string StoreApi::beginBatch(double now, int maxCount, double maxBytes) {
  if (!store_) return errorJson(kClosed);
  BatchLimits limits;
  if (maxCount > 0) limits.maxCount = maxCount;
  if (maxBytes > 0) limits.maxBytes = static_cast<std::int64_t>(maxBytes);
  auto r = store_->outbox().beginBatch(ms(now), limits);
  if (!r.isOk()) return errorJson(r.status());
  return okJson({{"ids", r.value().ids},
                 {"leads", parseJson(r.value().leadsJson)},
                 {"retryAt", r.value().retryAt}});
}

std::string StoreApi::completeBatch(const std::string& resultsJson, double now) {
  if (!store_) return errorJson(kClosed);
  const json arr = parseJson(resultsJson);
  if (!arr.is_array()) return errorJson(Status(ErrorCode::kInvalidArgument, "results must be a JSON array"));
  std::vector<ItemResult> results;
  for (const json& item : arr) {
    if (!item.is_object() || !item.contains("id") || !item["id"].is_string() || !item.contains("status") ||
        !item["status"].is_string()) {
      return errorJson(Status(ErrorCode::kInvalidArgument, "each result needs a string id and status"));
    }
    ItemResult r;
    r.id = item["id"].get<std::string>();
    const std::string status = item["status"].get<std::string>();
    if (status == "accepted") r.outcome = ItemResult::Outcome::kAccepted;
    else if (status == "duplicate") r.outcome = ItemResult::Outcome::kDuplicate;
    else if (status == "conflict") r.outcome = ItemResult::Outcome::kConflict;
    else if (status == "rejected") r.outcome = ItemResult::Outcome::kRejected;
    else return errorJson(Status(ErrorCode::kInvalidArgument, "unknown result status \"" + status + "\""));
    if (item.contains("reason") && item["reason"].is_string()) r.reason = item["reason"].get<std::string>();
    results.push_back(std::move(r));
  }
  Status s = store_->outbox().completeBatch(results, ms(now));
  return s.isOk() ? okJson() : errorJson(s);
}

std::string StoreApi::failBatch(double now, double random01, double retryAfterMs) {
  if (!store_) return errorJson(kClosed);
  auto r = store_->outbox().failBatch(ms(now), random01, ms(retryAfterMs));
  if (!r.isOk()) return errorJson(r.status());
  return okJson({{"retryAt", r.value()}});
}

std::string StoreApi::retryRejected(const std::string& id, double now) {
  if (!store_) return errorJson(kClosed);
  Status s = store_->outbox().retryRejected(id, ms(now));
  return s.isOk() ? okJson() : errorJson(s);
}

std::string StoreApi::discardRejected(const std::string& id) {
  if (!store_) return errorJson(kClosed);
  Status s = store_->outbox().discardRejected(id);
  return s.isOk() ? okJson() : errorJson(s);
}

std::string StoreApi::integrityCheck() {
  if (!store_) return errorJson(kClosed);
  auto r = store_->integrityCheck();
  return r.isOk() ? okJson(r.value()) : errorJson(r.status());
}

std::string changedFilesJson(const std::string& dir) { return dump(takeChangedFiles(dir)); }

std::string validateLeadJson(const std::string& leadJson, const std::string& id, double createdAt) {
  auto r = validateLead(leadJson, id, ms(createdAt));
  if (!r.isOk()) return errorJson(r.status());
  const Lead& l = r.value();
  return okJson({{"id", l.id}, {"name", l.name}, {"email", l.email}, {"phone", l.phone},
                 {"message", l.message}, {"createdAt", l.createdAt}});
}

std::string coreVersionsJson() {
  return dump({{"sqlite", LEAD_OUTBOX_SQLITE_VERSION}, {"schema", kSchemaVersion}});
}

}  // namespace leadoutbox
