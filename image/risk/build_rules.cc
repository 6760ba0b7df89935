#include "bulwark/image/risk/build_rules.h"

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "re2/re2.h"

namespace bulwark::image {
namespace {

using core::v1::SEVERITY_HIGH;
using core::v1::SEVERITY_LOW;
using core::v1::SEVERITY_MEDIUM;

re2::StringPiece Piece(absl::string_view text) {
  return re2::StringPiece(text.data(), text.size());
}

const BuildRule& Rule(absl::string_view id) {
  for (const BuildRule& rule : BuildRules()) {
    if (rule.id == id) return rule;
  }
  // Every id used below is in the table; a typo is a programming error caught by the tests.
  return BuildRules().front();
}

// The simple commands of a shell command line: split on &&, ||, ;, | and newlines, each as
// whitespace-separated words. Quotes are not interpreted: rules only look at command names,
// flags and package names.
std::vector<std::vector<std::string>> SimpleCommands(absl::string_view command) {
  std::string normalised(command);
  for (absl::string_view separator : {"&&", "||", ";", "|", "\n", "\\"}) {
    normalised = absl::StrReplaceAll(normalised, {{separator, "\x01"}});
  }
  std::vector<std::vector<std::string>> commands;
  for (absl::string_view part : absl::StrSplit(normalised, '\x01')) {
    std::vector<std::string> words =
        absl::StrSplit(part, absl::ByAnyChar(" \t"), absl::SkipEmpty());
    // Leading environment assignments ("DEBIAN_FRONTEND=noninteractive apt-get ...") do not
    // change the command.
    while (!words.empty() && (absl::StrContains(words.front(), '=') || words.front() == "env")) {
      words.erase(words.begin());
    }
    if (!words.empty()) commands.push_back(std::move(words));
  }
  return commands;
}

bool IsAny(absl::string_view word, std::initializer_list<absl::string_view> names) {
  for (absl::string_view name : names) {
    if (word == name) return true;
  }
  return false;
}

bool HasWord(const std::vector<std::string>& words, absl::string_view word) {
  return std::find(words.begin(), words.end(), word) != words.end();
}

// A package manager invocation that installs packages.
struct Install {
  std::string manager;  // "apt-get", "apk", "yum", "dnf", "pip", "npm"
  std::vector<std::string> packages;
  std::vector<std::string> flags;
};

// Options that take the next word as their value, per manager.
bool TakesValue(absl::string_view manager, absl::string_view flag) {
  if (manager == "apt-get") return IsAny(flag, {"-o", "-c", "-t", "--target-release"});
  if (manager == "apk") {
    return IsAny(flag, {"-X", "--repository", "-t", "--virtual", "--root", "-p"});
  }
  if (manager == "pip")
    return IsAny(flag, {"-r", "-c", "-i", "--index-url", "--extra-index-url", "--requirement",
                        "--constraint", "-t", "--target"});
  return false;
}

std::optional<Install> ParseInstall(const std::vector<std::string>& words) {
  std::string manager;
  size_t verb = 1;
  const std::string& program = words[0];
  const std::string base = std::string(program.substr(program.rfind('/') + 1));
  if ((base == "apt-get" || base == "apt") && words.size() > 1 && words[1] == "install") {
    manager = "apt-get";
  } else if (base == "apk" && words.size() > 1 && words[1] == "add") {
    manager = "apk";
  } else if (IsAny(base, {"yum", "dnf", "microdnf"}) && words.size() > 1 && words[1] == "install") {
    manager = base == "yum" ? "yum" : "dnf";
  } else if (IsAny(base, {"pip", "pip3"}) && words.size() > 1 && words[1] == "install") {
    manager = "pip";
  } else if (base == "npm" && words.size() > 1 && IsAny(words[1], {"install", "i", "add"})) {
    manager = "npm";
  } else {
    // Flags before the verb ("apt-get -y install x", "apk --no-cache add x").
    for (verb = 1; verb < words.size() && absl::StartsWith(words[verb], "-"); ++verb) {
    }
    if (verb >= words.size()) return std::nullopt;
    if ((base == "apt-get" || base == "apt") && words[verb] == "install") {
      manager = "apt-get";
    } else if (base == "apk" && words[verb] == "add") {
      manager = "apk";
    } else if (IsAny(base, {"yum", "dnf"}) && words[verb] == "install") {
      manager = base;
    } else {
      return std::nullopt;
    }
  }
  Install install;
  install.manager = manager;
  for (size_t i = 1; i < words.size(); ++i) {
    if (i == verb) continue;
    const std::string& word = words[i];
    if (absl::StartsWith(word, "-")) {
      install.flags.push_back(word);
      if (TakesValue(manager, word)) ++i;
      continue;
    }
    install.packages.push_back(word);
  }
  return install;
}

bool Pinned(const Install& install, absl::string_view package) {
  if (install.manager == "apt-get" || install.manager == "apk") {
    return absl::StrContains(package, '=') || absl::EndsWith(package, ".deb");
  }
  if (install.manager == "pip") {
    return absl::StrContains(package, "==") || absl::StrContains(package, '/') ||
           absl::EndsWith(package, ".whl");
  }
  if (install.manager == "npm") {
    return package.rfind('@') != absl::string_view::npos && package.rfind('@') > 0;
  }
  // yum/dnf: name-version ("curl-7.61.1").
  static const LazyRE2 kVersioned = {R"(-[0-9][^/]*$)"};
  return RE2::PartialMatch(Piece(package), *kVersioned) || absl::EndsWith(package, ".rpm");
}

bool CommandMentions(absl::string_view command, absl::string_view text) {
  return absl::StrContains(command, text);
}

// Cache cleanup a RUN must do in the same layer, per manager; empty when none is needed.
std::string MissingCleanup(const Install& install, absl::string_view command) {
  if (install.manager == "apt-get" && !CommandMentions(command, "/var/lib/apt/lists")) {
    return "apt-get install without rm -rf /var/lib/apt/lists/*";
  }
  if (install.manager == "apk" && !HasWord(install.flags, "--no-cache") &&
      !CommandMentions(command, "/var/cache/apk")) {
    return "apk add without --no-cache";
  }
  if ((install.manager == "yum" || install.manager == "dnf") &&
      !CommandMentions(command, "clean all")) {
    return absl::StrCat(install.manager, " install without ", install.manager, " clean all");
  }
  if (install.manager == "pip" && !HasWord(install.flags, "--no-cache-dir")) {
    return "pip install without --no-cache-dir";
  }
  return "";
}

// Variable names that usually hold credentials; *_FILE / *_PATH ones point at them instead.
bool SensitiveName(absl::string_view name) {
  static const LazyRE2 kSensitive = {
      R"((?i)(passw|pwd|secret|token|api_?key|access_?key|private_?key|credential|auth))"};
  static const LazyRE2 kReference = {R"((?i)(_file|_path|_dir|_url|_uri|_host|_user(name)?)$)"};
  return RE2::PartialMatch(Piece(name), *kSensitive) &&
         !RE2::PartialMatch(Piece(name), *kReference);
}

// "A=b C=d" or "A b" (ENV's legacy form) as names with values.
std::vector<std::pair<std::string, std::string>> EnvAssignments(absl::string_view arguments) {
  std::vector<std::pair<std::string, std::string>> out;
  arguments = absl::StripAsciiWhitespace(arguments);
  const size_t equals = arguments.find('=');
  const size_t space = arguments.find_first_of(" \t");
  if (equals == absl::string_view::npos || (space != absl::string_view::npos && space < equals)) {
    if (space == absl::string_view::npos) return out;
    out.emplace_back(std::string(arguments.substr(0, space)),
                     std::string(absl::StripAsciiWhitespace(arguments.substr(space))));
    return out;
  }
  for (absl::string_view word :
       absl::StrSplit(arguments, absl::ByAnyChar(" \t"), absl::SkipEmpty())) {
    const size_t eq = word.find('=');
    if (eq == absl::string_view::npos) continue;
    out.emplace_back(std::string(word.substr(0, eq)), std::string(word.substr(eq + 1)));
  }
  return out;
}

bool EmptyValue(absl::string_view value) {
  value = absl::StripAsciiWhitespace(value);
  return value.empty() || value == "\"\"" || value == "''";
}

class Checker {
 public:
  explicit Checker(std::vector<BuildRisk>& out) : out_(out) {}

