#include "bulwark/image/risk/dockerfile.h"

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "bulwark/core/document.h"
#include "bulwark/core/status_macros.h"
#include "bulwark/core/value.h"
#include "re2/re2.h"

namespace bulwark::image {
namespace {

re2::StringPiece Piece(absl::string_view text) {
  return re2::StringPiece(text.data(), text.size());
}

// Instructions whose arguments may be a JSON array of strings (the exec form).
bool TakesJsonForm(absl::string_view keyword) {
  for (absl::string_view k : {"RUN", "CMD", "ENTRYPOINT", "SHELL", "COPY", "ADD", "VOLUME"}) {
    if (keyword == k) return true;
  }
  return false;
}

// The strings of a JSON array of strings; nullopt when `text` is not one (Docker then reads the
// shell form).
std::optional<std::vector<std::string>> JsonStrings(absl::string_view text) {
  if (!absl::StartsWith(text, "[")) return std::nullopt;
  absl::StatusOr<core::Value> value = core::ParseJson(text);
  if (!value.ok() || !value->is_list()) return std::nullopt;
  std::vector<std::string> out;
  for (const core::Value& element : value->list_value()) {
    if (!element.is_string()) return std::nullopt;
    out.push_back(element.string_value());
  }
  return out;
}

// $NAME and ${NAME} / ${NAME:-default} from `args`, for FROM lines.
std::string Expand(absl::string_view text, const std::map<std::string, std::string>& args) {
  static const LazyRE2 kVariable = {
      R"(\$(?:\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}|([A-Za-z_][A-Za-z0-9_]*)))"};
  std::string out;
  re2::StringPiece input = Piece(text);
  const char* last = input.data();
  re2::StringPiece groups[4];
  size_t position = 0;
  while (kVariable->Match(input, position, input.size(), RE2::UNANCHORED, groups, 4)) {
    out.append(last, static_cast<size_t>(groups[0].data() - last));
    const std::string name(groups[1].empty() ? groups[3] : groups[1]);
    auto it = args.find(name);
    if (it != args.end() && !it->second.empty()) {
      out += it->second;
    } else {
      out.append(groups[2].data(), groups[2].size());
    }
    last = groups[0].data() + groups[0].size();
    position = static_cast<size_t>(last - input.data());
  }
  out.append(last, static_cast<size_t>(input.data() + input.size() - last));
  return out;
}

// Heredoc markers of a line: "<<EOF", "<<-EOF", "<<'EOF'", "<<\"EOF\"" -> (delimiter, strip tabs).
std::vector<std::pair<std::string, bool>> HeredocMarkers(absl::string_view line) {
  static const LazyRE2 kMarker = {R"(<<(-?)["']?([A-Za-z_][A-Za-z0-9_]*)["']?)"};
  std::vector<std::pair<std::string, bool>> out;
  re2::StringPiece input = Piece(line);
  std::string dash, name;
  while (RE2::FindAndConsume(&input, *kMarker, &dash, &name)) out.emplace_back(name, dash == "-");
  return out;
}

class Parser {
 public:
  Parser(absl::string_view text, absl::string_view where) : where_(where) {
    for (absl::string_view line : absl::StrSplit(text, '\n')) {
      absl::ConsumeSuffix(&line, "\r");
      lines_.push_back(line);
    }
  }

  absl::StatusOr<Dockerfile> Parse() && {
    ReadDirectives();
    while (next_ < lines_.size()) {
      const size_t first = next_;
      std::optional<std::string> logical = NextLogicalLine();
      if (!logical.has_value()) continue;
      BULWARK_RETURN_IF_ERROR(AddInstruction(*logical, first + 1));
    }
    if (file_.bases.empty()) return Error(lines_.size(), "no FROM instruction");
    file_.final_config.source = std::string(where_);
    return std::move(file_);
  }

 private:
  absl::Status Error(size_t line, absl::string_view problem) const {
    return absl::InvalidArgumentError(absl::StrCat(where_, ":", line, ": ", problem));
  }

  // "# escape=`" and "# syntax=..." before anything else.
  void ReadDirectives() {
    static const LazyRE2 kDirective = {R"(^#\s*([A-Za-z]+)\s*=\s*(\S+)\s*$)"};
    while (next_ < lines_.size()) {
      std::string name, value;
      if (!RE2::FullMatch(Piece(lines_[next_]), *kDirective, &name, &value)) return;
      if (absl::AsciiStrToLower(name) == "escape" && (value == "`" || value == "\\")) {
        escape_ = value[0];
      }
      ++next_;
    }
  }

  // The next instruction's text with continuations joined (comment lines inside them skipped),
  // or nullopt for a blank or comment line.
  std::optional<std::string> NextLogicalLine() {
    absl::string_view line = absl::StripAsciiWhitespace(lines_[next_++]);
    if (line.empty() || absl::StartsWith(line, "#")) return std::nullopt;
    std::string text;
    while (true) {
      absl::string_view trimmed = absl::StripTrailingAsciiWhitespace(line);
      if (!absl::EndsWith(trimmed, std::string(1, escape_)) || next_ >= lines_.size()) {
        absl::StrAppend(&text, trimmed);
        return text;
      }
      trimmed.remove_suffix(1);
      absl::StrAppend(&text, trimmed, " ");
      do {
        line = absl::StripLeadingAsciiWhitespace(lines_[next_++]);
      } while (absl::StartsWith(line, "#") && next_ < lines_.size());
    }
  }

