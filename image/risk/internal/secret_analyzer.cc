#include "bulwark/image/risk/internal/secret_analyzer.h"

#include <cstring>
#include <map>
#include <memory>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "bulwark/core/status_macros.h"
#include "bulwark/image/risk/internal/findings.h"
#include "bulwark/image/risk/nested_archives.h"
#include "bulwark/image/risk/scanner.h"

namespace bulwark::image::internal {
namespace {

using secrets::SecretMatch;
using secrets::SecretScanner;

constexpr absl::string_view kCategory = "secret";
// Like git: a NUL byte in the first 8000 bytes makes a file binary.
constexpr size_t kSniffBytes = 8000;

bool LooksBinary(absl::string_view content) {
  return std::memchr(content.data(), '\0', std::min(content.size(), kSniffBytes)) != nullptr;
}

// The first severity tag of the rule ("critical", "high", "medium", "low"); HIGH by default.
core::v1::Severity RuleSeverity(const SecretMatch& match) {
  static const auto* const kByTag = new std::map<std::string, core::v1::Severity>{
      {"critical", core::v1::SEVERITY_CRITICAL},
      {"high", core::v1::SEVERITY_HIGH},
      {"medium", core::v1::SEVERITY_MEDIUM},
      {"low", core::v1::SEVERITY_LOW},
  };
  for (const std::string& tag : match.tags) {
    if (auto it = kByTag->find(tag); it != kByTag->end()) return it->second;
  }
  return core::v1::SEVERITY_HIGH;
}

std::string RuleTitle(const SecretMatch& match) {
  return match.description.empty() ? match.rule_id : match.description;
}

void FillMatch(const SecretMatch& match, core::v1::Finding& finding) {
  core::v1::Location& location = *finding.mutable_location();
  location.set_start_line(match.line);
  location.set_start_column(match.column);
  location.set_end_line(match.end_line);
  auto& properties = *finding.mutable_properties();
  if (!match.masked_match.empty()) properties["match"] = match.masked_match;
  if (!match.masked_secret.empty()) properties["secret"] = match.masked_secret;
  properties["secret_rule"] = match.rule_id;
  if (!match.tags.empty()) properties["rule_tags"] = absl::StrJoin(match.tags, ",");
  finding.set_remediation(
      "Revoke and rotate the credential, then rebuild the image without it: deleting the file "
      "in a later layer does not remove it from the image (use build secrets or runtime "
      "configuration instead).");
}

struct FileSecret {
  std::string path;    // The file in the layer.
  std::string member;  // "<path>!/<member>" for a secret inside an archive, else "".
  size_t layer;
  SecretMatch match;

  // Where the finding points.
  const std::string& shown() const { return member.empty() ? path : member; }
};

class SecretVisitor : public LayerVisitor {
 public:
  SecretVisitor(std::shared_ptr<const SecretScanner> scanner, const ScanOptions& options)
      : scanner_(std::move(scanner)),
        max_file_bytes_(options.max_secret_file_bytes),
        archive_limits_(options.nested_archives) {}

  bool WantsContent(const LayerEntry& entry) const override {
    if (entry.size <= 0) return false;
    const uint64_t size = static_cast<uint64_t>(entry.size);
    // Archives are opened even where the global allowlist skips their names (*.jar, *.zip).
    return (size <= max_file_bytes_ && !scanner_->PathAllowed(entry.path)) ||
           ShouldOpenArchive(entry.path, size, archive_limits_);
  }

