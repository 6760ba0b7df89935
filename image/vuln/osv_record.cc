#include "bulwark/image/vuln/osv_record.h"

#include <string>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "bulwark/core/status_macros.h"

namespace bulwark::vuln {
namespace {

using core::Value;

// Reads fields of one map, with errors that name the source, the position and the field path.
class Reader {
 public:
  Reader(absl::string_view source, std::string path, const Value& value)
      : source_(source), path_(std::move(path)), value_(value) {}

  absl::Status Error(absl::string_view problem, const Value& at) const {
    return absl::InvalidArgumentError(
        absl::StrCat(source_, ":", at.position().ToString(), ": ", path_, ": ", problem));
  }
  absl::Status FieldError(absl::string_view field, absl::string_view problem,
                          const Value& at) const {
    return absl::InvalidArgumentError(
        absl::StrCat(source_, ":", at.position().ToString(), ": ", Join(field), ": ", problem));
  }
  std::string Join(absl::string_view field) const {
    return path_.empty() ? std::string(field) : absl::StrCat(path_, ".", field);
  }

  // A string field; "" when absent or null. Errors when present with another type.
  absl::StatusOr<std::string> String(absl::string_view field, bool required = false) const {
    const Value* v = value_.Find(field);
    if (v == nullptr || v->is_null()) {
      if (required) return FieldError(field, "is missing", value_);
      return std::string();
    }
    if (!v->is_string()) {
      return FieldError(field, absl::StrCat("is a ", core::KindName(v->kind()), ", not a string"),
                        *v);
    }
    if (required && v->string_value().empty()) return FieldError(field, "is empty", *v);
    return v->string_value();
  }

  // A list field (nullptr when absent or null).
  absl::StatusOr<const core::ValueList*> List(absl::string_view field) const {
    const Value* v = value_.Find(field);
    if (v == nullptr || v->is_null()) return nullptr;
    if (!v->is_list()) {
      return FieldError(field, absl::StrCat("is a ", core::KindName(v->kind()), ", not a list"),
                        *v);
    }
    return &v->list_value();
  }

  absl::Status Strings(absl::string_view field,
                       google::protobuf::RepeatedPtrField<std::string>* out) const {
    BULWARK_ASSIGN_OR_RETURN(const core::ValueList* list, List(field));
    if (list == nullptr) return absl::OkStatus();
    for (size_t i = 0; i < list->size(); ++i) {
      const Value& item = (*list)[i];
      if (!item.is_string()) {
        return FieldError(absl::StrCat(field, "[", i, "]"), "is not a string", item);
      }
      out->Add(std::string(item.string_value()));
    }
    return absl::OkStatus();
  }

  // Compact JSON of a map field, "" when absent.
  absl::StatusOr<std::string> Json(absl::string_view field) const {
    const Value* v = value_.Find(field);
    if (v == nullptr || v->is_null()) return std::string();
    if (!v->is_map()) return FieldError(field, "is not a map", *v);
    return v->ToJson();
  }

  Reader Child(absl::string_view field, const Value& value) const {
    return Reader(source_, Join(field), value);
  }

  const Value& value() const { return value_; }

