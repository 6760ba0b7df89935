#include "bulwark/image/risk/build_rules.h"

#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "bulwark/image/history.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace bulwark::image {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::UnorderedElementsAre;

// "BWK-DF-xxx detail" for each risk of the history made of `created_by` texts, with a config
// that raises no config-level risk.
std::vector<std::string> Risks(const std::vector<std::string>& created_by) {
  ImageConfig config;
  for (const std::string& text : created_by) config.history.push_back({.created_by = text});
  BuildHistory history = RebuildHistory(config, created_by.size());
  FinalConfig final_config;
  final_config.user = "app";
  final_config.has_healthcheck = true;
  std::vector<std::string> out;
  for (const BuildRisk& risk : CheckBuildRisks(InstructionsFromHistory(history), final_config)) {
    out.push_back(absl::StrCat(risk.rule->id, " ", risk.detail));
  }
  return out;
}

TEST(BuildRulesTest, TableIsOrderedAndDocumented) {
  std::set<std::string> ids;
  for (const BuildRule& rule : BuildRules()) {
    EXPECT_TRUE(ids.insert(rule.id).second) << rule.id;
    EXPECT_FALSE(rule.title.empty() || rule.description.empty() || rule.remediation.empty())
        << rule.id;
  }
  EXPECT_TRUE(std::is_sorted(BuildRules().begin(), BuildRules().end(),
                             [](const BuildRule& a, const BuildRule& b) { return a.id < b.id; }));
}

TEST(BuildRulesTest, PipeToShell) {
  EXPECT_THAT(Risks({"/bin/sh -c curl -fsSL https://x.example/i.sh | bash"}),
              ElementsAre("BWK-DF-004 curl -fsSL https://x.example/i.sh | bash"));
  EXPECT_THAT(Risks({"RUN /bin/sh -c wget -qO- https://x.example/i | sudo sh -s -- -y # buildkit"}),
              UnorderedElementsAre("BWK-DF-004 wget -qO- https://x.example/i | sudo sh",
                                   "BWK-DF-008 sudo"));
  EXPECT_THAT(Risks({"/bin/sh -c curl -o /tmp/i.sh https://x && sha256sum -c s && sh /tmp/i.sh"}),
              IsEmpty());
}

TEST(BuildRulesTest, PackageManagers) {
  EXPECT_THAT(Risks({"/bin/sh -c apt-get update && apt-get install -y curl git=1:2.39.2-1"}),
              UnorderedElementsAre("BWK-DF-005 apt-get: curl",
                                   "BWK-DF-006 apt-get install without rm -rf /var/lib/apt/lists/*",
                                   "BWK-DF-014 apt-get install"));
  EXPECT_THAT(Risks({"/bin/sh -c apt-get update && DEBIAN_FRONTEND=noninteractive apt-get "
                     "install -y --no-install-recommends -o Dpkg::Options::=--force-confold "
                     "curl=7.88.1-10 && rm -rf /var/lib/apt/lists/*"}),
              IsEmpty());
  EXPECT_THAT(Risks({"/bin/sh -c apk add --no-cache curl=8.5.0-r0 jq"}),
              ElementsAre("BWK-DF-005 apk: jq"));
  EXPECT_THAT(Risks({"/bin/sh -c apk add curl=8.5.0-r0"}),
              ElementsAre("BWK-DF-006 apk add without --no-cache"));
  EXPECT_THAT(Risks({"/bin/sh -c yum install -y httpd-2.4.57 && yum clean all"}), IsEmpty());
  EXPECT_THAT(Risks({"/bin/sh -c pip install --no-cache-dir flask==3.0.0 requests"}),
              ElementsAre("BWK-DF-005 pip: requests"));
  EXPECT_THAT(Risks({"/bin/sh -c pip install -r requirements.txt"}),
              ElementsAre("BWK-DF-006 pip install without --no-cache-dir"));
  EXPECT_THAT(Risks({"/bin/sh -c apt-get update"}),
              ElementsAre("BWK-DF-015 update without install"));
  EXPECT_THAT(Risks({"/bin/sh -c apt-get dist-upgrade -y"}),
              ElementsAre("BWK-DF-007 apt-get dist-upgrade"));
}

TEST(BuildRulesTest, PermissionsAndAdd) {
  EXPECT_THAT(Risks({"/bin/sh -c chmod -R 777 /data"}), ElementsAre("BWK-DF-009 chmod -R 777"));
  EXPECT_THAT(Risks({"/bin/sh -c chmod u+s /usr/bin/curl"}), ElementsAre("BWK-DF-013 chmod u+s"));
  EXPECT_THAT(Risks({"/bin/sh -c chmod 4755 /x"}), ElementsAre("BWK-DF-013 chmod 4755"));
  EXPECT_THAT(Risks({"/bin/sh -c chmod 755 /x"}), IsEmpty());
  EXPECT_THAT(Risks({"/bin/sh -c #(nop) ADD https://example.com/a.tgz /opt/ "}),
              ElementsAre("BWK-DF-003 https://example.com/a.tgz"));
  EXPECT_THAT(Risks({"/bin/sh -c #(nop) ADD file:0123abcd in / "}), IsEmpty());
}

TEST(BuildRulesTest, CredentialsInEnvAndArg) {
  EXPECT_THAT(Risks({"/bin/sh -c #(nop)  ENV DB_PASSWORD=hunter2 PATH=/bin",
                     "/bin/sh -c #(nop)  ENV API_TOKEN_FILE=/run/secrets/t",
                     "/bin/sh -c #(nop)  ENV SECRET_KEY_BASE abc"}),
              ElementsAre("BWK-DF-010 ENV DB_PASSWORD", "BWK-DF-010 ENV SECRET_KEY_BASE"));
  // One finding per ARG, at the first RUN that saw it.
  EXPECT_THAT(Risks({"|1 NPM_TOKEN=abc /bin/sh -c npm ci", "|1 NPM_TOKEN=abc /bin/sh -c ls"}),
              ElementsAre("BWK-DF-010 ARG NPM_TOKEN"));
}

TEST(BuildRulesTest, ConfigRisks) {
  FinalConfig config;
  config.exposed_ports = {"22/tcp", "80/tcp"};
  config.env = {"GITHUB_TOKEN=x1", "HOME=/root", "EMPTY_PASSWORD="};
  std::vector<std::string> out;
  for (const BuildRisk& risk : CheckBuildRisks({}, config)) {
    out.push_back(absl::StrCat(risk.rule->id, " ", risk.detail, " @", risk.source));
  }
  EXPECT_THAT(out, ElementsAre("BWK-DF-001 no USER @config", "BWK-DF-012  @config",
                               "BWK-DF-011 22/tcp @config", "BWK-DF-010 ENV GITHUB_TOKEN @config"));
  config = {};
  config.user = "0:0";
  config.has_healthcheck = true;
  EXPECT_THAT(CheckBuildRisks({}, config), testing::SizeIs(1));
  config.user = "1000";
  EXPECT_THAT(CheckBuildRisks({}, config), IsEmpty());
}

TEST(BuildRulesTest, FinalConfigFromImage) {
  ImageConfig image;
  image.user = "app";
  image.healthcheck = HealthCheck{.test = {"NONE"}};
  EXPECT_FALSE(FinalConfigFromImage(image).has_healthcheck);
  image.healthcheck = HealthCheck{.test = {"CMD", "true"}};
  EXPECT_TRUE(FinalConfigFromImage(image).has_healthcheck);
  EXPECT_EQ(FinalConfigFromImage(image).user, "app");
}

}  // namespace
}  // namespace bulwark::image