  absl::Status OnEntry(const LayerInfo& layer, const LayerEntry& entry,
                       ContentReader* content) override {
    if (content == nullptr) return absl::OkStatus();
    BULWARK_ASSIGN_OR_RETURN(absl::string_view text, content->ReadAllView());
    if (ShouldOpenArchive(entry.path, text.size(), archive_limits_) && LooksLikeArchive(text)) {
      absl::Status walked = ForEachArchiveMember(
          text, entry.path, archive_limits_,
          [&](const std::string& member_path, absl::string_view member) {
            ++archive_members_;
            if (!scanner_->PathAllowed(member_path) && !LooksBinary(member)) {
              for (SecretMatch& match : scanner_->Scan(member, member_path, &stats_)) {
                found_.push_back({entry.path, member_path, layer.index, std::move(match)});
              }
            }
            return absl::OkStatus();
          });
      if (!walked.ok()) ++archive_errors_;
      return absl::OkStatus();
    }
    if (text.size() > max_file_bytes_ || scanner_->PathAllowed(entry.path) || LooksBinary(text)) {
      return absl::OkStatus();
    }
    for (SecretMatch& match : scanner_->Scan(text, entry.path, &stats_)) {
      found_.push_back({entry.path, "", layer.index, std::move(match)});
    }
    return absl::OkStatus();
  }

  const SecretScanner& scanner() const { return *scanner_; }
  std::vector<FileSecret>& found() { return found_; }
  const secrets::ScanStats& stats() const { return stats_; }
  uint64_t archive_members() const { return archive_members_; }
  uint64_t archive_errors() const { return archive_errors_; }

 private:
  std::shared_ptr<const SecretScanner> scanner_;
  uint64_t max_file_bytes_;
  NestedArchiveLimits archive_limits_;
  uint64_t archive_members_ = 0;
  uint64_t archive_errors_ = 0;
  std::vector<FileSecret> found_;
  secrets::ScanStats stats_;
};

class SecretAnalyzer : public Analyzer {
 public:
  SecretAnalyzer(std::shared_ptr<const SecretScanner> scanner, const ScanOptions& options)
      : visitor_(std::move(scanner), options) {}

  LayerVisitor* visitor() override { return &visitor_; }

  absl::Status Finish(const ScanContext& context, core::v1::Report& report) override {
    AddFileFindings(context, report);
    AddConfigFindings(context, report);
    const secrets::ScanStats& stats = visitor_.stats();
    auto& metadata = *report.mutable_metadata();
    metadata["secret.rules"] = absl::StrCat(visitor_.scanner().rule_count());
    metadata["secret.bytes_scanned"] = absl::StrCat(stats.bytes);
    metadata["secret.regex_runs"] = absl::StrCat(stats.regex_runs);
    metadata["secret.regex_skipped_by_keywords"] = absl::StrCat(stats.regex_skipped);
    metadata["secret.archive_members_scanned"] = absl::StrCat(visitor_.archive_members());
    if (visitor_.archive_errors() > 0) {
      metadata["secret.unreadable_archives"] = absl::StrCat(visitor_.archive_errors());
    }
    return absl::OkStatus();
  }

