#include "bulwark/image/secrets/secret_scanner.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "bulwark/core/status_matchers.h"
#include "bulwark/image/secrets/gitleaks_toml.h"
#include "bulwark/image/secrets/masking.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace bulwark::secrets {
namespace {

using ::bulwark::core::testing::IsOk;
using ::bulwark::core::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;

std::unique_ptr<const SecretScanner> Compile(const std::string& toml) {
  absl::StatusOr<RuleFile> rules = ParseGitleaksToml(toml, "test.toml");
  EXPECT_THAT(rules, IsOk());
  if (!rules.ok()) return nullptr;
  absl::StatusOr<std::unique_ptr<const SecretScanner>> scanner =
      SecretScanner::Create(*std::move(rules));
  EXPECT_THAT(scanner, IsOk());
  return scanner.ok() ? *std::move(scanner) : nullptr;
}

std::vector<std::string> RuleIds(const std::vector<SecretMatch>& matches) {
  std::vector<std::string> ids;
  for (const SecretMatch& m : matches) ids.push_back(m.rule_id);
  return ids;
}

const SecretScanner& Builtin() {
  static const auto* const kScanner = [] {
    absl::StatusOr<std::shared_ptr<const SecretScanner>> scanner = SecretScanner::Builtin();
    EXPECT_THAT(scanner, IsOk());
    return new std::shared_ptr<const SecretScanner>(*scanner);
  }();
  return **kScanner;
}

TEST(BuiltinRulesTest, LoadWithoutWarnings) {
  EXPECT_THAT(Builtin().warnings(), IsEmpty());
  EXPECT_GE(Builtin().rule_count(), 20u);
}

// One sample per family the built-in rules must cover. The secrets are assembled at run time so
// the source file itself does not trip secret scanners.
TEST(BuiltinRulesTest, DetectEachFamily) {
  const std::string alnum36 = "Zq8Lw3Rt6Yp1Mn4Bv7Cx2Kj5Hg9Fd0Sa3Qe6";
  const std::string hex32 = "9f3a1c7e5b2d8046af13ce97b5d28e4c";
  struct Case {
    std::string text;
    std::string rule;
  };
  const std::vector<Case> cases = {
      {absl::StrCat("key=AKIA", "Z7QWERTYUIOPASDF"), "aws-access-key-id"},
      {absl::StrCat("aws_secret_access_key = ", "kR9/vLq2+Xw8Zt4mNp6Yb1Hs3Jd5Fg7Ck0Ae2Tu4"),
       "aws-secret-access-key"},
      {absl::StrCat("{\"type\": \"service_account\", \"private_key_id\": \"",
                    "3f2a9c1e7b5d4068af1c2e3d4b5a69788c7d6e5f", "\"}"),
       "gcp-service-account"},
      {absl::StrCat("GOOGLE_KEY=AIza", "SyA1b2C3d4E5f6G7h8I9j0KlMnOpQrStUvW"), "gcp-api-key"},
      {absl::StrCat("DefaultEndpointsProtocol=https;AccountName=x;AccountKey=", alnum36, alnum36,
                    alnum36.substr(0, 14), "==;"),
       "azure-storage-account-key"},
      {absl::StrCat("token: ghp_", alnum36), "github-token"},
      {absl::StrCat("CI=glpat-", "x7Kq2Lm9Np4Rs6Tv8Wy0"), "gitlab-token"},
      {absl::StrCat("SLACK=xoxb-", "123456789012-", "AbCdEfGhIjKlMnOp"), "slack-token"},
      {absl::StrCat("https://hooks.slack.com/services/", "T0A1B2C3D/B9Z8Y7X6W/",
                    alnum36.substr(0, 24)),
       "slack-webhook"},
      {absl::StrCat("stripe: sk_live_", alnum36.substr(0, 24)), "stripe-key"},
      {absl::StrCat("twilio SK", hex32), "twilio-api-key"},
      {absl::StrCat("SENDGRID=SG.", "aBcDeFgHiJkLmNoPqRsTuV", ".",
                    "aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789-_AbCdE"),
       "sendgrid-api-key"},
      {absl::StrCat("//registry.npmjs.org/:_authToken=npm_", alnum36), "npm-access-token"},
      {absl::StrCat("password = pypi-AgEIcHlwaS5vcmc", alnum36, alnum36), "pypi-token"},
      {absl::StrCat("Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.", "eyJzdWIiOiIxMjM0NTY3ODkwIn0.",
                    "dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U"),
       "jwt"},
      {absl::StrCat("{\"auths\":{\"r.example\":{\"auth\":\"", "dXNlcjpzM2NyM3RQYXNz", "\"}}}"),
       "docker-config-auth"},
      {absl::StrCat("-----BEGIN RSA PRIVATE KEY-----\n", alnum36, alnum36,
                    "\n-----END RSA PRIVATE KEY-----\n"),
       "private-key"},
      {absl::StrCat("-----BEGIN PRIVATE KEY-----\n", alnum36, alnum36,
                    "\n-----END PRIVATE KEY-----\n"),
       "private-key"},
      {absl::StrCat("-----BEGIN ENCRYPTED PRIVATE KEY-----\n", alnum36, alnum36,
                    "\n-----END ENCRYPTED PRIVATE KEY-----\n"),
       "private-key-encrypted"},
      {absl::StrCat("-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES\n\n",
                    alnum36, "\n-----END RSA PRIVATE KEY-----\n"),
       "private-key-encrypted"},
      {absl::StrCat("-----BEGIN OPENSSH PRIVATE KEY-----\n", alnum36, alnum36,
                    "\n-----END OPENSSH PRIVATE KEY-----\n"),
       "openssh-private-key"},
      {absl::StrCat("-----BEGIN PGP PRIVATE KEY BLOCK-----\n\n", alnum36,
                    "\n-----END PGP PRIVATE KEY BLOCK-----\n"),
       "pgp-private-key"},
      {"DATABASE_URL=postgres://app:Tr0ub4dor-3x@db:5432/app", "url-credentials"},
      {"DB_PASSWORD=Zx81!kq-Lm2w", "generic-password"},
      {"client_secret: 'Hq3Zt8-pW1nV6yR'", "generic-password"},
  };
  for (const Case& c : cases) {
    std::vector<SecretMatch> matches = Builtin().Scan(c.text, "app/config");
    EXPECT_THAT(RuleIds(matches), ElementsAre(c.rule)) << c.text;
  }
}

TEST(BuiltinRulesTest, QuietOnPlaceholdersAndLowEntropy) {
  for (const char* text :
       {"password=changeme123", "password: ${DB_PASSWORD}", "secret = config.secret.value",
        "password=aaaaaaaaaaaa", "postgres://user:password@localhost/db",
        "see https://example.com:8080/path",
        "-----BEGIN CERTIFICATE-----\nMIIB\n-----END "
        "CERTIFICATE-----",
        "The password must be at least 8 characters.", "AKIA is a prefix"}) {
    EXPECT_THAT(Builtin().Scan(text, "etc/app.conf"), IsEmpty()) << text;
  }
}

TEST(BuiltinRulesTest, GenericRuleYieldsToSpecificRule) {
  const std::string text =
      absl::StrCat("GITHUB_TOKEN=ghp_", "Zq8Lw3Rt6Yp1Mn4Bv7Cx2Kj5Hg9Fd0Sa3Qe6");
  EXPECT_THAT(RuleIds(Builtin().Scan(text, "")), ElementsAre("github-token"));
}

TEST(BuiltinRulesTest, SkipsBinaryAndPackageIndexPaths) {
  EXPECT_TRUE(Builtin().PathAllowed("usr/lib/x86_64-linux-gnu/libssl.so.3"));
  EXPECT_TRUE(Builtin().PathAllowed("var/lib/dpkg/status"));
  EXPECT_FALSE(Builtin().PathAllowed("app/.env"));
}

TEST(SecretScannerTest, MasksEverywhereAndReportsPosition) {
  const std::string secret = "Zq8Lw3Rt6Yp1Mn4Bv7Cx2Kj5Hg9Fd0Sa3Qe6";
  const std::string text = absl::StrCat("line one\n  token: ghp_", secret, "\n");
  std::vector<SecretMatch> matches = Builtin().Scan(text, "x");
  ASSERT_EQ(matches.size(), 1u);
  EXPECT_EQ(matches[0].line, 2u);
  EXPECT_EQ(matches[0].column, 10u);
  EXPECT_EQ(matches[0].masked_secret, absl::StrCat("ghp_", std::string(32 + 0, '*')));
  EXPECT_THAT(matches[0].masked_match, Not(HasSubstr(secret.substr(0, 8))));
  EXPECT_EQ(text.substr(matches[0].offset, matches[0].length), absl::StrCat("ghp_", secret));
}

TEST(MaskingTest, KeepsAShortPrefix) {
  EXPECT_EQ(MaskSecret("AKIAIOSFODNN7EXAMPLE"), "AKIA****************");
  EXPECT_EQ(MaskSecret("short"), "*****");
  EXPECT_EQ(MaskSecret(std::string(100, 'a')), absl::StrCat("aaaa", std::string(32, '*')));
  EXPECT_EQ(MaskMatch("password=hunter2hunter2", 9, "hunter2hunter2"), "password=hun***********");
  EXPECT_EQ(MaskMatch("u:hunter2hunter2://u:hunter2hunter2@h", 21, "hunter2hunter2"),
            "u:hun***********://u:hun***********@h");
  EXPECT_DOUBLE_EQ(ShannonEntropy("aaaa"), 0);
  EXPECT_DOUBLE_EQ(ShannonEntropy("abcd"), 2);
}

TEST(SecretScannerTest, KeywordPrefilterSkipsRegexes) {
  auto scanner = Compile(R"(
[[rules]]
id = "a"
regex = '''tok_[a-z]{8}'''
keywords = ["TOK_"]
[[rules]]
id = "b"
regex = '''zzz[0-9]+'''
keywords = ["zzz"]
)");
  ScanStats stats;
  EXPECT_THAT(RuleIds(scanner->Scan("x Tok_ tok_abcdefgh", "", &stats)), ElementsAre("a"));
  EXPECT_EQ(stats.regex_runs, 1u);
  EXPECT_EQ(stats.regex_skipped, 1u);
}

TEST(SecretScannerTest, SecretGroupAndEntropy) {
  auto scanner = Compile(R"(
[[rules]]
id = "first-non-empty"
regex = '''k(?:(a+)|(b+))=(\w+)'''
entropy = 1.5
[[rules]]
id = "explicit"
regex = '''(v)=(\w+)'''
secretGroup = 2
entropy = 1.5
)");
  std::vector<SecretMatch> matches = scanner->Scan("kbb=zz v=abcd v=aaaa", "");
  // "bb" (entropy 0) is dropped; "abcd" (entropy 2) is kept; "aaaa" (0) is dropped.
  EXPECT_THAT(RuleIds(matches), ElementsAre("explicit"));
  ASSERT_EQ(matches.size(), 1u);
  EXPECT_EQ(matches[0].offset, 9u);
}

TEST(SecretScannerTest, Allowlists) {
  auto scanner = Compile(R"(
[[rules]]
id = "tok"
regex = '''tok_([a-z0-9]{6})'''
  [[rules.allowlists]]
  regexes = ['''^test''']
  [[rules.allowlists]]
  condition = "AND"
  paths = ['''^fixtures/''']
  stopwords = ["fake"]
  [[rules.allowlists]]
  regexTarget = "line"
  regexes = ['''# nosecret''']

[[allowlists]]
targetRules = ["tok"]
stopwords = ["dummy"]

[allowlist]
paths = ['''\.md$''']
)");
  EXPECT_THAT(scanner->Scan("tok_abc123", "a"), testing::SizeIs(1));
  EXPECT_THAT(scanner->Scan("tok_test12", "a"), IsEmpty());                 // regexes
  EXPECT_THAT(scanner->Scan("tok_fake12", "fixtures/x"), IsEmpty());        // AND: both match
  EXPECT_THAT(scanner->Scan("tok_fake12", "src/x"), testing::SizeIs(1));    // AND: path differs
  EXPECT_THAT(scanner->Scan("a tok_abc123 b # nosecret", "a"), IsEmpty());  // line target
  EXPECT_THAT(scanner->Scan("tok_dummy1", "a"), IsEmpty());                 // global, targeted
  EXPECT_THAT(scanner->Scan("tok_abc123", "README.md"), IsEmpty());         // global path
  EXPECT_TRUE(scanner->PathAllowed("docs/README.md"));
}

TEST(SecretScannerTest, PathRulesAndPathOnlyRules) {
  auto scanner = Compile(R"(
[[rules]]
id = "p12"
path = '''\.p12$'''
[[rules]]
id = "env-only"
path = '''(^|/)\.env$'''
regex = '''K=(\w+)'''
)");
  EXPECT_THAT(RuleIds(scanner->Scan("K=value", "certs/a.p12")), ElementsAre("p12"));
  EXPECT_THAT(RuleIds(scanner->Scan("K=value", "app/.env")), ElementsAre("env-only"));
  EXPECT_THAT(scanner->Scan("K=value", "app/env.txt"), IsEmpty());
}

TEST(SecretScannerTest, GoSyntaxAndUnsupportedRegexes) {
  absl::StatusOr<RuleFile> rules = ParseGitleaksToml(R"(
[[rules]]
id = "named"
regex = '''(?i)key(?<value>[0-9]{4})'''
[[rules]]
id = "lookahead"
regex = '''foo(?=bar)'''
[[rules]]
id = "bad-group"
regex = '''(a)'''
secretGroup = 3
)",
                                                     "go.toml");
  ASSERT_THAT(rules, IsOk());
  auto scanner = SecretScanner::Create(*std::move(rules));
  ASSERT_THAT(scanner, IsOk());
  EXPECT_EQ((*scanner)->rule_count(), 1u);
  EXPECT_THAT((*scanner)->warnings(),
              ElementsAre(HasSubstr("rule lookahead: regex"), HasSubstr("rule bad-group")));
  EXPECT_THAT(RuleIds((*scanner)->Scan("KEY1234", "")), ElementsAre("named"));
}

