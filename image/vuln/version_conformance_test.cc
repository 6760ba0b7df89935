// Runs every version vector in ../shared/conformance/versions (dpkg, apk-tools, rpm,
// node-semver, pypa/packaging, Maven and Grype's constraint tables, all written by others)
// through Bulwark's comparators and prints a pass count per file. Rows where Bulwark follows the
// ecosystem's own tool instead of the vector (Grype-specific rules, conversion slips) are listed
// with a reason in testdata/version_conformance_exceptions.tsv; a listed row that passes, or a
// failing row that is not listed, fails the test.
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "bulwark/core/testing/shared_testdata.h"
#include "bulwark/image/versions/pep440_specifier.h"
#include "bulwark/image/versions/pep440_version.h"
#include "bulwark/image/vuln/internal/apk_version.h"
#include "bulwark/image/vuln/internal/dpkg_version.h"
#include "bulwark/image/vuln/internal/node_semver_range.h"
#include "bulwark/image/vuln/internal/rpm_version.h"
#include "bulwark/image/vuln/internal/semver_version.h"
#include "bulwark/image/vuln/version.h"
#include "gtest/gtest.h"

namespace bulwark::vuln {
namespace {

using internal::SemverDialect;

// Rows of a vector file: tab-separated fields, comments and blank lines dropped.
struct Row {
  std::string line;
  std::vector<std::string> fields;
};

std::vector<Row> ReadRows(const std::string& path, bool unescape = false) {
  std::ifstream in(path);
  EXPECT_TRUE(in.good()) << path;
  std::vector<Row> rows;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    Row row{line, absl::StrSplit(line, '\t')};
    if (unescape) {
      for (std::string& field : row.fields) {
        std::string out;
        for (size_t i = 0; i < field.size(); ++i) {
          if (field[i] == '\\' && i + 1 < field.size()) {
            char c = field[++i];
            out.push_back(c == 't' ? '\t' : c == 'n' ? '\n' : c);
          } else {
            out.push_back(field[i]);
          }
        }
        field = out;
      }
    }
    rows.push_back(std::move(row));
  }
  return rows;
}

// The checked-in exception list: file, row (the whole line with tabs as " | "), reason.
class Exceptions {
 public:
  static Exceptions& Get() {
    static Exceptions* exceptions = new Exceptions();
    return *exceptions;
  }
  bool Contains(const std::string& file, const std::string& line) const {
    return rows_.count(Key(file, line)) > 0;
  }