 private:
  void AddFileFindings(const ScanContext& context, core::v1::Report& report) {
    if (visitor_.found().empty()) return;
    const ShippedFiles shipped(context.filesystem);
    absl::flat_hash_map<std::string, std::vector<std::string>> linked_from;
    context.filesystem.ForEach([&](const FileInfo& info) {
      if (info.entry.type != EntryType::kSymlink) return;
      absl::StatusOr<std::string> target = context.filesystem.ResolvePath(info.entry.path, true);
      if (target.ok()) linked_from[*target].push_back(ImagePath(info.entry.path));
    });

    // A hidden copy whose secret the visible file still holds is the same problem: it is
    // reported once, on the visible file, with the older layers listed.
    auto visible_in = [&](const FileSecret& secret) {
      return shipped.Visible(secret.path, secret.layer);
    };
    absl::flat_hash_map<std::tuple<std::string, std::string, std::string>, std::string>
        older_copies;
    for (const FileSecret& secret : visitor_.found()) {
      if (visible_in(secret)) {
        older_copies[{secret.shown(), secret.match.rule_id, secret.match.masked_match}];
      }
    }
    std::vector<const FileSecret*> reported;
    for (const FileSecret& secret : visitor_.found()) {
      auto it =
          older_copies.find({secret.shown(), secret.match.rule_id, secret.match.masked_match});
      if (!visible_in(secret) && it != older_copies.end()) {
        absl::StrAppend(&it->second, it->second.empty() ? "" : ",", secret.layer);
        continue;
      }
      reported.push_back(&secret);
    }

    for (const FileSecret* reported_secret : reported) {
      const FileSecret& secret = *reported_secret;
      const bool visible = visible_in(secret);
      core::v1::Severity severity = RuleSeverity(secret.match);
      std::string title = absl::StrCat(RuleTitle(secret.match), " in ", ImagePath(secret.shown()));
      if (!visible) {
        severity = Raise(severity);
        absl::StrAppend(&title, " (deleted in a later layer but still shipped)");
      }
      core::v1::Finding& finding =
          AddFinding(report, secret.match.rule_id, severity, kCategory, title);
      SetFileLocation(context.image, secret.path, secret.layer, finding);
      FillMatch(secret.match, finding);
      auto& properties = *finding.mutable_properties();
      if (!secret.member.empty()) {
        finding.mutable_location()->set_path(ImagePath(secret.member));
        properties["archive"] = ImagePath(secret.path);
      }
      shipped.SetDeletedProperties(secret.path, secret.layer, finding);
      if (!visible) {
        finding.set_description(absl::StrCat(
            "Layer ", secret.layer, " ships ", ImagePath(secret.shown()),
            " with this secret; a later layer hides the file, but the layer blob still holds it "
            "and anyone who pulls the image can read it."));
      } else {
        if (auto it = linked_from.find(secret.path); it != linked_from.end()) {
          properties["linked_from"] = absl::StrJoin(it->second, ",");
        }
        auto it =
            older_copies.find({secret.shown(), secret.match.rule_id, secret.match.masked_match});
        if (it != older_copies.end() && !it->second.empty()) {
          properties["also_in_layers"] = it->second;
        }
      }
    }
  }

  // One text of the config (an env entry, a label, a history step) as a finding source.
  void ScanConfigText(const ScanContext& context, absl::string_view text, absl::string_view where,
                      std::optional<size_t> layer, absl::string_view what,
                      core::v1::Report& report) {
    for (const SecretMatch& match : visitor_.scanner().Scan(text, "")) {
      core::v1::Finding& finding = AddFinding(report, match.rule_id, RuleSeverity(match), kCategory,
                                              absl::StrCat(RuleTitle(match), " in ", what));
      FillMatch(match, finding);
      finding.mutable_location()->set_path(std::string(where));
      if (layer.has_value() && *layer < context.image.layers().size()) {
        finding.mutable_location()->set_layer_digest(
            context.image.layers()[*layer].descriptor.digest.ToString());
        (*finding.mutable_properties())["layer"] = absl::StrCat(*layer);
      }
      (*finding.mutable_properties())["deleted"] = "false";
    }
  }

  void AddConfigFindings(const ScanContext& context, core::v1::Report& report) {
    const ImageConfig& config = context.image.config();
    for (size_t i = 0; i < config.env.size(); ++i) {
      ScanConfigText(context, config.env[i], absl::StrCat("config.Env[", i, "]"), std::nullopt,
                     "the image config's environment", report);
    }
    for (const auto& [key, value] : config.labels) {
      ScanConfigText(context, absl::StrCat(key, "=", value),
                     absl::StrCat("config.Labels[", key, "]"), std::nullopt, "an image label",
                     report);
    }
    for (size_t i = 0; i < context.history.steps.size(); ++i) {
      const BuildStep& step = context.history.steps[i];
      ScanConfigText(context, step.original, absl::StrCat("config.history[", i, "].created_by"),
                     step.layer_index, "the build history (ARG/ENV/RUN text)", report);
    }
  }

  SecretVisitor visitor_;
};

}  // namespace

absl::StatusOr<std::unique_ptr<Analyzer>> CreateSecretAnalyzer(const ScanOptions& options) {
  std::shared_ptr<const SecretScanner> scanner = options.secret_rules;
  if (scanner == nullptr) {
    BULWARK_ASSIGN_OR_RETURN(scanner, SecretScanner::Builtin());
  }
  return std::make_unique<SecretAnalyzer>(std::move(scanner), options);
}

}  // namespace bulwark::image::internal