TEST(GitleaksTomlTest, Errors) {
  EXPECT_THAT(ParseGitleaksToml("[[rules]\nid=1", "bad.toml"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("bad.toml:1:")));
  EXPECT_THAT(ParseGitleaksToml("[[rules]]\nid = 1\n", "t.toml"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("t.toml:2:6: rules[0].id: expected a string")));
  EXPECT_THAT(ParseGitleaksToml("[[rules]]\nid = \"x\"\n", "t.toml"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("needs a regex or a path")));
  EXPECT_THAT(
      ParseGitleaksToml("[[rules]]\nid = \"x\"\nregex = \"a\"\nkeywords = [1]\n", "t.toml"),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("4:13: rules[0] (x).keywords")));
  EXPECT_THAT(SecretScanner::Create(*ParseGitleaksToml(
                  "[[rules]]\nid='a'\nregex='x'\n[[rules]]\nid='a'\nregex='y'\n", "dup")),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("two rules")));
}

TEST(GitleaksTomlTest, WarnsAboutExtendAndUnknownKeys) {
  absl::StatusOr<RuleFile> rules = ParseGitleaksToml(R"(
title = "t"
[extend]
useDefault = true
[[rules]]
id = "x"
regex = "a"
severity = "high"
)",
                                                     "w.toml");
  ASSERT_THAT(rules, IsOk());
  EXPECT_THAT(rules->warnings, ElementsAre(HasSubstr("[extend] is not followed"),
                                           HasSubstr("unknown key \"severity\"")));
}

}  // namespace
}  // namespace bulwark::secrets