  void Add(absl::string_view id, const Instruction& instruction, std::string detail) {
    out_.push_back({&Rule(id), instruction.source, instruction.layer, std::move(detail)});
  }
  void AddConfig(absl::string_view id, const FinalConfig& config, std::string detail) {
    out_.push_back({&Rule(id), config.source, std::nullopt, std::move(detail)});
  }

  void CheckRun(const Instruction& instruction) {
    const std::string& command = instruction.arguments;
    static const LazyRE2 kPipeToShell = {
        R"(((?:curl|wget)\b[^|;&]*\|\s*(?:sudo\s+)?(?:/(?:usr/)?bin/)?(?:ba|da|z|k)?sh\b))"};
    std::string pipe;
    if (RE2::PartialMatch(Piece(command), *kPipeToShell, &pipe)) {
      Add("BWK-DF-004", instruction, Shorten(pipe));
    }
    static const LazyRE2 kChmodWorld = {R"((chmod\s+(?:-\S+\s+)*(?:0?777|a\+rwx|o\+w|a\+w)\b))"};
    std::string chmod;
    if (RE2::PartialMatch(Piece(command), *kChmodWorld, &chmod)) {
      Add("BWK-DF-009", instruction, chmod);
    }
    static const LazyRE2 kSetuid = {
        R"((chmod\s+(?:-\S+\s+)*(?:[ugoa]*\+[rwx]*s[rwx]*|0?[2467][0-7]{3})\b))"};
    std::string setuid;
    if (RE2::PartialMatch(Piece(command), *kSetuid, &setuid)) {
      Add("BWK-DF-013", instruction, setuid);
    }

    bool updates = false;
    bool installs = false;
    bool sudo = false;
    for (std::vector<std::string>& words : SimpleCommands(command)) {
      if (words[0] == "sudo") {
        sudo = true;
        words.erase(words.begin());
        while (!words.empty() && absl::StartsWith(words[0], "-")) words.erase(words.begin());
        if (words.empty()) continue;
      }
      const std::string& program = words[0];
      const bool apt = program == "apt-get" || program == "apt";
      if ((apt || program == "apk" || program == "yum" || program == "dnf") && words.size() > 1) {
        if (words[1] == "update" && program != "yum" && program != "dnf") updates = true;
        if (IsAny(words[1], {"upgrade", "dist-upgrade", "full-upgrade"}) ||
            ((program == "yum" || program == "dnf") && words[1] == "update" && words.size() == 2)) {
          Add("BWK-DF-007", instruction, absl::StrCat(program, " ", words[1]));
        }
      }
      std::optional<Install> install = ParseInstall(words);
      if (!install.has_value()) continue;
      installs = true;
      std::vector<std::string> unpinned;
      for (const std::string& package : install->packages) {
        if (!Pinned(*install, package)) unpinned.push_back(package);
      }
      if (!unpinned.empty()) {
        Add("BWK-DF-005", instruction,
            absl::StrCat(install->manager, ": ", absl::StrJoin(unpinned, " ")));
      }
      if (std::string cleanup = MissingCleanup(*install, command); !cleanup.empty()) {
        Add("BWK-DF-006", instruction, cleanup);
      }
      if (install->manager == "apt-get" && !HasWord(install->flags, "--no-install-recommends")) {
        Add("BWK-DF-014", instruction, "apt-get install");
      }
    }
    if (sudo) Add("BWK-DF-008", instruction, "sudo");
    if (updates && !installs) Add("BWK-DF-015", instruction, "update without install");
    // Every RUN after an ARG repeats it; the ARG is one problem, reported at its first use.
    for (const auto& [name, value] : instruction.build_args) {
      if (SensitiveName(name) && !EmptyValue(value) && !HasWord(arg_names_, name)) {
        Add("BWK-DF-010", instruction, absl::StrCat("ARG ", name));
        arg_names_.push_back(name);
      }
    }
  }

