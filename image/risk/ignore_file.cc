#include "bulwark/image/risk/ignore_file.h"

#include <fnmatch.h>

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "bulwark/core/document.h"
#include "bulwark/core/file.h"
#include "bulwark/core/status_macros.h"
#include "bulwark/core/value.h"

namespace bulwark::image {
namespace {

constexpr absl::string_view kSections[] = {"vulnerabilities", "misconfigurations", "secrets",
                                           "licenses",        "malware",           "files"};

absl::StatusOr<absl::Time> ParseDate(absl::string_view text, absl::string_view where) {
  absl::Time time;
  std::string error;
  if (!absl::ParseTime("%Y-%m-%d", text, absl::UTCTimeZone(), &time, &error)) {
    return absl::InvalidArgumentError(
        absl::StrCat(where, ": expected a date YYYY-MM-DD, got \"", text, "\""));
  }
  return time;
}

std::string At(absl::string_view source_name, const core::Value& value) {
  return absl::StrCat(source_name, ":", value.position().ToString());
}

bool PathMatches(const std::string& pattern, absl::string_view path) {
  const std::string bare(absl::StripPrefix(path, "/"));
  const std::string bare_pattern(absl::StripPrefix(pattern, "/"));
  return fnmatch(bare_pattern.c_str(), bare.c_str(), 0) == 0;
}

bool Matches(const IgnoreEntry& entry, const core::v1::Finding& finding) {
  if (entry.id != finding.rule_id() && entry.id != finding.fingerprint()) return false;
  if (entry.paths.empty()) return true;
  return std::any_of(entry.paths.begin(), entry.paths.end(), [&](const std::string& pattern) {
    return PathMatches(pattern, finding.location().path());
  });
}

absl::StatusOr<IgnoreEntry> ParseYamlEntry(const core::Value& value,
                                           absl::string_view source_name) {
  const std::string where = At(source_name, value);
  if (!value.is_map()) {
    return absl::InvalidArgumentError(absl::StrCat(where, ": an entry must be a map with an id"));
  }
  IgnoreEntry entry;
  entry.where = where;
  for (const core::MapEntry& field : value.map_value()) {
    const std::string field_where = At(source_name, field.value);
    auto expect_string = [&]() -> absl::StatusOr<std::string> {
      if (field.value.is_string()) return field.value.string_value();
      return absl::InvalidArgumentError(absl::StrCat(field_where, ": ", field.key,
                                                     " must be a string, got ",
                                                     core::KindName(field.value.kind())));
    };
    if (field.key == "id") {
      BULWARK_ASSIGN_OR_RETURN(entry.id, expect_string());
    } else if (field.key == "statement") {
      BULWARK_ASSIGN_OR_RETURN(entry.statement, expect_string());
    } else if (field.key == "expired_at") {
      BULWARK_ASSIGN_OR_RETURN(std::string date, expect_string());
      BULWARK_ASSIGN_OR_RETURN(entry.expires, ParseDate(date, field_where));
    } else if (field.key == "paths") {
      if (!field.value.is_list()) {
        return absl::InvalidArgumentError(absl::StrCat(field_where, ": paths must be a list"));
      }
      for (const core::Value& path : field.value.list_value()) {
        if (!path.is_string()) {
          return absl::InvalidArgumentError(
              absl::StrCat(At(source_name, path), ": a path must be a string"));
        }
        entry.paths.push_back(path.string_value());
      }
    } else {
      return absl::InvalidArgumentError(absl::StrCat(field_where, ": unknown key \"", field.key,
                                                     "\" (id, paths, expired_at, statement)"));
    }
  }
  if (entry.id.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(where, ": the entry has no id"));
  }
  return entry;
}

}  // namespace