  absl::Status AddInstruction(absl::string_view text, size_t line) {
    const size_t space = text.find_first_of(" \t");
    Instruction instruction;
    instruction.keyword = absl::AsciiStrToUpper(text.substr(0, space));
    instruction.arguments = std::string(
        space == absl::string_view::npos ? "" : absl::StripAsciiWhitespace(text.substr(space)));
    instruction.source = absl::StrCat(where_, ":", line);
    const std::string& keyword = instruction.keyword;

    if (keyword == "RUN" || keyword == "COPY" || keyword == "ADD") {
      for (const auto& [delimiter, strip_tabs] : HeredocMarkers(instruction.arguments)) {
        std::string body;
        bool closed = false;
        while (next_ < lines_.size()) {
          absl::string_view body_line = lines_[next_++];
          if (strip_tabs) body_line = absl::StripLeadingAsciiWhitespace(body_line);
          if (body_line == delimiter) {
            closed = true;
            break;
          }
          absl::StrAppend(&body, body_line, "\n");
        }
        if (!closed) return Error(line, absl::StrCat("heredoc <<", delimiter, " is not closed"));
        absl::StrAppend(&instruction.arguments, "\n", body);
      }
    }
    if (keyword == "RUN") {
      // Leading flags (--mount=..., --network=...) are not part of the command.
      absl::string_view command = instruction.arguments;
      while (absl::StartsWith(command, "--")) {
        const size_t end = command.find_first_of(" \t");
        command = end == absl::string_view::npos
                      ? ""
                      : absl::StripLeadingAsciiWhitespace(command.substr(end));
      }
      instruction.arguments = std::string(command);
    }
    if (TakesJsonForm(keyword)) {
      if (std::optional<std::vector<std::string>> form = JsonStrings(instruction.arguments)) {
        instruction.arguments = absl::StrJoin(*form, " ");
      }
    }

    if (keyword == "FROM") {
      AddFrom(instruction.arguments);
    } else if (file_.bases.empty()) {
      if (keyword != "ARG") return Error(line, absl::StrCat(keyword, " before the first FROM"));
      for (absl::string_view arg : absl::StrSplit(instruction.arguments, ' ', absl::SkipEmpty())) {
        std::pair<std::string, std::string> kv = absl::StrSplit(arg, absl::MaxSplits('=', 1));
        global_args_[kv.first] = kv.second;
      }
    } else {
      ApplyToStage(instruction);
    }
    if (keyword == "FROM") file_.bases.back().second = file_.instructions.size();
    file_.instructions.push_back(std::move(instruction));
    return absl::OkStatus();
  }

  void AddFrom(absl::string_view arguments) {
    std::vector<std::string> words =
        absl::StrSplit(arguments, absl::ByAnyChar(" \t"), absl::SkipEmpty());
    while (!words.empty() && absl::StartsWith(words.front(), "--")) words.erase(words.begin());
    std::string image = words.empty() ? "" : Expand(words[0], global_args_);
    if (words.size() >= 3 && absl::AsciiStrToUpper(words[1]) == "AS") {
      file_.stage_names.push_back(absl::AsciiStrToLower(words[2]));
    } else {
      file_.stage_names.emplace_back();
    }
    file_.bases.emplace_back(std::move(image), 0);
    file_.final_config = FinalConfig();  // A new stage: only the last one is the image.
  }

  void ApplyToStage(const Instruction& instruction) {
    FinalConfig& config = file_.final_config;
    const std::string& keyword = instruction.keyword;
    if (keyword == "USER") {
      config.user = instruction.arguments;
    } else if (keyword == "HEALTHCHECK") {
      config.has_healthcheck = !absl::EqualsIgnoreCase(instruction.arguments, "NONE");
    } else if (keyword == "EXPOSE") {
      for (absl::string_view port :
           absl::StrSplit(instruction.arguments, absl::ByAnyChar(" \t"), absl::SkipEmpty())) {
        config.exposed_ports.push_back(absl::StrContains(port, '/') ? std::string(port)
                                                                    : absl::StrCat(port, "/tcp"));
      }
    }
  }

  absl::string_view where_;
  std::vector<absl::string_view> lines_;
  size_t next_ = 0;
  char escape_ = '\\';
  std::map<std::string, std::string> global_args_;
  Dockerfile file_;
};

// "debian", "debian:latest", "registry:5000/app" -> true; "debian:12", "x@sha256:..." -> false.
bool UnpinnedImage(absl::string_view image) {
  if (absl::StrContains(image, '@')) return false;
  const size_t slash = image.rfind('/');
  const size_t colon = image.rfind(':');
  if (colon == absl::string_view::npos || (slash != absl::string_view::npos && colon < slash)) {
    return true;
  }
  return image.substr(colon + 1) == "latest";
}

}  // namespace

absl::StatusOr<Dockerfile> ParseDockerfile(absl::string_view text, absl::string_view where,
                                           const core::Limits& limits) {
  if (text.size() > limits.max_file_bytes) {
    return core::LimitExceeded("max_file_bytes", limits.max_file_bytes, where);
  }
  return Parser(text, where).Parse();
}

std::vector<BuildRisk> CheckDockerfile(const Dockerfile& dockerfile) {
  std::vector<BuildRisk> risks = CheckBuildRisks(dockerfile.instructions, dockerfile.final_config);
  for (size_t i = 0; i < dockerfile.bases.size(); ++i) {
    const auto& [image, index] = dockerfile.bases[i];
    const std::string lower = absl::AsciiStrToLower(image);
    bool earlier_stage = false;
    for (size_t j = 0; j < i; ++j)
      earlier_stage = earlier_stage || dockerfile.stage_names[j] == lower;
    if (lower == "scratch" || earlier_stage || !UnpinnedImage(image)) continue;
    for (const BuildRule& rule : BuildRules()) {
      if (rule.id == "BWK-DF-002") {
        risks.push_back({&rule, dockerfile.instructions[index].source, std::nullopt,
                         absl::StrCat("FROM ", image)});
      }
    }
  }
  return risks;
}

}  // namespace bulwark::image
