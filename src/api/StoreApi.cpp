// Converts Store calls and results to and from JSON for the JS boundary.
#include "api/StoreApi.h"

#include <algorithm>
#include <cstdint>

#include "core/JsonParser.h"
#include "core/JsonWriter.h"

#include "lead/LeadValidator.h"
#include "store/Schema.h"
#include "vfs/ChangedFiles.h"

namespace leadoutbox {
namespace {

JsonValue strings(const std::vector<std::string>& list) {
  JsonValue out = JsonValue::array();
  for (const std::string& s : list) out.push(s);
  return out;
}

// A batch's ids as beginBatch gave them: a JSON array of strings.
Result<std::vector<std::string>> parseIds(const std::string& idsJson) {
  const Result<JsonValue> arr = parseJson(idsJson);
  if (!arr.isOk() || !arr.value().isArray()) return Status(ErrorCode::kInvalidArgument, "batch ids must be a JSON array");
  std::vector<std::string> ids;
  for (const JsonValue& id : arr.value().items()) {
    if (!id.isString()) return Status(ErrorCode::kInvalidArgument, "batch ids must be strings");
    ids.push_back(id.asString());
  }
  return ids;
}

std::string okJson(JsonValue value = nullptr) {
  return writeJson(JsonValue::object({{"ok", true}, {"value", std::move(value)}}));
}

std::string errorJson(const Status& s) {
  JsonValue out =
      JsonValue::object({{"ok", false}, {"code", errorCodeName(s.code())}, {"message", s.message()}});
  if (!s.field().empty()) out.set("field", s.field());
  if (!s.fieldErrors().empty()) {
    JsonValue fields = JsonValue::object();
    for (const auto& [field, message] : s.fieldErrors()) fields.set(field, message);
    out.set("fields", std::move(fields));
  }
  return writeJson(out);
}

const Status kClosed(ErrorCode::kStorage, "the store is closed");

// A lead's form parts, only where they say something (see validateLeadJson).
void addFormParts(JsonValue& j, const Lead& lead) {
  if (!(lead.formId == FormDefinition::kDefaultId && lead.formVersion == 1)) {
    j.set("form", JsonValue::object({{"id", lead.formId}, {"version", lead.formVersion}}));
  }
  if (lead.custom.size() > 0) j.set("custom", lead.custom);
  if (!lead.consent.isNull()) j.set("consent", lead.consent);
  if (!lead.attribution.isNull()) j.set("attribution", lead.attribution);
}

JsonValue normalizedLeadJson(const Lead& l) {
  JsonValue j = JsonValue::object({{"id", l.id}, {"name", l.name}, {"email", l.email}, {"phone", l.phone},
                                   {"message", l.message}, {"createdAt", l.createdAt}});
  addFormParts(j, l);
  return j;
}

// "null" or "": the built-in default definition.
Result<FormDefinition> definitionOf(const std::string& json) {
  if (json.empty() || json == "null") return defaultFormDefinition();
  return parseFormDefinition(json);
}

// JS Date's range: ±8.64e15 ms (100,000,000 days either side of the epoch).
constexpr double kMaxTimeMs = 8.64e15;

}  // namespace

std::int64_t ms(double t) {
  // Casting a double outside int64's range (or NaN) is undefined behaviour, so clamp first.
  // NaN (no comparison holds) is 0; ±inf and anything past JS Date's range is its edge.
  // Within that range the core's sums (now + a wait of at most a day) cannot overflow.
  if (!(t == t)) return 0;
  return static_cast<std::int64_t>(std::clamp(t, -kMaxTimeMs, kMaxTimeMs));
}

namespace {

JsonValue recordJson(const LeadRecord& r) {
  JsonValue j = JsonValue::object({{"id", r.lead.id},
                                   {"createdAt", r.lead.createdAt},
                                   {"status", leadStateName(r.state)},
                                   {"attempts", r.attempts},
                                   {"updatedAt", r.updatedAt},
                                   {"erased", r.erased}});
  if (!r.erased) {
    j.set("name", r.lead.name);
    j.set("email", r.lead.email);
    j.set("phone", r.lead.phone);
    j.set("message", r.lead.message);
  }
  addFormParts(j, r.lead);
  j.set("syncedAt", r.syncedAt ? JsonValue(r.syncedAt) : JsonValue(nullptr));
  j.set("rejectReason", r.rejectReason.empty() ? JsonValue(nullptr) : JsonValue(r.rejectReason));
  return j;
}

}  // namespace

std::string StoreApi::open(const std::string& path, const std::string& tenantId, double now,
                           const std::string& optionsJson) {
  StoreOptions options;
  const Result<JsonValue> parsed = parseJson(optionsJson);
  if (parsed.isOk() && parsed.value().isObject()) {
    const JsonValue& o = parsed.value();
    // Durations are clamped to [0, kMaxTimeMs], so now ± any of them cannot overflow.
    const auto duration = [&](const char* key, std::int64_t& out) {
      if (o[key].isNumber()) out = std::clamp<std::int64_t>(o[key].asInt64(), 0, static_cast<std::int64_t>(kMaxTimeMs));
    };
    duration("retryBaseMs", options.retry.baseMs);
    duration("retryCapMs", options.retry.capMs);
    duration("inFlightTimeoutMs", options.retry.inFlightTimeoutMs);
    duration("keepSyncedMs", options.retention.keepSyncedMs);
    duration("replicaRetentionMs", options.replicaRetentionMs);
    if (o["checkStoredData"].isBool()) options.checkStoredData = o["checkStoredData"].asBool();
    if (o["importFrom"].isString()) options.importFrom = o["importFrom"].asString();
    if (o["recoverInFlight"].isBool()) options.recoverInFlight = o["recoverInFlight"].asBool();
    if (o["deviceId"].isString()) options.deviceId = o["deviceId"].asString();
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
  auto r = store_->submitLead(leadJson, id, ms(now), form());
  if (!r.isOk()) return errorJson(r.status());
  return okJson(JsonValue::object({{"id", r.value().id}}));
}

std::string StoreApi::submitLeadWith(const std::string& definitionJson, const std::string& leadJson,
                                     const std::string& id, double now) {
  if (!store_) return errorJson(kClosed);
  Result<FormDefinition> form = definitionOf(definitionJson);
  if (!form.isOk()) return errorJson(form.status());
  auto r = store_->submitLead(leadJson, id, ms(now), form.value());
  if (!r.isOk()) return errorJson(r.status());
  return okJson(JsonValue::object({{"id", r.value().id}}));
}

std::string StoreApi::setForm(const std::string& definitionJson) {
  // The built-in default is form_'s null, not a copy: a page that never sets a form links
  // no copy of a definition (wasm size).
  if (definitionJson.empty() || definitionJson == "null") {
    form_.reset();
    return okJson(formDefinitionJson(defaultFormDefinition()));
  }
  Result<FormDefinition> form = parseFormDefinition(definitionJson);
  if (!form.isOk()) return errorJson(form.status());
  form_ = std::make_unique<FormDefinition>(std::move(form).value());
  return okJson(formDefinitionJson(*form_));
}

std::string StoreApi::validateLead(const std::string& leadJson, const std::string& id, double createdAt) {
  auto r = leadoutbox::validateLead(leadJson, id, ms(createdAt), form());
  return r.isOk() ? okJson() : errorJson(r.status());
}

std::string StoreApi::counts(double now) {
  if (!store_) return errorJson(kClosed);
  auto c = store_->outbox().counts();
  if (!c.isOk()) return errorJson(c.status());
  auto next = store_->outbox().nextAttemptAt(ms(now));
  if (!next.isOk()) return errorJson(next.status());
  const OutboxCounts& v = c.value();
  return okJson(JsonValue::object({{"pending", v.pending},
                              {"inFlight", v.inFlight},
                              {"synced", v.synced},
                              {"rejected", v.rejected},
                              {"nextAttemptAt", next.value()}}));
}

std::string StoreApi::listLeads() {
  if (!store_) return errorJson(kClosed);
  auto r = store_->listLeads();
  if (!r.isOk()) return errorJson(r.status());
  JsonValue out = JsonValue::array();
  for (const LeadRecord& rec : r.value()) out.push(recordJson(rec));
  return okJson(std::move(out));
}

std::string StoreApi::beginBatch(double now, int maxCount, double maxBytes, bool evenIfBackingOff) {
  if (!store_) return errorJson(kClosed);
  BatchLimits limits;
  if (maxCount > 0) limits.maxCount = maxCount;
  if (maxBytes > 0) limits.maxBytes = ms(maxBytes);  // the same clamp: a count, not a time
  auto r = store_->outbox().beginBatch(ms(now), limits,
                                       evenIfBackingOff ? BatchTiming::kNow : BatchTiming::kWhenDue);
  if (!r.isOk()) return errorJson(r.status());
  // leadsJson is the outbox's own output, so it parses; re-parsing keeps one writer.
  Result<JsonValue> leads = parseJson(r.value().leadsJson);
  if (!leads.isOk()) return errorJson(leads.status());
  return okJson(JsonValue::object({{"ids", strings(r.value().ids)},
                              {"leads", std::move(leads).value()},
                              {"retryAt", r.value().retryAt}}));
}

std::string StoreApi::completeBatch(const std::string& idsJson, const std::string& resultsJson, double now,
                                    double random01) {
  if (!store_) return errorJson(kClosed);
  const Result<std::vector<std::string>> ids = parseIds(idsJson);
  if (!ids.isOk()) return errorJson(ids.status());
  const Result<JsonValue> arr = parseJson(resultsJson);
  if (!arr.isOk() || !arr.value().isArray()) {
    return errorJson(Status(ErrorCode::kInvalidArgument, "results must be a JSON array"));
  }
  std::vector<ItemResult> results;
  for (const JsonValue& item : arr.value().items()) {
    if (!item["id"].isString() || !item["status"].isString()) {
      return errorJson(Status(ErrorCode::kInvalidArgument, "each result needs a string id and status"));
    }
    ItemResult r;
    r.id = item["id"].asString();
    const std::string& status = item["status"].asString();
    if (status == "accepted") r.outcome = ItemResult::Outcome::kAccepted;
    else if (status == "duplicate") r.outcome = ItemResult::Outcome::kDuplicate;
    else if (status == "conflict") r.outcome = ItemResult::Outcome::kConflict;
    else if (status == "rejected") r.outcome = ItemResult::Outcome::kRejected;
    else return errorJson(Status(ErrorCode::kInvalidArgument, "unknown result status \"" + status + "\""));
    if (item["reason"].isString()) r.reason = item["reason"].asString();
    results.push_back(std::move(r));
  }
  auto r = store_->outbox().completeBatch(ids.value(), results, ms(now), random01);
  if (!r.isOk()) return errorJson(r.status());
  const BatchOutcome& done = r.value();
  return okJson(JsonValue::object(
      {{"synced", done.synced}, {"rejected", done.rejected}, {"unanswered", done.unanswered}}));
}

std::string StoreApi::batchTooLarge(const std::string& idsJson, double now) {
  if (!store_) return errorJson(kClosed);
  const Result<std::vector<std::string>> ids = parseIds(idsJson);
  if (!ids.isOk()) return errorJson(ids.status());
  auto r = store_->outbox().batchTooLarge(ids.value(), ms(now));
  if (!r.isOk()) return errorJson(r.status());
  return okJson(JsonValue::object({{"rejected", r.value()}}));
}

std::string StoreApi::failBatch(const std::string& idsJson, double now, double random01, double retryAfterMs) {
  if (!store_) return errorJson(kClosed);
  const Result<std::vector<std::string>> ids = parseIds(idsJson);
  if (!ids.isOk()) return errorJson(ids.status());
  auto r = store_->outbox().failBatch(ids.value(), ms(now), random01, ms(retryAfterMs));
  if (!r.isOk()) return errorJson(r.status());
  return okJson(JsonValue::object({{"retryAt", r.value()}}));
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

std::string StoreApi::applyPage(std::string_view pageJson, double from, double now) {
  if (!store_) return errorJson(kClosed);
  auto r = store_->replica().applyPage(pageJson, ms(from), ms(now));
  if (!r.isOk()) return errorJson(r.status());
  const PageOutcome& o = r.value();
  return okJson(JsonValue::object(
      {{"applied", o.applied}, {"changes", o.changes}, {"pruned", o.pruned}, {"cursor", o.cursor}}));
}

std::string StoreApi::resetReplica() {
  if (!store_) return errorJson(kClosed);
  Status s = store_->replica().reset();
  return s.isOk() ? okJson() : errorJson(s);
}

std::string StoreApi::feedState() {
  if (!store_) return errorJson(kClosed);
  auto cursor = store_->replica().cursor();
  if (!cursor.isOk()) return errorJson(cursor.status());
  auto at = store_->replica().changedAt();
  if (!at.isOk()) return errorJson(at.status());
  return okJson(JsonValue::object({{"cursor", cursor.value()}, {"changedAt", at.value()}}));
}

std::string StoreApi::submitEdit(const std::string& editJson, double now) {
  if (!store_) return errorJson(kClosed);
  auto r = store_->edits().submit(editJson, ms(now));
  return r.isOk() ? okJson(std::move(r).value()) : errorJson(r.status());
}

std::string StoreApi::editCounts() {
  if (!store_) return errorJson(kClosed);
  auto r = store_->edits().counts();
  if (!r.isOk()) return errorJson(r.status());
  return okJson(JsonValue::object({{"pending", r.value().pending}, {"rejected", r.value().rejected}}));
}

std::string StoreApi::beginEditBatch(int maxCount, const std::string& author) {
  if (!store_) return errorJson(kClosed);
  auto r = store_->edits().beginBatch(maxCount, author);
  return r.isOk() ? okJson(JsonValue::object({{"edits", std::move(r).value()}})) : errorJson(r.status());
}

std::string StoreApi::completeEditBatch(const std::string& resultsJson, double now) {
  if (!store_) return errorJson(kClosed);
  auto r = store_->edits().completeBatch(resultsJson, ms(now));
  if (!r.isOk()) return errorJson(r.status());
  return okJson(JsonValue::object({{"applied", r.value().applied}, {"rejected", r.value().rejected}}));
}

std::string StoreApi::listEdits() {
  if (!store_) return errorJson(kClosed);
  auto r = store_->edits().list();
  return r.isOk() ? okJson(std::move(r).value()) : errorJson(r.status());
}

std::string StoreApi::dismissEdit(double mutationId) {
  if (!store_) return errorJson(kClosed);
  Status s = store_->edits().dismissRejected(ms(mutationId));
  return s.isOk() ? okJson() : errorJson(s);
}

std::string StoreApi::query(const std::string& sql, const std::string& paramsJson) {
  if (!store_) return errorJson(kClosed);
  const Result<JsonValue> params = parseJson(paramsJson.empty() ? "[]" : paramsJson);
  if (!params.isOk() || !params.value().isArray()) {
    return errorJson(Status(ErrorCode::kInvalidArgument, "query params must be a JSON array"));
  }
  std::vector<std::string> tables;
  Statement st = store_->database().prepareReadOnly(sql, tables);
  if (!st.status().isOk()) return errorJson(st.status());
  int i = 1;
  for (const JsonValue& p : params.value().items()) {
    switch (p.kind()) {
      case JsonValue::Kind::kNull: st.bindNull(i); break;
      case JsonValue::Kind::kBool: st.bind(i, std::int64_t{p.asBool()}); break;
      case JsonValue::Kind::kInteger: st.bind(i, p.asInt64()); break;
      case JsonValue::Kind::kNumberText:
      case JsonValue::Kind::kString: st.bind(i, p.asString()); break;
      default: return errorJson(Status(ErrorCode::kInvalidArgument, "query params must be strings, numbers, booleans or null"));
    }
    ++i;
  }
  JsonValue rows = JsonValue::array();
  while (st.step()) {
    JsonValue row = JsonValue::object();
    for (int c = 0; c < st.columnCount(); ++c) {
      JsonValue v;
      switch (st.columnType(c)) {
        case Statement::Type::kInteger: v = JsonValue(static_cast<long long>(st.columnInt(c))); break;
        case Statement::Type::kText: v = JsonValue(st.columnText(c)); break;
        case Statement::Type::kReal: {
          // SQLite's own rendering ("%!.15g": "1.5", "1.0e+20") is a JSON number, except ±Inf.
          std::string text = st.columnText(c);
          if (text.find("Inf") == std::string::npos) v = JsonValue::numberText(std::move(text));
          break;
        }
        case Statement::Type::kNull: break;
      }
      row.set(st.columnName(c), std::move(v));
    }
    rows.push(std::move(row));
  }
  if (!st.status().isOk()) return errorJson(st.status());
  return okJson(JsonValue::object({{"rows", std::move(rows)}, {"tables", strings(tables)}}));
}

std::string changedFilesJson(const std::string& dir) { return writeJson(strings(takeChangedFiles(dir))); }

std::string validateLeadJson(const std::string& leadJson, const std::string& id, double createdAt) {
  auto r = validateLead(leadJson, id, ms(createdAt));
  return r.isOk() ? okJson(normalizedLeadJson(r.value())) : errorJson(r.status());
}

std::string validateLeadFormJson(const std::string& definitionJson, const std::string& leadJson, const std::string& id,
                                 double createdAt) {
  Result<FormDefinition> form = definitionOf(definitionJson);
  if (!form.isOk()) return errorJson(form.status());
  auto r = validateLead(leadJson, id, ms(createdAt), form.value());
  return r.isOk() ? okJson(normalizedLeadJson(r.value())) : errorJson(r.status());
}

std::string parseFormJson(const std::string& definitionJson) {
  Result<FormDefinition> form = definitionOf(definitionJson);
  return form.isOk() ? okJson(formDefinitionJson(form.value())) : errorJson(form.status());
}

std::string coreDefaultsJson() {
  return writeJson(JsonValue::object({{"batchMaxCount", std::int64_t{Defaults::kBatchMaxCount}},
                                      {"batchMaxBytes", Defaults::kBatchMaxBytes},
                                      {"requestTimeoutMs", Defaults::kRequestTimeoutMs},
                                      {"inFlightTimeoutMs", Defaults::kInFlightTimeoutMs},
                                      {"retryBaseMs", Defaults::kRetryBaseMs},
                                      {"retryCapMs", Defaults::kRetryCapMs},
                                      {"maxRetryAfterMs", Defaults::kMaxRetryAfterMs},
                                      {"keepSyncedMs", Defaults::kKeepSyncedMs},
                                      {"replicaRetentionMs", Defaults::kReplicaRetentionMs},
                                      {"editMaxSkewMs", Defaults::kEditMaxSkewMs}}));
}

std::string coreVersionsJson() {
  return writeJson(JsonValue::object({{"sqlite", LEAD_OUTBOX_SQLITE_VERSION}, {"schema", kSchemaVersion}}));
}

}  // namespace leadoutbox