IgnoreStats IgnoreList::Apply(core::v1::Report& report, absl::Time now) const {
  IgnoreStats stats;
  std::vector<const IgnoreEntry*> active;
  for (const IgnoreEntry& entry : entries_) {
    if (entry.expires.has_value() && now >= *entry.expires) {
      stats.expired.push_back(
          absl::StrCat(entry.where, ": ", entry.id, " expired on ",
                       absl::FormatTime("%Y-%m-%d", *entry.expires, absl::UTCTimeZone())));
    } else {
      active.push_back(&entry);
    }
  }
  auto* findings = report.mutable_findings();
  const auto kept = std::remove_if(findings->begin(), findings->end(), [&](const auto& finding) {
    return std::any_of(active.begin(), active.end(),
                       [&](const IgnoreEntry* entry) { return Matches(*entry, finding); });
  });
  stats.suppressed = static_cast<size_t>(findings->end() - kept);
  findings->erase(kept, findings->end());
  auto& metadata = *report.mutable_metadata();
  metadata["ignore.suppressed"] = absl::StrCat(stats.suppressed);
  if (!stats.expired.empty()) metadata["ignore.expired"] = absl::StrJoin(stats.expired, "; ");
  return stats;
}

absl::StatusOr<IgnoreList> ParseIgnoreText(absl::string_view text, absl::string_view source_name) {
  std::vector<IgnoreEntry> entries;
  size_t line_number = 0;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    ++line_number;
    line = line.substr(0, line.find('#'));
    std::vector<absl::string_view> tokens =
        absl::StrSplit(line, absl::ByAnyChar(" \t\r"), absl::SkipEmpty());
    if (tokens.empty()) continue;
    IgnoreEntry entry;
    entry.where = absl::StrCat(source_name, ":", line_number);
    entry.id = std::string(tokens[0]);
    for (size_t i = 1; i < tokens.size(); ++i) {
      absl::string_view token = tokens[i];
      if (!absl::ConsumePrefix(&token, "exp:")) {
        return absl::InvalidArgumentError(absl::StrCat(entry.where, ": unexpected \"", tokens[i],
                                                       "\" after the id (only exp:YYYY-MM-DD)"));
      }
      BULWARK_ASSIGN_OR_RETURN(entry.expires, ParseDate(token, entry.where));
    }
    entries.push_back(std::move(entry));
  }
  return IgnoreList(std::move(entries));
}

absl::StatusOr<IgnoreList> ParseIgnoreYaml(absl::string_view text, absl::string_view source_name,
                                           const core::Limits& limits) {
  BULWARK_ASSIGN_OR_RETURN(std::vector<core::Value> documents,
                           core::ParseYaml(text, limits, source_name));
  std::vector<IgnoreEntry> entries;
  for (const core::Value& document : documents) {
    if (document.is_null()) continue;
    if (!document.is_map()) {
      return absl::InvalidArgumentError(
          absl::StrCat(At(source_name, document), ": expected a map of sections"));
    }
    for (const core::MapEntry& section : document.map_value()) {
      if (std::find(std::begin(kSections), std::end(kSections), section.key) ==
          std::end(kSections)) {
        return absl::InvalidArgumentError(absl::StrCat(At(source_name, section.value),
                                                       ": unknown section \"", section.key, "\" (",
                                                       absl::StrJoin(kSections, ", "), ")"));
      }
      if (section.value.is_null()) continue;
      if (!section.value.is_list()) {
        return absl::InvalidArgumentError(
            absl::StrCat(At(source_name, section.value), ": ", section.key, " must be a list"));
      }
      for (const core::Value& item : section.value.list_value()) {
        BULWARK_ASSIGN_OR_RETURN(IgnoreEntry entry, ParseYamlEntry(item, source_name));
        entries.push_back(std::move(entry));
      }
    }
  }
  return IgnoreList(std::move(entries));
}

absl::StatusOr<IgnoreList> LoadIgnoreFile(const std::string& path, const core::Limits& limits) {
  BULWARK_ASSIGN_OR_RETURN(std::string text, core::ReadFileToString(path, limits.max_file_bytes));
  if (absl::EndsWithIgnoreCase(path, ".yaml") || absl::EndsWithIgnoreCase(path, ".yml")) {
    return ParseIgnoreYaml(text, path, limits);
  }
  return ParseIgnoreText(text, path);
}

}  // namespace bulwark::image