  void Check(const Instruction& instruction) {
    const std::string& keyword = instruction.keyword;
    if (keyword == "RUN") {
      CheckRun(instruction);
    } else if (keyword == "ADD") {
      static const LazyRE2 kRemote = {R"(((?:https?|ftp)://\S+))"};
      std::string url;
      if (RE2::PartialMatch(Piece(instruction.arguments), *kRemote, &url)) {
        Add("BWK-DF-003", instruction, Shorten(url));
      }
    } else if (keyword == "ENV" || keyword == "ARG") {
      for (const auto& [name, value] : EnvAssignments(instruction.arguments)) {
        if (SensitiveName(name) && !EmptyValue(value)) {
          Add("BWK-DF-010", instruction, absl::StrCat(keyword, " ", name));
          env_names_.push_back(name);
        }
      }
    }
  }

  void CheckConfig(const FinalConfig& config) {
    const std::string user(absl::StripAsciiWhitespace(config.user));
    const std::string name = user.substr(0, user.find(':'));
    if (name.empty() || name == "root" || name == "0") {
      AddConfig("BWK-DF-001", config, user.empty() ? "no USER" : absl::StrCat("USER ", user));
    }
    if (!config.has_healthcheck) AddConfig("BWK-DF-012", config, "");
    for (const std::string& port : config.exposed_ports) {
      if (port == "22" || absl::StartsWith(port, "22/")) AddConfig("BWK-DF-011", config, port);
    }
    for (const std::string& entry : config.env) {
      const std::string env_name = entry.substr(0, entry.find('='));
      const std::string value =
          entry.find('=') == std::string::npos ? "" : entry.substr(entry.find('=') + 1);
      if (SensitiveName(env_name) && !EmptyValue(value) && !HasWord(env_names_, env_name)) {
        AddConfig("BWK-DF-010", config, absl::StrCat("ENV ", env_name));
      }
    }
  }

