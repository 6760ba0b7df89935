#include "bulwark/image/history.h"

#include <fstream>
#include <sstream>
#include <string>

#include "bulwark/core/testing/shared_testdata.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace bulwark::image {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Optional;
using ::testing::Pair;

// instruction + " " + arguments, the Dockerfile line a step stands for.
std::string Line(const BuildStep& step) {
  return step.instruction.empty() ? step.arguments : step.instruction + " " + step.arguments;
}

TEST(ParseCreatedByTest, ClassicBuilderNop) {
  EXPECT_EQ(Line(ParseCreatedBy("/bin/sh -c #(nop)  ENV A=b")), "ENV A=b");
  EXPECT_EQ(Line(ParseCreatedBy("/bin/sh -c #(nop)  CMD [\"x\"]")), "CMD [\"x\"]");
  EXPECT_EQ(Line(ParseCreatedBy("/bin/sh -c #(nop) ADD file:abc in / ")), "ADD file:abc in /");
  EXPECT_EQ(Line(ParseCreatedBy("/bin/sh -c #(nop) COPY dir:0f in /app ")), "COPY dir:0f in /app");
  EXPECT_EQ(Line(ParseCreatedBy("/bin/sh -c #(nop) WORKDIR /srv")), "WORKDIR /srv");
  BuildStep step = ParseCreatedBy("/bin/sh -c #(nop)  LABEL a=b");
  EXPECT_EQ(step.original, "/bin/sh -c #(nop)  LABEL a=b");
  EXPECT_FALSE(step.buildkit);
}

TEST(ParseCreatedByTest, ClassicBuilderRun) {
  EXPECT_EQ(Line(ParseCreatedBy("/bin/sh -c apk add curl")), "RUN apk add curl");
  BuildStep step = ParseCreatedBy("|2 A=b C=d e /bin/sh -c make all");
  EXPECT_EQ(Line(step), "RUN make all");
  EXPECT_THAT(step.build_args, ElementsAre(Pair("A", "b"), Pair("C", "d e")));
  EXPECT_EQ(Line(ParseCreatedBy("cmd /S /C powershell -c x")), "RUN powershell -c x");
}

TEST(ParseCreatedByTest, BuildKitForms) {
  BuildStep run = ParseCreatedBy("RUN |2 A=b C=d /bin/sh -c echo \"$A\" # buildkit");
  EXPECT_EQ(Line(run), "RUN echo \"$A\"");
  EXPECT_THAT(run.build_args, ElementsAre(Pair("A", "b"), Pair("C", "d")));
  EXPECT_TRUE(run.buildkit);
  EXPECT_EQ(Line(ParseCreatedBy("RUN /bin/sh -c apt-get update # buildkit")), "RUN apt-get update");
  EXPECT_EQ(Line(ParseCreatedBy("RUN echo exec form # buildkit")), "RUN echo exec form");
  EXPECT_EQ(Line(ParseCreatedBy("COPY /src/app /usr/bin/app # buildkit")),
            "COPY /src/app /usr/bin/app");
  EXPECT_EQ(Line(ParseCreatedBy("ADD https://x/y.tgz /opt/ # buildkit")),
            "ADD https://x/y.tgz /opt/");
  for (absl::string_view line : {
           "WORKDIR /app",
           "ENV PATH=/usr/local/bin:/usr/bin",
           "LABEL org.opencontainers.image.source=https://x",
           "USER 65532:65532",
           "EXPOSE map[8080/tcp:{}]",
           "ENTRYPOINT [\"/app\"]",
           "CMD [\"serve\"]",
           "ARG VERSION=1.2",
           "HEALTHCHECK &{[\"CMD-SHELL\" \"curl -f localhost\"] \"30s\" \"5s\" \"0s\" \"0s\" "
           "'\\x03'}",
           "SHELL [/bin/bash -o pipefail -c]",
           "VOLUME [/data]",
           "ONBUILD RUN make",
           "STOPSIGNAL SIGQUIT",
       }) {
    EXPECT_EQ(Line(ParseCreatedBy(line)), line);
  }
  EXPECT_EQ(ParseCreatedBy("ONBUILD RUN make").instruction, "ONBUILD");
}

TEST(ParseCreatedByTest, UnknownTextStaysWhole) {
  BuildStep step = ParseCreatedBy("bazel build //app:image");
  EXPECT_EQ(step.instruction, "");
  EXPECT_EQ(step.arguments, "bazel build //app:image");
  EXPECT_EQ(ParseCreatedBy("").arguments, "");
  // A malformed build-argument prefix is kept rather than half-read.
  EXPECT_EQ(Line(ParseCreatedBy("|x A=b /bin/sh -c y")), "RUN |x A=b /bin/sh -c y");
}