 private:
  absl::string_view source_;
  std::string path_;
  const Value& value_;
};

absl::Status ReadSeverity(const Reader& reader, absl::string_view field,
                          google::protobuf::RepeatedPtrField<v1::Severity>* out) {
  BULWARK_ASSIGN_OR_RETURN(const core::ValueList* list, reader.List(field));
  if (list == nullptr) return absl::OkStatus();
  for (size_t i = 0; i < list->size(); ++i) {
    const Value& item = (*list)[i];
    Reader entry = reader.Child(absl::StrCat(field, "[", i, "]"), item);
    if (!item.is_map()) return entry.Error("is not a map", item);
    v1::Severity* severity = out->Add();
    BULWARK_ASSIGN_OR_RETURN(*severity->mutable_type(), entry.String("type", true));
    BULWARK_ASSIGN_OR_RETURN(*severity->mutable_score(), entry.String("score", true));
  }
  return absl::OkStatus();
}

absl::Status ReadRange(const Reader& range, v1::Range* out) {
  if (!range.value().is_map()) return range.Error("is not a map", range.value());
  BULWARK_ASSIGN_OR_RETURN(std::string type, range.String("type", true));
  if (type == "ECOSYSTEM") {
    out->set_type(v1::Range::ECOSYSTEM);
  } else if (type == "SEMVER") {
    out->set_type(v1::Range::SEMVER);
  } else if (type == "GIT") {
    out->set_type(v1::Range::GIT);
  } else {
    return range.FieldError("type", absl::StrCat("unknown range type \"", type, "\""),
                            range.value());
  }
  BULWARK_ASSIGN_OR_RETURN(*out->mutable_repo(), range.String("repo"));
  BULWARK_ASSIGN_OR_RETURN(const core::ValueList* events, range.List("events"));
  if (events == nullptr || events->empty()) {
    return range.FieldError("events", "is missing or empty", range.value());
  }
  for (size_t i = 0; i < events->size(); ++i) {
    const Value& item = (*events)[i];
    Reader event = range.Child(absl::StrCat("events[", i, "]"), item);
    if (!item.is_map() || item.map_value().size() != 1) {
      return event.Error(
          "must be a map with exactly one of introduced, fixed, last_affected, "
          "limit",
          item);
    }
    const core::MapEntry& entry = item.map_value()[0];
    if (!entry.value.is_string() || entry.value.string_value().empty()) {
      return event.FieldError(entry.key, "is not a non-empty string", entry.value);
    }
    v1::Event* e = out->add_events();
    const std::string& version = entry.value.string_value();
    if (entry.key == "introduced") {
      e->set_introduced(version);
    } else if (entry.key == "fixed") {
      e->set_fixed(version);
    } else if (entry.key == "last_affected") {
      e->set_last_affected(version);
    } else if (entry.key == "limit") {
      e->set_limit(version);
    } else {
      return event.FieldError(entry.key, "is not an event kind", entry.value);
    }
  }
  return absl::OkStatus();
}

absl::Status ReadAffected(const Reader& affected, v1::Affected* out, uint64_t* git_skipped) {
  const Value* package = affected.value().Find("package");
  if (package == nullptr || !package->is_map()) {
    return affected.FieldError("package", "is not a map", affected.value());
  }
  Reader pkg = affected.Child("package", *package);
  BULWARK_ASSIGN_OR_RETURN(*out->mutable_ecosystem(), pkg.String("ecosystem", true));
  BULWARK_ASSIGN_OR_RETURN(*out->mutable_name(), pkg.String("name", true));
  BULWARK_ASSIGN_OR_RETURN(*out->mutable_purl(), pkg.String("purl"));
  BULWARK_ASSIGN_OR_RETURN(const core::ValueList* ranges, affected.List("ranges"));
  if (ranges != nullptr) {
    for (size_t i = 0; i < ranges->size(); ++i) {
      v1::Range range;
      BULWARK_RETURN_IF_ERROR(
          ReadRange(affected.Child(absl::StrCat("ranges[", i, "]"), (*ranges)[i]), &range));
      if (range.type() == v1::Range::GIT) {
        if (git_skipped != nullptr) ++*git_skipped;
        continue;
      }
      *out->add_ranges() = std::move(range);
    }
  }
  BULWARK_RETURN_IF_ERROR(affected.Strings("versions", out->mutable_versions()));
  BULWARK_RETURN_IF_ERROR(ReadSeverity(affected, "severity", out->mutable_severity()));
  BULWARK_ASSIGN_OR_RETURN(*out->mutable_ecosystem_specific_json(),
                           affected.Json("ecosystem_specific"));
  BULWARK_ASSIGN_OR_RETURN(*out->mutable_database_specific_json(),
                           affected.Json("database_specific"));
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<v1::Record> ParseOsvRecord(const core::Value& document, absl::string_view source,
                                          uint64_t* git_ranges_skipped) {
  Reader record(source, "", document);
  if (!document.is_map()) return record.Error("an OSV record must be a map", document);
  v1::Record out;
  out.set_source(std::string(source));
  BULWARK_ASSIGN_OR_RETURN(*out.mutable_id(), record.String("id", true));
  BULWARK_ASSIGN_OR_RETURN(*out.mutable_schema_version(), record.String("schema_version"));
  BULWARK_ASSIGN_OR_RETURN(*out.mutable_modified(), record.String("modified"));
  BULWARK_ASSIGN_OR_RETURN(*out.mutable_published(), record.String("published"));
  BULWARK_ASSIGN_OR_RETURN(*out.mutable_withdrawn(), record.String("withdrawn"));
  BULWARK_ASSIGN_OR_RETURN(*out.mutable_summary(), record.String("summary"));
  BULWARK_ASSIGN_OR_RETURN(*out.mutable_details(), record.String("details"));
  BULWARK_RETURN_IF_ERROR(record.Strings("aliases", out.mutable_aliases()));
  BULWARK_RETURN_IF_ERROR(record.Strings("related", out.mutable_related()));
  BULWARK_RETURN_IF_ERROR(record.Strings("upstream", out.mutable_upstream()));
  BULWARK_RETURN_IF_ERROR(ReadSeverity(record, "severity", out.mutable_severity()));
  BULWARK_ASSIGN_OR_RETURN(*out.mutable_database_specific_json(), record.Json("database_specific"));
  BULWARK_ASSIGN_OR_RETURN(const core::ValueList* affected, record.List("affected"));
  if (affected != nullptr) {
    for (size_t i = 0; i < affected->size(); ++i) {
      const Value& entry = (*affected)[i];
      Reader reader = record.Child(absl::StrCat("affected[", i, "]"), entry);
      if (!entry.is_map()) return reader.Error("is not a map", entry);
      // Without a package (CVE-style records with only GIT ranges) nothing can match by name.
      const Value* package = entry.Find("package");
      if (package == nullptr || package->is_null()) continue;
      BULWARK_RETURN_IF_ERROR(ReadAffected(reader, out.add_affected(), git_ranges_skipped));
    }
  }
  return out;
}

}  // namespace bulwark::vuln
