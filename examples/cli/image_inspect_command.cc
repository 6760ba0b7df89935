// `bulwark image inspect`: what an image's index, manifest and config say (format, digests,
// platforms, runtime config, layers, and the build history rebuilt into Dockerfile-like steps),
// without reading layer blobs. The JSON shape is documented in the command's usage (commands.cc).
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "bulwark/core/report_writer.h"
#include "bulwark/core/status_macros.h"
#include "bulwark/core/value.h"
#include "bulwark/examples/cli/command.h"
#include "bulwark/examples/cli/image_args.h"
#include "bulwark/examples/cli/report_output.h"
#include "bulwark/examples/cli/stdout_writer.h"
#include "bulwark/examples/cli/text_table.h"
#include "bulwark/image/history.h"
#include "bulwark/image/image.h"

namespace bulwark::cli {
namespace {

using image::Image;
using image::ImageConfig;

// Everything `inspect` shows, gathered once for both output formats.
struct Inspection {
  const Image& image;
  std::string path;
  image::BuildHistory history;
};

core::Value OptionalDigest(const std::optional<core::Digest>& digest) {
  return digest.has_value() ? core::Value(digest->ToString()) : core::Value();
}

std::vector<std::string> PlatformNames(const Image& image) {
  std::vector<std::string> names;
  for (const image::Platform& platform : image.Platforms()) names.push_back(platform.ToString());
  return names;
}

// "os/arch[/variant]" of the config, "" when it names no os.
std::string ConfigPlatform(const ImageConfig& config) {
  return config.platform.os.empty() ? "" : config.platform.ToString();
}

core::Value HealthcheckJson(const std::optional<image::HealthCheck>& check) {
  if (!check.has_value()) return core::Value();
  core::ValueMap object;
  object.push_back({"test", JsonStrings(check->test)});
  object.push_back({"interval_ns", core::Value(check->interval_ns)});
  object.push_back({"timeout_ns", core::Value(check->timeout_ns)});
  object.push_back({"start_period_ns", core::Value(check->start_period_ns)});
  object.push_back({"retries", core::Value(check->retries)});
  return core::Value(std::move(object));
}

core::Value ConfigJson(const ImageConfig& config) {
  core::ValueMap labels;
  for (const auto& [key, value] : config.labels)
    labels.push_back({ValidUtf8(key), JsonString(value)});
  core::ValueMap object;
  object.push_back({"created", JsonString(config.created)});
  object.push_back({"author", JsonString(config.author)});
  object.push_back({"user", JsonString(config.user)});
  object.push_back({"env", JsonStrings(config.env)});
  object.push_back({"entrypoint", JsonStrings(config.entrypoint)});
  object.push_back({"cmd", JsonStrings(config.cmd)});
  object.push_back({"working_dir", JsonString(config.working_dir)});
  object.push_back({"exposed_ports", JsonStrings(config.exposed_ports)});
  object.push_back({"volumes", JsonStrings(config.volumes)});
  object.push_back({"labels", core::Value(std::move(labels))});
  object.push_back({"stop_signal", JsonString(config.stop_signal)});
  object.push_back({"healthcheck", HealthcheckJson(config.healthcheck)});
  return core::Value(std::move(object));
}

core::Value LayersJson(const Image& image) {
  core::ValueList layers;
  for (const image::LayerInfo& layer : image.layers()) {
    core::ValueMap object;
    object.push_back({"index", core::Value(static_cast<uint64_t>(layer.index))});
    object.push_back({"media_type", JsonString(layer.descriptor.media_type)});
    object.push_back({"size", core::Value(layer.descriptor.size)});
    object.push_back({"digest", core::Value(layer.descriptor.digest.ToString())});
    object.push_back({"diff_id", JsonString(layer.diff_id)});
    layers.push_back(core::Value(std::move(object)));
  }
  return core::Value(std::move(layers));
}

core::Value HistoryJson(const image::BuildHistory& history) {
  core::ValueList steps;
  for (const image::BuildStep& step : history.steps) {
    core::ValueMap object;
    object.push_back({"instruction", JsonString(step.instruction)});
    object.push_back({"arguments", JsonString(step.arguments)});
    object.push_back({"original", JsonString(step.original)});
    object.push_back({"layer", step.layer_index.has_value()
                                   ? core::Value(static_cast<uint64_t>(*step.layer_index))
                                   : core::Value()});
    object.push_back({"empty_layer", core::Value(step.empty_layer)});
    object.push_back({"created", JsonString(step.created)});
    object.push_back({"author", JsonString(step.author)});
    object.push_back({"comment", JsonString(step.comment)});
    steps.push_back(core::Value(std::move(object)));
  }
  return core::Value(std::move(steps));
}

std::string InspectJson(const Inspection& inspection) {
  const Image& image = inspection.image;
  core::ValueMap object;
  object.push_back({"image", JsonString(inspection.path)});
  object.push_back({"format", core::Value(std::string(ImageFormatName(image.format())))});
  object.push_back({"references", JsonStrings(image.references())});
  object.push_back({"manifest_media_type", JsonString(image.manifest().media_type)});
  object.push_back({"manifest_digest", OptionalDigest(image.manifest_digest())});
  object.push_back({"config_digest", OptionalDigest(image.config_digest())});
  object.push_back({"platform", JsonString(ConfigPlatform(image.config()))});
  object.push_back({"platforms", JsonStrings(PlatformNames(image))});
  object.push_back({"config", ConfigJson(image.config())});
  object.push_back({"layers", LayersJson(image)});
  object.push_back({"history", HistoryJson(inspection.history)});
  object.push_back({"history_warnings", JsonStrings(inspection.history.warnings)});
  return core::Value(std::move(object)).ToJson() + "\n";
}

// A list as the Dockerfile exec form prints it: ["a", "b"].
std::string ExecForm(const std::vector<std::string>& words) {
  return words.empty() ? "" : JsonStrings(words).ToJson();
}

std::string HealthcheckText(const std::optional<image::HealthCheck>& check) {
  if (!check.has_value()) return "";
  return absl::StrCat(ExecForm(check->test), " interval=", check->interval_ns / 1000000000,
                      "s timeout=", check->timeout_ns / 1000000000,
                      "s start-period=", check->start_period_ns / 1000000000,
                      "s retries=", check->retries);
}

// Label/value rows; a list value gives one row per element, the label on the first. Empty
// values give no row.
void AddRows(absl::string_view label, const std::vector<std::string>& values,
             std::vector<std::vector<std::string>>* rows) {
  bool first = true;
  for (const std::string& value : values) {
    if (value.empty()) continue;
    rows->push_back({first ? std::string(label) : "", value});
    first = false;
  }
}

std::string SummaryTable(const Inspection& inspection) {
  const Image& image = inspection.image;
  const ImageConfig& config = image.config();
  auto digest = [](const std::optional<core::Digest>& d) { return d ? d->ToString() : "-"; };
  std::vector<std::vector<std::string>> rows = {
      {"Image", inspection.path},
      {"Format", std::string(ImageFormatName(image.format()))},
      {"Manifest", digest(image.manifest_digest())},
      {"MediaType", image.manifest().media_type},
      {"Config", digest(image.config_digest())},
      {"Platform", ConfigPlatform(config)},
      {"Platforms", absl::StrJoin(PlatformNames(image), ", ")},
  };
  AddRows("References", image.references(), &rows);
  AddRows("Created", {config.created}, &rows);
  AddRows("Author", {config.author}, &rows);
  AddRows("User", {config.user}, &rows);
  AddRows("Env", config.env, &rows);
  AddRows("Entrypoint", {ExecForm(config.entrypoint)}, &rows);
  AddRows("Cmd", {ExecForm(config.cmd)}, &rows);
  AddRows("WorkingDir", {config.working_dir}, &rows);
  AddRows("ExposedPorts", config.exposed_ports, &rows);
  AddRows("Volumes", config.volumes, &rows);
  std::vector<std::string> labels;
  for (const auto& [key, value] : config.labels) labels.push_back(absl::StrCat(key, "=", value));
  AddRows("Labels", labels, &rows);
  AddRows("StopSignal", {config.stop_signal}, &rows);
  AddRows("Healthcheck", {HealthcheckText(config.healthcheck)}, &rows);
  return FormatTable(rows);
}

std::string LayersTable(const Image& image) {
  std::vector<std::vector<std::string>> rows = {
      {"LAYER", "SIZE", "DIGEST", "DIFF ID", "MEDIA TYPE"}};
  for (const image::LayerInfo& layer : image.layers()) {
    rows.push_back({absl::StrCat(layer.index), absl::StrCat(layer.descriptor.size),
                    layer.descriptor.digest.ToString(), layer.diff_id.empty() ? "-" : layer.diff_id,
                    layer.descriptor.media_type});
  }
  return FormatTable(rows);
}

std::string HistoryTable(const image::BuildHistory& history) {
  std::vector<std::vector<std::string>> rows = {{"LAYER", "CREATED", "STEP"}};
  for (const image::BuildStep& step : history.steps) {
    std::string text = step.instruction.empty()
                           ? step.arguments
                           : absl::StrCat(step.instruction, " ", step.arguments);
    rows.push_back({step.layer_index ? absl::StrCat(*step.layer_index) : "-", step.created, text});
  }
  std::string out = FormatTable(rows);
  for (const std::string& warning : history.warnings) {
    absl::StrAppend(&out, "warning: ", EscapeForTerminal(warning), "\n");
  }
  return out;
}

std::string InspectTable(const Inspection& inspection) {
  return absl::StrCat(SummaryTable(inspection), "\nLayers\n", LayersTable(inspection.image),
                      "\nHistory\n", HistoryTable(inspection.history));
}

}  // namespace

absl::StatusOr<ExitCode> RunImageInspect(const ParsedArgs& args) {
  BULWARK_ASSIGN_OR_RETURN(core::ReportFormat format, ParseFormatFlag(args));
  if (format == core::ReportFormat::kSarif) {
    return absl::InvalidArgumentError("--format: image inspect prints table or json, not sarif");
  }
  BULWARK_ASSIGN_OR_RETURN(std::unique_ptr<const Image> image, OpenImageFromArgs(args));
  Inspection inspection{
      .image = *image,
      .path = args.positional[0],
      .history = image::RebuildHistory(image->config(), image->layers().size()),
  };
  WriteToStdout(format == core::ReportFormat::kJson ? InspectJson(inspection)
                                                    : InspectTable(inspection));
  return ExitCode::kOk;
}

}  // namespace bulwark::cli
