#include "bulwark/image/risk/dockerfile.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "bulwark/core/status_matchers.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace bulwark::image {
namespace {

using ::bulwark::core::testing::IsOk;
using ::bulwark::core::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::UnorderedElementsAre;

std::vector<std::string> Risks(const std::string& text) {
  absl::StatusOr<Dockerfile> file = ParseDockerfile(text, "Dockerfile");
  EXPECT_THAT(file, IsOk());
  std::vector<std::string> out;
  if (!file.ok()) return out;
  for (const BuildRisk& risk : CheckDockerfile(*file)) {
    out.push_back(absl::StrCat(risk.rule->id, " ", risk.source, " ", risk.detail));
  }
  return out;
}

TEST(DockerfileTest, ContinuationsCommentsAndJsonForm) {
  absl::StatusOr<Dockerfile> file = ParseDockerfile(
      "# syntax=docker/dockerfile:1\n"
      "FROM debian:12 AS base\n"
      "RUN apt-get update \\\n"
      "  # a comment inside the continuation\n"
      "  && apt-get install -y --no-install-recommends curl=7.88.1-10 \\\n"
      "  && rm -rf /var/lib/apt/lists/*\n"
      "\n"
      "CMD [\"node\", \"server.js\"]\n"
      "RUN [\"sh\", \"-c\", \"echo hi\"]\n",
      "Dockerfile");
  ASSERT_THAT(file, IsOk());
  ASSERT_EQ(file->instructions.size(), 4u);
  EXPECT_EQ(file->instructions[1].keyword, "RUN");
  EXPECT_EQ(file->instructions[1].source, "Dockerfile:3");
  EXPECT_EQ(file->instructions[1].arguments,
            "apt-get update  && apt-get install -y --no-install-recommends curl=7.88.1-10  "
            "&& rm -rf /var/lib/apt/lists/*");
  EXPECT_EQ(file->instructions[2].arguments, "node server.js");
  EXPECT_EQ(file->instructions[3].arguments, "sh -c echo hi");
  EXPECT_THAT(file->stage_names, ElementsAre("base"));
}

TEST(DockerfileTest, EscapeDirectiveAndHeredoc) {
  absl::StatusOr<Dockerfile> file = ParseDockerfile(
      "# escape=`\n"
      "FROM mcr.microsoft.com/windows/servercore:ltsc2022\n"
      "RUN echo a `\n"
      "    b\n"
      "RUN <<EOF\n"
      "curl -fsSL https://get.example.com | sh\n"
      "EOF\n",
      "Dockerfile");
  ASSERT_THAT(file, IsOk());
  ASSERT_EQ(file->instructions.size(), 3u);
  EXPECT_EQ(file->instructions[1].arguments, "echo a  b");
  EXPECT_EQ(file->instructions[2].arguments, "<<EOF\ncurl -fsSL https://get.example.com | sh\n");
  std::vector<std::string> ids;
  for (const BuildRisk& risk : CheckDockerfile(*file)) ids.push_back(risk.rule->id);
  EXPECT_THAT(ids, UnorderedElementsAre("BWK-DF-004", "BWK-DF-001", "BWK-DF-012"));
}

TEST(DockerfileTest, RulesOverAMultiStageFile) {
  EXPECT_THAT(
      Risks("ARG BASE=node\n"
            "FROM ${BASE} AS build\n"
            "ARG NPM_TOKEN=abc123\n"
            "RUN --mount=type=cache,target=/root/.npm npm install express\n"
            "FROM build AS test\n"
            "FROM scratch\n"
            "FROM debian:12@sha256:0123\n"
            "ADD https://example.com/x.tgz /opt/\n"
            "RUN sudo chmod 777 /opt\n"
            "EXPOSE 22 8080\n"
            "USER app\n"
            "HEALTHCHECK CMD curl -f http://localhost/ || exit 1\n"),
      UnorderedElementsAre(
          "BWK-DF-002 Dockerfile:2 FROM node", "BWK-DF-010 Dockerfile:3 ARG NPM_TOKEN",
          "BWK-DF-005 Dockerfile:4 npm: express",
          "BWK-DF-003 Dockerfile:8 https://example.com/x.tgz", "BWK-DF-008 Dockerfile:9 sudo",
          "BWK-DF-009 Dockerfile:9 chmod 777", "BWK-DF-011 Dockerfile 22/tcp"));
}

TEST(DockerfileTest, FinalStageDecidesUserAndHealthcheck) {
  EXPECT_THAT(Risks("FROM alpine:3.19\nUSER app\nHEALTHCHECK CMD true\nFROM alpine:3.19\n"),
              UnorderedElementsAre("BWK-DF-001 Dockerfile no USER", "BWK-DF-012 Dockerfile "));
  EXPECT_THAT(Risks("FROM alpine:latest\nUSER root\nHEALTHCHECK NONE\n"),
              UnorderedElementsAre("BWK-DF-002 Dockerfile:1 FROM alpine:latest",
                                   "BWK-DF-001 Dockerfile USER root", "BWK-DF-012 Dockerfile "));
}

TEST(DockerfileTest, Errors) {
  EXPECT_THAT(
      ParseDockerfile("RUN ls\nFROM x\n", "D"),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("D:1: RUN before the first FROM")));
  EXPECT_THAT(ParseDockerfile("FROM x\nRUN <<EOF\nls\n", "D"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("D:2: heredoc <<EOF")));
  EXPECT_THAT(ParseDockerfile("# only a comment\n", "D"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("no FROM")));
  core::Limits limits;
  limits.max_file_bytes = 4;
  EXPECT_THAT(ParseDockerfile("FROM x\n", "D", limits),
              StatusIs(absl::StatusCode::kResourceExhausted));
}

}  // namespace
}  // namespace bulwark::image
