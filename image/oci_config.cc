// The image config parser (config.md), which also reads Docker's superset of it (Healthcheck,
// and the many fields both ignore).
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "bulwark/core/status_macros.h"
#include "bulwark/image/internal/document_reader.h"
#include "bulwark/image/internal/oci_values.h"
#include "bulwark/image/oci.h"

namespace bulwark::image {
namespace {

using internal::ChildPath;
using internal::DocumentReader;
using internal::IndexPath;
using internal::kOptional;
using internal::kRequired;

// A `created` time: RFC 3339 section 5.6 date-time (the schema's "format": "date-time").
absl::StatusOr<std::string> ReadTime(const DocumentReader& reader, const core::Value& parent,
                                     absl::string_view parent_path) {
  BULWARK_ASSIGN_OR_RETURN(std::string text,
                           reader.String(parent, parent_path, "created", kOptional));
  absl::Time time;
  std::string error;
  if (!text.empty() && !absl::ParseTime(absl::RFC3339_full, text, &time, &error)) {
    return reader.Invalid(*parent.Find("created"), ChildPath(parent_path, "created"),
                          absl::StrCat("not an RFC 3339 date-time: ", error));
  }
  return text;
}

absl::StatusOr<std::optional<HealthCheck>> ReadHealthCheck(const DocumentReader& reader,
                                                           const core::Value& config) {
  BULWARK_ASSIGN_OR_RETURN(const core::Value* value,
                           reader.Field(config, "config", "Healthcheck", kOptional));
  if (value == nullptr) return std::nullopt;
  const std::string path = "config.Healthcheck";
  BULWARK_RETURN_IF_ERROR(reader.ExpectMap(*value, path));
  HealthCheck check;
  BULWARK_ASSIGN_OR_RETURN(check.test, reader.StringList(*value, path, "Test", kOptional));
  // Docker writes Go time.Duration values: integer nanoseconds.
  BULWARK_ASSIGN_OR_RETURN(check.interval_ns, reader.Int64(*value, path, "Interval", kOptional));
  BULWARK_ASSIGN_OR_RETURN(check.timeout_ns, reader.Int64(*value, path, "Timeout", kOptional));
  BULWARK_ASSIGN_OR_RETURN(check.start_period_ns,
                           reader.Int64(*value, path, "StartPeriod", kOptional));
  BULWARK_ASSIGN_OR_RETURN(check.retries, reader.Int64(*value, path, "Retries", kOptional));
  return check;
}

// The runtime configuration, the "config" object.
absl::Status ReadRuntimeConfig(const DocumentReader& reader, const core::Value& root,
                               ImageConfig& out) {
  BULWARK_ASSIGN_OR_RETURN(const core::Value* config, reader.Field(root, "", "config", kOptional));
  if (config == nullptr) return absl::OkStatus();
  const std::string path = "config";
  BULWARK_RETURN_IF_ERROR(reader.ExpectMap(*config, path));
  BULWARK_ASSIGN_OR_RETURN(out.user, reader.String(*config, path, "User", kOptional));
  BULWARK_ASSIGN_OR_RETURN(out.env, reader.StringList(*config, path, "Env", kOptional));
  // config.md: "Entries are in the format of VARNAME=VARVALUE" (the image-spec validator checks
  // ^[^=]+=.*$).
  for (size_t i = 0; i < out.env.size(); ++i) {
    if (out.env[i].find('=') == std::string::npos || out.env[i][0] == '=') {
      return reader.Invalid(config->Find("Env")->list_value()[i],
                            IndexPath(ChildPath(path, "Env"), i), "expected VARNAME=VARVALUE");
    }
  }
  BULWARK_ASSIGN_OR_RETURN(out.entrypoint,
                           reader.StringList(*config, path, "Entrypoint", kOptional));
  BULWARK_ASSIGN_OR_RETURN(out.cmd, reader.StringList(*config, path, "Cmd", kOptional));
  BULWARK_ASSIGN_OR_RETURN(out.working_dir, reader.String(*config, path, "WorkingDir", kOptional));
  BULWARK_ASSIGN_OR_RETURN(out.exposed_ports, reader.ObjectSet(*config, path, "ExposedPorts"));
  BULWARK_ASSIGN_OR_RETURN(out.volumes, reader.ObjectSet(*config, path, "Volumes"));
  BULWARK_ASSIGN_OR_RETURN(out.labels, reader.StringMap(*config, path, "Labels"));
  BULWARK_ASSIGN_OR_RETURN(out.stop_signal, reader.String(*config, path, "StopSignal", kOptional));
  BULWARK_RETURN_IF_ERROR(reader.Bool(*config, path, "ArgsEscaped").status());
  BULWARK_ASSIGN_OR_RETURN(out.healthcheck, ReadHealthCheck(reader, *config));
  return absl::OkStatus();
}

absl::Status ReadRootFs(DocumentReader& reader, const core::Value& root, ImageConfig& out) {
  BULWARK_ASSIGN_OR_RETURN(const core::Value* rootfs, reader.Field(root, "", "rootfs", kRequired));
  const std::string path = "rootfs";
  BULWARK_RETURN_IF_ERROR(reader.ExpectMap(*rootfs, path));
  BULWARK_ASSIGN_OR_RETURN(out.rootfs_type, reader.String(*rootfs, path, "type", kRequired));
  if (out.rootfs_type != "layers") {
    return reader.Invalid(*rootfs->Find("type"), "rootfs.type", "must be \"layers\"");
  }
  BULWARK_ASSIGN_OR_RETURN(const core::Value* diff_ids,
                           reader.Field(*rootfs, path, "diff_ids", kRequired));
  if (!diff_ids->is_list()) {
    return reader.Invalid(
        *diff_ids, "rootfs.diff_ids",
        absl::StrCat("expected an array, got ", core::KindName(diff_ids->kind())));
  }
  for (size_t i = 0; i < diff_ids->list_value().size(); ++i) {
    BULWARK_ASSIGN_OR_RETURN(core::Digest digest, reader.Digest(diff_ids->list_value()[i],
                                                                IndexPath("rootfs.diff_ids", i)));
    out.diff_ids.push_back(std::move(digest));
  }
  return absl::OkStatus();
}

absl::Status ReadHistory(const DocumentReader& reader, const core::Value& root, ImageConfig& out) {
  BULWARK_ASSIGN_OR_RETURN(const core::Value* history,
                           reader.Field(root, "", "history", kOptional));
  if (history == nullptr) return absl::OkStatus();
  if (!history->is_list()) {
    return reader.Invalid(*history, "history",
                          absl::StrCat("expected an array, got ", core::KindName(history->kind())));
  }
  for (size_t i = 0; i < history->list_value().size(); ++i) {
    const core::Value& item = history->list_value()[i];
    const std::string path = IndexPath("history", i);
    BULWARK_RETURN_IF_ERROR(reader.ExpectMap(item, path));
    HistoryEntry entry;
    BULWARK_ASSIGN_OR_RETURN(entry.created, ReadTime(reader, item, path));
    BULWARK_ASSIGN_OR_RETURN(entry.created_by, reader.String(item, path, "created_by", kOptional));
    BULWARK_ASSIGN_OR_RETURN(entry.author, reader.String(item, path, "author", kOptional));
    BULWARK_ASSIGN_OR_RETURN(entry.comment, reader.String(item, path, "comment", kOptional));
    BULWARK_ASSIGN_OR_RETURN(entry.empty_layer, reader.Bool(item, path, "empty_layer"));
    out.history.push_back(std::move(entry));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<ImageConfig> ParseImageConfig(absl::string_view bytes, const core::Limits& limits,
                                             absl::string_view where) {
  DocumentReader reader(where);
  BULWARK_ASSIGN_OR_RETURN(core::Value root, internal::ParseRoot(bytes, limits, where, reader));
  ImageConfig config;
  BULWARK_ASSIGN_OR_RETURN(config.created, ReadTime(reader, root, ""));
  BULWARK_ASSIGN_OR_RETURN(config.author, reader.String(root, "", "author", kOptional));
  BULWARK_ASSIGN_OR_RETURN(config.platform, internal::ReadPlatform(reader, root, ""));
  BULWARK_RETURN_IF_ERROR(ReadRuntimeConfig(reader, root, config));
  BULWARK_RETURN_IF_ERROR(ReadRootFs(reader, root, config));
  BULWARK_RETURN_IF_ERROR(ReadHistory(reader, root, config));
  BULWARK_RETURN_IF_ERROR(reader.Finish());
  return config;
}

}  // namespace bulwark::image