 private:
  static std::string Shorten(absl::string_view text) {
    return text.size() <= 100 ? std::string(text) : absl::StrCat(text.substr(0, 97), "...");
  }

  std::vector<BuildRisk>& out_;
  std::vector<std::string> env_names_;
  std::vector<std::string> arg_names_;
};

}  // namespace

const std::vector<BuildRule>& BuildRules() {
  static const auto* const kRules = new std::vector<BuildRule>{
      {"BWK-DF-001", "Image runs as root", SEVERITY_MEDIUM, "4.1", "DL3002", "CIS-DI-0001",
       "The config sets no USER, or USER root/0: a process that escapes the container's other "
       "controls is root.",
       "Create an unprivileged user and end the Dockerfile with USER <name>."},
      {"BWK-DF-002", "Base image without a pinned tag", SEVERITY_LOW, "", "DL3006,DL3007",
       "DKL-DI-0006",
       "FROM without a tag, or with latest, builds on whatever the registry serves that day.",
       "Pin a version tag, or better a digest (FROM debian:12@sha256:...)."},
      {"BWK-DF-003", "ADD fetches a remote URL", SEVERITY_MEDIUM, "4.9", "DL3020", "CIS-DI-0009",
       "ADD downloads without checksum verification and hides what the layer holds.",
       "Download with curl/wget and verify a checksum in a RUN, or COPY a vetted file."},
      {"BWK-DF-004", "Download piped into a shell", SEVERITY_HIGH, "", "", "",
       "A script fetched by curl or wget runs unverified: whoever controls the URL (or the "
       "network) controls the image.",
       "Download to a file, verify its checksum or signature, then run it."},
      {"BWK-DF-005", "Packages installed without pinned versions", SEVERITY_LOW, "",
       "DL3008,DL3013,DL3016,DL3018,DL3033,DL3041", "",
       "Unpinned installs make rebuilds pull whatever is newest, so images are not reproducible.",
       "Pin versions (apt-get install pkg=1.2-3, apk add pkg=1.2-r0, pip install pkg==1.2)."},
      {"BWK-DF-006", "Package-manager cache left in the layer", SEVERITY_LOW, "",
       "DL3009,DL3019,DL3032,DL3040,DL3042", "DKL-DI-0004,DKL-DI-0005",
       "Package indexes and caches stay in the layer: larger images and stale metadata.",
       "Clean in the same RUN: rm -rf /var/lib/apt/lists/*, apk add --no-cache, yum clean all, "
       "pip install --no-cache-dir."},
      {"BWK-DF-007", "Distribution upgrade during the build", SEVERITY_LOW, "", "", "DKL-DI-0003",
       "apt-get upgrade / dist-upgrade (or yum update) in an image build hides what changed and "
       "belongs in a newer base image.",
       "Use a newer base image; install only named packages."},
      {"BWK-DF-008", "sudo used in a build step", SEVERITY_MEDIUM, "", "DL3004", "DKL-DI-0001",
       "sudo in an image has unpredictable TTY and signal behaviour and leaves a privilege "
       "escalation path.",
       "Run build steps as root and switch with USER; use gosu or su-exec at run time."},
      {"BWK-DF-009", "World-writable permissions set (chmod 777)", SEVERITY_MEDIUM, "", "", "",
       "Files any user can write let any process in the container change them.",
       "Grant the least permissions needed (e.g. 755 for directories, 644 for files)."},
      {"BWK-DF-010", "Credential in ENV or ARG", SEVERITY_HIGH, "4.10", "DL3064", "CIS-DI-0010",
       "ENV values are in the image config and ARG values in its history: anyone who pulls the "
       "image reads them.",
       "Pass secrets with build secrets (RUN --mount=type=secret) and at run time."},
      {"BWK-DF-011", "SSH port exposed", SEVERITY_MEDIUM, "", "", "",
       "Running sshd in a container widens its attack surface; use docker exec / kubectl exec.",
       "Remove EXPOSE 22 and the SSH server."},
      {"BWK-DF-012", "No HEALTHCHECK", SEVERITY_LOW, "4.6", "DL3057", "CIS-DI-0006",
       "Without a HEALTHCHECK the runtime cannot tell a hung container from a healthy one.",
       "Add a HEALTHCHECK instruction (or rely on an orchestrator probe)."},
      {"BWK-DF-013", "Build step sets setuid/setgid bits", SEVERITY_MEDIUM, "4.8", "",
       "CIS-DI-0008",
       "A setuid or setgid executable is a privilege-escalation path inside the container.",
       "Do not add setuid/setgid bits; remove them (chmod a-s) from files that do not need them."},
      {"BWK-DF-014", "apt-get install without --no-install-recommends", SEVERITY_LOW, "", "DL3015",
       "", "Recommended packages enlarge the image and its attack surface.",
       "Use apt-get install --no-install-recommends."},
      {"BWK-DF-015", "Package index updated without installing in the same step", SEVERITY_LOW,
       "4.7", "", "CIS-DI-0007",
       "An update alone in its own layer is cached: later installs use a stale index.",
       "Run update and install in one RUN."},
  };
  return *kRules;
}

std::vector<Instruction> InstructionsFromHistory(const BuildHistory& history) {
  std::vector<Instruction> out;
  for (size_t i = 0; i < history.steps.size(); ++i) {
    const BuildStep& step = history.steps[i];
    out.push_back({step.instruction, step.arguments, step.build_args,
                   absl::StrCat("config.history[", i, "]"), step.layer_index});
  }
  return out;
}

FinalConfig FinalConfigFromImage(const ImageConfig& config) {
  FinalConfig out;
  out.user = config.user;
  out.has_healthcheck = config.healthcheck.has_value() && !config.healthcheck->test.empty() &&
                        config.healthcheck->test.front() != "NONE";
  out.exposed_ports = config.exposed_ports;
  out.env = config.env;
  return out;
}

std::vector<BuildRisk> CheckBuildRisks(const std::vector<Instruction>& instructions,
                                       const FinalConfig& config) {
  std::vector<BuildRisk> out;
  Checker checker(out);
  for (const Instruction& instruction : instructions) checker.Check(instruction);
  checker.CheckConfig(config);
  return out;
}

}  // namespace bulwark::image