TEST(RebuildHistoryTest, MapsLayersSkippingEmptyLayerEntries) {
  ImageConfig config;
  config.history = {
      {.created = "t0", .created_by = "/bin/sh -c #(nop) ADD file:a in / "},
      {.created_by = "/bin/sh -c #(nop)  CMD [\"sh\"]", .empty_layer = true},
      {.created_by = "/bin/sh -c apk add x", .author = "me", .comment = "c"},
  };
  BuildHistory history = RebuildHistory(config, 2);
  ASSERT_EQ(history.steps.size(), 3u);
  EXPECT_THAT(history.steps[0].layer_index, Optional(0u));
  EXPECT_EQ(history.steps[0].created, "t0");
  EXPECT_EQ(history.steps[1].layer_index, std::nullopt);
  EXPECT_TRUE(history.steps[1].empty_layer);
  EXPECT_THAT(history.steps[2].layer_index, Optional(1u));
  EXPECT_EQ(history.steps[2].author, "me");
  EXPECT_EQ(history.steps[2].comment, "c");
  EXPECT_TRUE(history.warnings.empty());
}

TEST(RebuildHistoryTest, ReportsALayerCountMismatch) {
  ImageConfig config;
  config.history = {{.created_by = "/bin/sh -c a"}, {.created_by = "/bin/sh -c b"}};
  BuildHistory fewer = RebuildHistory(config, 1);
  EXPECT_THAT(fewer.steps[0].layer_index, Optional(0u));
  EXPECT_EQ(fewer.steps[1].layer_index, std::nullopt);
  EXPECT_THAT(fewer.warnings, ElementsAre(HasSubstr("2 layer-making steps but the image has 1")));
  EXPECT_THAT(RebuildHistory(config, 3).warnings, ElementsAre(HasSubstr("has 3 layers")));
}

ImageConfig ReadConfig(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  auto config = ParseImageConfig(text.str(), {}, path);
  EXPECT_TRUE(config.ok()) << config.status();
  return config.ok() ? *config : ImageConfig();
}

std::vector<std::string> Lines(const BuildHistory& history) {
  std::vector<std::string> lines;
  for (const BuildStep& step : history.steps) lines.push_back(Line(step));
  return lines;
}

TEST(RebuildHistoryTest, DockleNginx) {
  BULWARK_SHARED_PATH_OR_SKIP(dir, "conformance/oci/dockle-image-configs");
  BuildHistory history = RebuildHistory(ReadConfig(dir + "/nginx.json"), 3);
  EXPECT_TRUE(history.warnings.empty());
  ASSERT_EQ(history.steps.size(), 11u);
  std::vector<std::string> lines = Lines(history);
  EXPECT_EQ(lines[0],
            "ADD file:fcb9328ea4c1156709f3d04c3d9a5f3667e77fb36a4a83390ae2495555fc0238 in /");
  EXPECT_EQ(lines[1], "CMD [\"bash\"]");
  EXPECT_EQ(lines[2], "LABEL maintainer=NGINX Docker Maintainers <docker-maint@nginx.com>");
  EXPECT_EQ(lines[3], "ENV NGINX_VERSION=1.17.0");
  EXPECT_THAT(lines[6], testing::StartsWith("RUN set -x     && addgroup --system"));
  EXPECT_EQ(lines[7],
            "RUN ln -sf /dev/stdout /var/log/nginx/access.log \t&& ln -sf /dev/stderr "
            "/var/log/nginx/error.log");
  EXPECT_EQ(lines[8], "EXPOSE 80");
  EXPECT_EQ(lines[9], "STOPSIGNAL SIGTERM");
  EXPECT_EQ(lines[10], "CMD [\"nginx\" \"-g\" \"daemon off;\"]");
  EXPECT_THAT(history.steps[0].layer_index, Optional(0u));
  EXPECT_THAT(history.steps[6].layer_index, Optional(1u));
  EXPECT_THAT(history.steps[7].layer_index, Optional(2u));
  EXPECT_EQ(history.steps[10].created, "2019-06-04T22:29:15.22271163Z");
}

TEST(RebuildHistoryTest, DockleBuildKitAndMismatch) {
  BULWARK_SHARED_PATH_OR_SKIP(dir, "conformance/oci/dockle-image-configs");
  BuildHistory add = RebuildHistory(ReadConfig(dir + "/add_with_arg_statement.json"), 2);
  EXPECT_TRUE(add.warnings.empty());
  EXPECT_THAT(Lines(add), ElementsAre("ARG RELEASE", "ARG LAUNCHPAD_BUILD_ARCH",
                                      "LABEL org.opencontainers.image.ref.name=ubuntu",
                                      "LABEL org.opencontainers.image.version=22.04",
                                      "ADD file:262490f82459c14632f5c9a6d6a5cf6c07b4f307e8fd380fa7"
                                      "64662cda46e88f in /",
                                      "CMD [\"/bin/bash\"]", "RUN echo \"hello\""));
  EXPECT_TRUE(add.steps[6].buildkit);
  EXPECT_THAT(add.steps[6].layer_index, Optional(1u));

  // multi_add.json (hand-made for dockle) has four layer-making steps and two diff_ids.
  BuildHistory multi = RebuildHistory(ReadConfig(dir + "/multi_add.json"), 2);
  EXPECT_THAT(multi.warnings, ElementsAre(HasSubstr("4 layer-making steps but the image has 2")));
  EXPECT_EQ(multi.steps[8].layer_index, std::nullopt);

  BuildHistory apt = RebuildHistory(ReadConfig(dir + "/apt_update_upgrade.json"), 2);
  EXPECT_THAT(Lines(apt).back(), "RUN apt-get update -y && apt-get upgrade -y && echo \"hello\"");
}

}  // namespace
}  // namespace bulwark::image
