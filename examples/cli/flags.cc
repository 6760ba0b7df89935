#include "bulwark/examples/cli/flags.h"

#include <algorithm>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"

namespace bulwark::cli {

const std::string* ParsedArgs::Find(absl::string_view name) const {
  auto it = flags.find(name);
  return it == flags.end() ? nullptr : &it->second;
}

std::vector<std::string> ParsedArgs::FindAll(absl::string_view name) const {
  auto it = all_values.find(name);
  return it == all_values.end() ? std::vector<std::string>() : it->second;
}

namespace {

bool Contains(absl::Span<const std::string> names, absl::string_view name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

}  // namespace

absl::StatusOr<ParsedArgs> ParseArgs(absl::Span<const std::string> args,
                                     absl::Span<const std::string> known_flags,
                                     absl::Span<const std::string> switches) {
  ParsedArgs parsed;
  for (size_t i = 0; i < args.size(); ++i) {
    absl::string_view arg = args[i];
    if (arg == "--") {
      parsed.positional.insert(parsed.positional.end(), args.begin() + i + 1, args.end());
      break;
    }
    if (arg.size() < 2 || arg[0] != '-') {
      parsed.positional.emplace_back(arg);
      continue;
    }
    if (!absl::ConsumePrefix(&arg, "--")) {
      return absl::InvalidArgumentError(
          absl::StrCat("unknown flag \"", args[i], "\" (flags are spelled --name)"));
    }
    absl::string_view name = arg.substr(0, arg.find('='));
    if (Contains(switches, name)) {
      if (name.size() < arg.size()) {
        return absl::InvalidArgumentError(absl::StrCat("flag --", name, " takes no value"));
      }
      parsed.flags.insert_or_assign(std::string(name), "true");
      continue;
    }
    if (!Contains(known_flags, name)) {
      return absl::InvalidArgumentError(absl::StrCat("unknown flag \"--", name, "\""));
    }
    std::string value;
    if (name.size() < arg.size()) {
      value = std::string(arg.substr(name.size() + 1));
    } else if (i + 1 < args.size()) {
      value = args[++i];
    } else {
      return absl::InvalidArgumentError(absl::StrCat("flag --", name, " needs a value"));
    }
    parsed.all_values[std::string(name)].push_back(value);
    parsed.flags.insert_or_assign(std::string(name), std::move(value));
  }
  return parsed;
}

bool AsksForHelp(absl::Span<const std::string> args) {
  for (const std::string& arg : args) {
    if (arg == "--") return false;
    if (arg == "--help" || arg == "-h") return true;
  }
  return false;
}

}  // namespace bulwark::cli
