#include "bulwark/image/sign/dsse.h"

#include <map>
#include <string>
#include <vector>

#include "absl/strings/escaping.h"
#include "bulwark/core/document.h"
#include "bulwark/core/file.h"
#include "bulwark/core/status_matchers.h"
#include "bulwark/core/testing/shared_testdata.h"
#include "bulwark/image/sign/intoto.h"
#include "gtest/gtest.h"

namespace bulwark::sign {
namespace {

using core::testing::IsOk;
using core::testing::StatusIs;
using ::testing::HasSubstr;

TEST(DsseTest, PreAuthEncodingCountsBytes) {
  EXPECT_EQ(PreAuthEncoding("http://example.com/HelloWorld", "hello world"),
            "DSSEv1 29 http://example.com/HelloWorld 11 hello world");
  EXPECT_EQ(PreAuthEncoding("", ""), "DSSEv1 0  0 ");
}

// secure-systems-lab/dsse test vectors: the PAE bytes, then accept/reject with the vector's
// trusted keys, threshold and supported payload types.
TEST(DsseTest, ProtocolVectors) {
  BULWARK_SHARED_PATH_OR_SKIP(path, "conformance/sig/dsse/testvectors/vectors.json");
  absl::StatusOr<core::Value> file = core::ParseJsonFile(path);
  ASSERT_THAT(file, IsOk());
  std::map<std::string, PublicKey> keys;
  for (const core::MapEntry& entry : file->Find("keys")->map_value()) {
    absl::StatusOr<PublicKey> key = PublicKey::FromRawEd25519(
        absl::HexStringToBytes(entry.value.Find("public")->string_value()));
    ASSERT_THAT(key, IsOk());
    keys.emplace(entry.key, *key);
  }
  int accepted = 0, rejected = 0;
  for (const core::Value& vector : file->Find("vectors")->list_value()) {
    const std::string id = vector.Find("id")->string_value();
    SCOPED_TRACE(id);
    absl::StatusOr<DsseEnvelope> envelope = DsseEnvelopeFromValue(*vector.Find("envelope"), id);
    ASSERT_THAT(envelope, IsOk());
    const bool accept = vector.Find("expect")->string_value() == "accept";
    // "pae" is what the signature covers; for accepted vectors that is the envelope's own PAE.
    if (accept) {
      EXPECT_EQ(absl::BytesToHexString(PreAuthEncoding(envelope->payload_type, envelope->payload)),
                vector.Find("pae")->string_value());
    }
    std::vector<PublicKey> trusted;
    for (const core::Value& name : vector.Find("trustedKeys")->list_value()) {
      trusted.push_back(keys.at(name.string_value()));
    }
    DsseVerifyOptions options;
    options.threshold = static_cast<int>(vector.Find("threshold")->int_value());
    for (const core::Value& type : vector.Find("supportedPayloadTypes")->list_value()) {
      options.supported_payload_types.push_back(type.string_value());
    }
    const absl::Status status = VerifyDsse(*envelope, trusted, options);
    if (accept) {
      EXPECT_THAT(status, IsOk());
      ++accepted;
    } else {
      EXPECT_THAT(status, StatusIs(absl::StatusCode::kPermissionDenied, HasSubstr("dsse:")));
      ++rejected;
    }
  }
  EXPECT_EQ(accepted, 6);
  EXPECT_EQ(rejected, 3);
}

TEST(DsseTest, MalformedEnvelopes) {
  EXPECT_THAT(ParseDsseEnvelope("{"), StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(ParseDsseEnvelope(R"({"payloadType":"x","signatures":[]})"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("payload")));
  EXPECT_THAT(ParseDsseEnvelope(R"({"payloadType":"x","payload":"!!","signatures":[]})"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("base64")));
  EXPECT_THAT(ParseDsseEnvelope(R"({"payloadType":"x","payload":"","signatures":[{}]})"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("signatures[0]")));
  absl::StatusOr<DsseEnvelope> empty =
      ParseDsseEnvelope(R"({"payloadType":"application/vnd.in-toto+json","payload":"",
                            "signatures":[]})");
  ASSERT_THAT(empty, IsOk());
  EXPECT_THAT(VerifyDsse(*empty, {}),
              StatusIs(absl::StatusCode::kPermissionDenied, HasSubstr("no signatures")));
}

std::string ReadShared(const std::string& path) {
  absl::StatusOr<std::string> text = core::ReadFileToString(path, 1 << 22);
  EXPECT_THAT(text, IsOk());
  return text.value_or("");
}

// slsa-verifier's legacy DSSE envelope (Statement v0.1, SLSA provenance v0.2).
TEST(InTotoTest, SlsaV02FromSlsaVerifierEnvelope) {
  BULWARK_SHARED_PATH_OR_SKIP(dir, "conformance/sig/slsa-verifier/cli/slsa-verifier/testdata");
  absl::StatusOr<DsseEnvelope> envelope =
      ParseDsseEnvelope(ReadShared(dir + "/binary-linux-amd64-untrusted-builder.intoto.jsonl"));
  ASSERT_THAT(envelope, IsOk());
  absl::StatusOr<Statement> statement = ParseStatement(envelope->payload);
  ASSERT_THAT(statement, IsOk());
  EXPECT_EQ(statement->type, kStatementV01);
  ASSERT_EQ(statement->subjects.size(), 1u);
  EXPECT_EQ(statement->subjects[0].name, "binary-linux-amd64");
  absl::StatusOr<core::Digest> digest = core::Digest::Parse(
      "sha256:b01c4f22b92c57fe1c94ba99b568e8d704bbf544882784b5b8c765fc32e627c4");
  ASSERT_THAT(digest, IsOk());
  EXPECT_THAT(MatchSubject(*statement, *digest), IsOk());
  EXPECT_THAT(MatchSubject(*statement, core::DigestBytes(core::DigestAlgorithm::kSha256, "x")),
              StatusIs(absl::StatusCode::kPermissionDenied, HasSubstr("binary-linux-amd64@")));
  absl::StatusOr<SlsaProvenance> slsa = ParseSlsaProvenance(*statement);
  ASSERT_THAT(slsa, IsOk());
  EXPECT_EQ(slsa->version, "v0.2");
  EXPECT_EQ(slsa->builder_id,
            "https://github.com/asraa/slsa-github-generator/.github/workflows/"
            "builder_go_slsa3.yml@refs/tags/v1.4.0");
  EXPECT_EQ(slsa->build_type, "https://github.com/slsa-framework/slsa-github-generator/go@v1");
  EXPECT_EQ(slsa->source_uri, "git+https://github.com/asraa/slsa-on-github-test@refs/heads/main");
  EXPECT_EQ(slsa->source_digest.at("sha1"), "d674cb41a5d97a117426ef18c6881b3185f4e33a");
  EXPECT_EQ(slsa->entry_point, ".github/workflows/go-builder.yml");
}

// The bcr bundle's DSSE payload (Statement v1, SLSA provenance v1), matched against the real
// MODULE.bazel next to it.
TEST(InTotoTest, SlsaV1FromBcrBundle) {
  BULWARK_SHARED_PATH_OR_SKIP(dir, "conformance/sig/slsa-verifier/cli/slsa-verifier/testdata/bcr");
  absl::StatusOr<core::Value> bundle =
      core::ParseJson(ReadShared(dir + "/MODULE.bazel.intoto.jsonl"));
  ASSERT_THAT(bundle, IsOk());
  absl::StatusOr<DsseEnvelope> envelope =
      DsseEnvelopeFromValue(*bundle->Find("dsseEnvelope"), "dsseEnvelope");
  ASSERT_THAT(envelope, IsOk());
  absl::StatusOr<Statement> statement = ParseStatement(envelope->payload);
  ASSERT_THAT(statement, IsOk());
  EXPECT_EQ(statement->type, kStatementV1);
  absl::StatusOr<core::Digest> artifact =
      core::DigestFile(dir + "/MODULE.bazel", core::DigestAlgorithm::kSha256);
  ASSERT_THAT(artifact, IsOk());
  EXPECT_THAT(MatchSubject(*statement, *artifact), IsOk());
  absl::StatusOr<SlsaProvenance> slsa = ParseSlsaProvenance(*statement);
  ASSERT_THAT(slsa, IsOk());
  EXPECT_EQ(slsa->version, "v1");
  EXPECT_EQ(slsa->build_type, "https://actions.github.io/buildtypes/workflow/v1");
  EXPECT_EQ(slsa->source_uri,
            "git+https://github.com/aspect-build/rules_lint@refs/heads/publish-to-bcr");
  EXPECT_EQ(slsa->source_digest.at("gitCommit"), "8f70009fde0c94ade6ce2a054b94718c819126ec");
  EXPECT_EQ(slsa->entry_point, ".github/workflows/release.yml");
  EXPECT_EQ(slsa->builder_id.rfind("https://github.com/bazel-contrib/publish-to-bcr/", 0), 0u);
}

TEST(InTotoTest, MalformedStatements) {
  EXPECT_THAT(ParseStatement(R"({"_type":"x","subject":[]})"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("_type")));
  EXPECT_THAT(ParseStatement(R"({"_type":"https://in-toto.io/Statement/v1","subject":[]})"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("subject")));
  EXPECT_THAT(ParseStatement(R"({"_type":"https://in-toto.io/Statement/v1",
                                 "subject":[{"name":"a"}]})"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("subject[0].digest")));
}

}  // namespace
}  // namespace bulwark::sign