 private:
  static std::string Key(const std::string& file, const std::string& line) {
    return absl::StrCat(file, "\t", absl::StrJoin(absl::StrSplit(line, '\t'), " | "));
  }
  Exceptions() {
    std::string path = absl::StrCat(std::getenv("TEST_SRCDIR"), "/", std::getenv("TEST_WORKSPACE"),
                                    "/image/vuln/testdata/version_conformance_exceptions.tsv");
    std::ifstream in(path);
    EXPECT_TRUE(in.good()) << path;
    std::string line;
    while (std::getline(in, line)) {
      if (line.empty() || line[0] == '#') continue;
      std::vector<std::string> fields = absl::StrSplit(line, '\t');
      EXPECT_EQ(fields.size(), 3u) << "exception rows are file<TAB>row<TAB>reason: " << line;
      if (fields.size() != 3) continue;
      rows_.insert(absl::StrCat(fields[0], "\t", fields[1]));
    }
  }
  std::set<std::string> rows_;
};

struct Tally {
  int passed = 0;
  int excepted = 0;
};

std::map<std::string, Tally>& Tallies() {
  static auto* tallies = new std::map<std::string, Tally>();
  return *tallies;
}

class PrintTallies : public ::testing::Environment {
 public:
  void TearDown() override {
    int passed = 0, excepted = 0;
    std::cout << "version conformance (file: passed, listed exceptions)\n";
    for (const auto& [file, tally] : Tallies()) {
      std::cout << "  " << file << ": " << tally.passed << " passed, " << tally.excepted
                << " exceptions\n";
      passed += tally.passed;
      excepted += tally.excepted;
    }
    std::cout << "  total: " << passed << " passed, " << excepted << " exceptions\n";
  }
};
const auto* const kPrintTallies = ::testing::AddGlobalTestEnvironment(new PrintTallies());

// Records the outcome of one row of `file`.
void Check(const std::string& file, const Row& row, bool ok, const std::string& detail) {
  bool listed = Exceptions::Get().Contains(file, row.line);
  Tally& tally = Tallies()[file];
  if (ok && listed) {
    ADD_FAILURE() << file << ": listed as an exception but passes: " << row.line;
  } else if (!ok && !listed) {
    ADD_FAILURE() << file << ": " << row.line << " -> " << detail;
  } else if (ok) {
    ++tally.passed;
  } else {
    ++tally.excepted;
  }
}

std::string Symbol(int order) { return order < 0 ? "<" : order > 0 ? ">" : "="; }

int ExpectedOrder(const std::string& op) {
  if (op == "<") return -1;
  if (op == ">") return 1;
  EXPECT_EQ(op, "=");
  return 0;
}

// a op b through CompareVersions, both directions.
void CheckCompareRows(const std::string& file, absl::string_view ecosystem) {
  BULWARK_SHARED_PATH_OR_SKIP(path, absl::StrCat("conformance/versions/", file));
  for (const Row& row : ReadRows(path)) {
    ASSERT_GE(row.fields.size(), 3u) << row.line;
    int want = ExpectedOrder(row.fields[1]);
    absl::StatusOr<int> forward = CompareVersions(ecosystem, row.fields[0], row.fields[2]);
    absl::StatusOr<int> backward = CompareVersions(ecosystem, row.fields[2], row.fields[0]);
    bool ok = forward.ok() && backward.ok() && *forward == want && *backward == -want;
    Check(file, row, ok,
          forward.ok() ? absl::StrCat("got ", Symbol(*forward)) : forward.status().ToString());
  }
}

TEST(VersionConformance, DpkgCompare) { CheckCompareRows("dpkg/dpkg_compare.tsv", "Debian"); }

TEST(VersionConformance, PythonDebianCompare) {
  CheckCompareRows("dpkg/python_debian_compare.tsv", "Ubuntu:22.04");
}

TEST(VersionConformance, DpkgParse) {
  const std::string file = "dpkg/dpkg_parse.tsv";
  BULWARK_SHARED_PATH_OR_SKIP(path, "conformance/versions/" + file);
  for (const Row& row : ReadRows(path)) {
    ASSERT_GE(row.fields.size(), 2u) << row.line;
    absl::StatusOr<internal::DpkgVersion> v = internal::ParseDpkgVersion(row.fields[0]);
    const std::string& result = row.fields[1];
    bool ok;
    std::string detail = v.ok() ? absl::StrCat(v->epoch, " | ", v->upstream, " | ", v->revision,
                                               " warning=", v->warning)
                                : v.status().ToString();
    if (result == "ok") {
      ok = v.ok() && v->warning.empty() && absl::StrCat(v->epoch) == row.fields[2] &&
           v->upstream == row.fields[3] && v->revision == row.fields[4];
    } else if (result == "warn") {
      // dpkg --compare-versions accepts these with a warning; ValidateVersion rejects them.
      ok = v.ok() && !v->warning.empty() && !ValidateVersion("Debian", row.fields[0]).ok();
    } else {
      ok = !v.ok();
    }
    Check(file, row, ok, detail);
  }
}

TEST(VersionConformance, PythonDebianParse) {
  const std::string file = "dpkg/python_debian_parse.tsv";
  BULWARK_SHARED_PATH_OR_SKIP(path, "conformance/versions/" + file);
  for (const Row& row : ReadRows(path)) {
    ASSERT_GE(row.fields.size(), 2u) << row.line;
    absl::StatusOr<internal::DpkgVersion> v = internal::ParseDpkgVersion(row.fields[0]);
    bool ok;
    if (row.fields[1] == "INVALID") {
      ok = !v.ok();
    } else {
      std::string epoch = row.fields[1].empty() ? "0" : row.fields[1];
      ok = v.ok() && v->warning.empty() && absl::StrCat(v->epoch) == epoch &&
           v->upstream == row.fields[2] && v->revision == row.fields[3];
    }
    Check(file, row, ok, v.ok() ? std::string(v->upstream) : v.status().ToString());
  }
}

TEST(VersionConformance, ApkCompare) {
  const std::string file = "apk/apk_compare.tsv";
  BULWARK_SHARED_PATH_OR_SKIP(path, "conformance/versions/" + file);
  for (const Row& row : ReadRows(path)) {
    ASSERT_GE(row.fields.size(), 3u) << row.line;
    const std::string &a = row.fields[0], &op = row.fields[1], &b = row.fields[2];
    bool valid = internal::ValidateApkVersion(a).ok() && internal::ValidateApkVersion(b).ok();
    int fuzzy = internal::CompareApkVersions(a, b, /*fuzzy=*/true);
    int exact = internal::CompareApkVersions(a, b);
    bool ok;
    if (op == "~") {
      ok = fuzzy == 0;
    } else if (op == "!~") {
      ok = fuzzy != 0;
    } else if (op == "<~") {
      ok = fuzzy <= 0;
    } else if (op == ">~") {
      ok = fuzzy >= 0;
    } else {
      // Invalid versions are ordered as `apk version -t` orders them, and refused by the
      // public entry point.
      int want = ExpectedOrder(op);
      absl::StatusOr<int> public_order = CompareVersions("Alpine:v3.18", a, b);
      ok = exact == want && internal::CompareApkVersions(b, a) == -want &&
           (valid ? public_order.ok() && *public_order == want : !public_order.ok());
    }
    Check(file, row, ok, absl::StrCat("got ", Symbol(exact), valid ? "" : " (invalid)"));
  }
}

TEST(VersionConformance, ApkValidity) {
  const std::string file = "apk/apk_validity.tsv";
  BULWARK_SHARED_PATH_OR_SKIP(path, "conformance/versions/" + file);
  for (const Row& row : ReadRows(path)) {
    ASSERT_GE(row.fields.size(), 2u) << row.line;
    absl::Status s = ValidateVersion("Alpine", row.fields[0]);
    Check(file, row, s.ok() == (row.fields[1] == "valid"), s.ToString());
  }
}

void CheckRpmVerCmp(const std::string& file) {
  BULWARK_SHARED_PATH_OR_SKIP(path, "conformance/versions/" + file);
  for (const Row& row : ReadRows(path)) {
    ASSERT_GE(row.fields.size(), 3u) << row.line;
    int want = ExpectedOrder(row.fields[1]);
    int got = internal::RpmVerCmp(row.fields[0], row.fields[2]);
    Check(file, row, got == want && internal::RpmVerCmp(row.fields[2], row.fields[0]) == -want,
          absl::StrCat("got ", Symbol(got)));
  }
}

TEST(VersionConformance, RpmVerCmp) { CheckRpmVerCmp("rpm/rpmvercmp.tsv"); }
TEST(VersionConformance, RpmVerCmpOddities) { CheckRpmVerCmp("rpm/rpmvercmp_oddities.tsv"); }

SemverDialect NodeDialect(const Row& row) {
  return row.fields.size() > 3 && row.fields[3] == "loose" ? SemverDialect::kNodeLoose
                                                           : SemverDialect::kNode;
}

void CheckSemverCompare(const std::string& file) {
  BULWARK_SHARED_PATH_OR_SKIP(path, "conformance/versions/" + file);
  for (const Row& row : ReadRows(path)) {
    ASSERT_GE(row.fields.size(), 3u) << row.line;
    SemverDialect dialect = NodeDialect(row);
    auto a = internal::ParseSemver(row.fields[0], dialect);
    auto b = internal::ParseSemver(row.fields[2], dialect);
    if (!a.ok() || !b.ok()) {
      Check(file, row, false, (a.ok() ? b : a).status().ToString());
      continue;
    }
    int want = ExpectedOrder(row.fields[1]);
    bool ok = internal::CompareSemver(*a, *b) == want && internal::CompareSemver(*b, *a) == -want;
    if (dialect == SemverDialect::kNode) {
      absl::StatusOr<int> public_order = CompareVersions("npm", row.fields[0], row.fields[2]);
      ok = ok && public_order.ok() && *public_order == want;
    }
    Check(file, row, ok, absl::StrCat("got ", Symbol(internal::CompareSemver(*a, *b))));
  }
}

TEST(VersionConformance, SemverCompare) { CheckSemverCompare("semver/semver_compare.tsv"); }
TEST(VersionConformance, SemverEqual) { CheckSemverCompare("semver/semver_equal.tsv"); }

TEST(VersionConformance, SemverValid) {
  const std::string file = "semver/semver_valid.tsv";
  BULWARK_SHARED_PATH_OR_SKIP(path, "conformance/versions/" + file);
  for (const Row& row : ReadRows(path)) {
    ASSERT_EQ(row.fields.size(), 6u) << row.line;
    auto v = internal::ParseSemver(row.fields[0], SemverDialect::kNode);
    bool ok = v.ok() && v->major == row.fields[1] && v->minor == row.fields[2] &&
              v->patch == row.fields[3] && absl::StrJoin(v->prerelease, ".") == row.fields[4] &&
              absl::StrJoin(v->build, ".") == row.fields[5];
    Check(file, row, ok, v.ok() ? "fields differ" : v.status().ToString());
  }
}

// Rows are "range op version [option]", option "loose" or "includePrerelease".
TEST(VersionConformance, SemverRange) {
  const std::string file = "semver/semver_range.tsv";
  BULWARK_SHARED_PATH_OR_SKIP(path, "conformance/versions/" + file);
  for (const Row& row : ReadRows(path, /*unescape=*/true)) {
    ASSERT_GE(row.fields.size(), 3u) << row.line;
    internal::NodeRangeOptions options;
    std::string option = row.fields.size() > 3 ? row.fields[3] : "";
    options.loose = option == "loose";
    options.include_prerelease = option == "includePrerelease";
    absl::StatusOr<bool> got = internal::NodeSemverSatisfies(row.fields[0], row.fields[2], options);
    // node-semver's satisfies() is false for a range it cannot parse.
    bool satisfied = got.ok() && *got;
    Check(file, row, satisfied == (row.fields[1] == "satisfies"),
          got.ok() ? (*got ? "satisfied" : "not satisfied") : got.status().ToString());
  }
}

TEST(VersionConformance, Pep440Compare) { CheckCompareRows("pep440/pep440_compare.tsv", "PyPI"); }

TEST(VersionConformance, Pep440Ordered) {
  const std::string file = "pep440/pep440_ordered.txt";
  BULWARK_SHARED_PATH_OR_SKIP(path, "conformance/versions/" + file);
  std::vector<Row> rows = ReadRows(path);
  for (size_t i = 0; i < rows.size(); ++i) {
    // Each version sorts after every version listed before it.
    bool ok = true;
    std::string detail;
    for (size_t j = 0; j < i; ++j) {
      absl::StatusOr<int> order = CompareVersions("PyPI", rows[j].line, rows[i].line);
      if (!order.ok() || *order != -1) {
        ok = false;
        detail = absl::StrCat("not after ", rows[j].line);
        break;
      }
    }
    Check(file, rows[i], ok, detail);
  }
}

TEST(VersionConformance, Pep440Invalid) {
  const std::string file = "pep440/pep440_invalid.txt";
  BULWARK_SHARED_PATH_OR_SKIP(path, "conformance/versions/" + file);
  for (const Row& row : ReadRows(path)) {
    Check(file, row, !ValidateVersion("PyPI", row.line).ok(), "accepted");
  }
}

TEST(VersionConformance, Pep440Normalize) {
  const std::string file = "pep440/pep440_normalize.tsv";
  BULWARK_SHARED_PATH_OR_SKIP(path, "conformance/versions/" + file);
  for (const Row& row : ReadRows(path, /*unescape=*/true)) {
    ASSERT_EQ(row.fields.size(), 2u) << row.line;
    auto v = versions::ParsePep440Version(row.fields[0]);
    std::string got = v.ok() ? versions::NormalizedPep440(*v) : v.status().ToString();
    Check(file, row, got == row.fields[1], got);
  }
}

// packaging's tests evaluate Specifier(spec, prereleases=True).contains(version).
TEST(VersionConformance, Pep440Specifier) {
  const std::string file = "pep440/pep440_specifier.tsv";
  BULWARK_SHARED_PATH_OR_SKIP(path, "conformance/versions/" + file);
  for (const Row& row : ReadRows(path)) {
    ASSERT_GE(row.fields.size(), 3u) << row.line;
    auto v = versions::ParsePep440Version(row.fields[0]);
    ASSERT_TRUE(v.ok()) << row.line;
    absl::StatusOr<bool> got =
        versions::Pep440SpecifierContains(row.fields[2], *v, /*prereleases=*/true);
    bool want = row.fields[1] == "satisfies";
    Check(file, row, got.ok() && *got == want,
          got.ok() ? (*got ? "satisfied" : "not satisfied") : got.status().ToString());
  }
}

TEST(VersionConformance, MavenCompare) { CheckCompareRows("maven/maven_compare.tsv", "Maven"); }

// Grype's constraint tables: "version op constraint", a constraint being "||"-separated groups
// of ","-separated comparisons ("> 1.0, < 2.0 || = 3"). Evaluated with plain comparisons in the
// ecosystem's order.
absl::StatusOr<bool> Satisfies(absl::string_view ecosystem, absl::string_view version,
                               absl::string_view constraint) {
  if (absl::StripAsciiWhitespace(constraint).empty()) return true;
  for (absl::string_view group : absl::StrSplit(constraint, "||")) {
    bool all = true;
    for (absl::string_view term : absl::StrSplit(group, ',')) {
      term = absl::StripAsciiWhitespace(term);
      std::string op;
      while (!term.empty() && absl::StrContains("<>=!", term[0])) {
        op.push_back(term[0]);
        term.remove_prefix(1);
      }
      term = absl::StripAsciiWhitespace(term);
      // Grype's vulndb constraints may quote versions ('4.5.1' || "4.5.2").
      if (term.size() >= 2 && (term.front() == '\'' || term.front() == '"') &&
          term.back() == term.front()) {
        term = term.substr(1, term.size() - 2);
      }
      absl::StatusOr<int> order = CompareVersions(ecosystem, version, term);
      if (!order.ok()) return order.status();
      bool holds = op.empty() || op == "=" || op == "==" ? *order == 0
                   : op == "!="                          ? *order != 0
                   : op == "<"                           ? *order < 0
                   : op == "<="                          ? *order <= 0
                   : op == ">"                           ? *order > 0
                                                         : *order >= 0;
      all = all && holds;
    }
    if (all) return true;
  }
  return false;
}

void CheckGrypeTable(const std::string& table, absl::string_view ecosystem) {
  const std::string file = "grype/" + table;
  BULWARK_SHARED_PATH_OR_SKIP(path, "conformance/versions/" + file);
  // The tables keep Go's string escapes (\"4.5.1\").
  for (const Row& row : ReadRows(path, /*unescape=*/true)) {
    ASSERT_GE(row.fields.size(), 3u) << row.line;
    absl::StatusOr<bool> got = Satisfies(ecosystem, row.fields[0], row.fields[2]);
    bool want = row.fields[1] == "satisfies";
    Check(file, row, got.ok() && *got == want,
          got.ok() ? (*got ? "satisfied" : "not satisfied") : got.status().ToString());
  }
}

TEST(VersionConformance, GrypeApk) { CheckGrypeTable("apk_version.constraint.tsv", "Alpine"); }
TEST(VersionConformance, GrypeDeb) { CheckGrypeTable("deb_version.constraint.tsv", "Debian"); }
TEST(VersionConformance, GrypeRpm) { CheckGrypeTable("rpm_version.constraint.tsv", "Red Hat"); }
TEST(VersionConformance, GrypePep440) { CheckGrypeTable("pep440_version.constraint.tsv", "PyPI"); }
TEST(VersionConformance, GrypeMaven) { CheckGrypeTable("maven_version.constraint.tsv", "Maven"); }
TEST(VersionConformance, GrypeGem) { CheckGrypeTable("gem_version.constraint.tsv", "RubyGems"); }
TEST(VersionConformance, GrypeGolang) { CheckGrypeTable("golang_version.constraint.tsv", "Go"); }

// Grype's own schemes that are no OSV ecosystem Bulwark orders; the exception list names them
// file by file, and this checks that each file is still there (so the list stays true).
TEST(VersionConformance, GrypeSchemesWithoutEcosystem) {
  for (const char* table :
       {"bitnami_version", "fuzzy_constraint", "generic_constraint", "jvm_version", "kb_constraint",
        "portage_version", "semantic_version"}) {
    std::string file = absl::StrCat("grype/", table, ".constraint.tsv");
    BULWARK_SHARED_PATH_OR_SKIP(path, "conformance/versions/" + file);
    EXPECT_TRUE(Exceptions::Get().Contains(file, "*")) << file;
    Tallies()[file].excepted += static_cast<int>(ReadRows(path).size());
  }
}

}  // namespace
}  // namespace bulwark::vuln
