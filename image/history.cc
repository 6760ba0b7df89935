#include "bulwark/image/history.h"

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"

namespace bulwark::image {
namespace {

// Dockerfile instructions as builders record them in created_by.
constexpr absl::string_view kInstructions[] = {
    "ADD",     "ARG",        "CMD", "COPY",  "ENTRYPOINT", "ENV",  "EXPOSE", "HEALTHCHECK", "LABEL",
    "ONBUILD", "MAINTAINER", "RUN", "SHELL", "STOPSIGNAL", "USER", "VOLUME", "WORKDIR",
};

// Shells a RUN step is recorded with: Linux images, and Windows images' default SHELL.
constexpr absl::string_view kShellPrefixes[] = {"/bin/sh -c ", "cmd /S /C "};

// The classic builder (and buildah, kaniko) record non-RUN instructions as a shell no-op.
constexpr absl::string_view kNopMarker = "#(nop) ";

constexpr absl::string_view kBuildKitMarker = " # buildkit";

bool IsInstruction(absl::string_view word) {
  return std::find(std::begin(kInstructions), std::end(kInstructions), word) !=
         std::end(kInstructions);
}

// Splits off the first space-separated word.
std::pair<absl::string_view, absl::string_view> FirstWord(absl::string_view text) {
  size_t space = text.find(' ');
  if (space == absl::string_view::npos) return {text, ""};
  return {text.substr(0, space), absl::StripLeadingAsciiWhitespace(text.substr(space + 1))};
}

// Strips a shell prefix ("/bin/sh -c "); false when there is none.
bool ConsumeShell(absl::string_view& text) {
  for (absl::string_view shell : kShellPrefixes) {
    if (absl::ConsumePrefix(&text, shell)) return true;
  }
  return false;
}

bool IsArgName(absl::string_view name) {
  return !name.empty() && !absl::ascii_isdigit(name[0]) &&
         std::all_of(name.begin(), name.end(),
                     [](char c) { return absl::ascii_isalnum(c) || c == '_'; });
}

// Reads the "|N K=V ..." build-argument prefix both builders put before a RUN command that ran
// with build args in scope. Values are written unquoted, so when the shell prefix follows, a word
// that does not start with NAME= belongs to the previous value ("|1 A=b c /bin/sh -c ..." is
// A="b c"); otherwise each argument is one word. Leaves `text` alone when it does not parse.
void ConsumeBuildArgs(absl::string_view& text, BuildStep& step) {
  if (!absl::StartsWith(text, "|")) return;
  auto [count_text, rest] = FirstWord(text.substr(1));
  size_t count;
  if (!absl::SimpleAtoi(count_text, &count)) return;
  absl::string_view region = rest, command;
  for (absl::string_view shell : kShellPrefixes) {
    size_t at = rest.find(absl::StrCat(" ", shell));
    if (at != absl::string_view::npos && (command.empty() || at < region.size())) {
      region = rest.substr(0, at);
      command = rest.substr(at + 1);
    }
  }
  std::vector<std::pair<std::string, std::string>> args;
  while (!region.empty()) {
    auto [word, after] = FirstWord(region);
    size_t equals = word.find('=');
    bool starts_arg = equals != absl::string_view::npos && IsArgName(word.substr(0, equals)) &&
                      (args.size() < count || command.empty());
    if (starts_arg) {
      args.emplace_back(std::string(word.substr(0, equals)), std::string(word.substr(equals + 1)));
    } else if (!command.empty() && !args.empty()) {
      absl::StrAppend(&args.back().second, " ", word);
    } else {
      break;
    }
    region = after;
    if (command.empty() && args.size() == count) break;
  }
  if (args.size() != count) return;
  step.build_args = std::move(args);
  text = command.empty() ? region : command;
}

void SetRun(absl::string_view command, BuildStep& step) {
  step.instruction = "RUN";
  ConsumeBuildArgs(command, step);
  ConsumeShell(command);
  step.arguments = std::string(absl::StripAsciiWhitespace(command));
}

}  // namespace

BuildStep ParseCreatedBy(absl::string_view created_by) {
  BuildStep step;
  step.original = std::string(created_by);
  absl::string_view text = absl::StripAsciiWhitespace(created_by);
  step.buildkit = absl::ConsumeSuffix(&text, kBuildKitMarker);

  absl::string_view shell_text = text;
  if (ConsumeShell(shell_text)) {
    if (absl::ConsumePrefix(&shell_text, kNopMarker)) {
      auto [word, rest] = FirstWord(absl::StripLeadingAsciiWhitespace(shell_text));
      step.instruction = absl::AsciiStrToUpper(word);
      step.arguments = std::string(absl::StripTrailingAsciiWhitespace(rest));
    } else {
      SetRun(shell_text, step);
    }
    return step;
  }
  if (absl::StartsWith(text, "|")) {  // The classic builder's RUN with build args.
    SetRun(text, step);
    return step;
  }
  auto [word, rest] = FirstWord(text);
  if (word == "RUN") {
    SetRun(rest, step);
  } else if (IsInstruction(word)) {
    step.instruction = std::string(word);
    step.arguments = std::string(rest);
  } else {
    step.arguments = std::string(text);
  }
  return step;
}

BuildHistory RebuildHistory(const ImageConfig& config, size_t layer_count) {
  BuildHistory history;
  size_t next_layer = 0;
  size_t layer_steps = 0;
  for (const HistoryEntry& entry : config.history) {
    BuildStep step = ParseCreatedBy(entry.created_by);
    step.empty_layer = entry.empty_layer;
    step.created = entry.created;
    step.author = entry.author;
    step.comment = entry.comment;
    if (!entry.empty_layer) {
      ++layer_steps;
      if (next_layer < layer_count) step.layer_index = next_layer++;
    }
    history.steps.push_back(std::move(step));
  }
  if (layer_steps != layer_count) {
    history.warnings.push_back(absl::StrCat("history has ", layer_steps,
                                            " layer-making steps but the image has ", layer_count,
                                            " layers; layers were matched to steps in order"));
  }
  return history;
}

}  // namespace bulwark::image
