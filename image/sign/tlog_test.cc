#include "bulwark/image/sign/tlog.h"

#include <string>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "bulwark/core/digest.h"
#include "bulwark/core/document.h"
#include "bulwark/core/status_matchers.h"
#include "bulwark/image/sign/internal/canonical_json.h"
#include "gtest/gtest.h"

namespace bulwark::sign {
namespace {

using core::testing::IsOk;
using core::testing::StatusIs;
using ::testing::HasSubstr;

std::string Sha256(const std::string& data) {
  return core::DigestBytes(core::DigestAlgorithm::kSha256, data).bytes();
}
std::string Leaf(const std::string& data) { return Sha256(std::string(1, '\0') + data); }
std::string Node(const std::string& l, const std::string& r) {
  return Sha256(std::string(1, '\x01') + l + r);
}

// RFC 6962 section 2.1.3's 7-leaf example tree: leaf d (index 3) is proven by c, g, l.
class InclusionProofTest : public ::testing::Test {
 protected:
  void SetUp() override {
    for (const char* name : {"a", "b", "c", "d", "e", "f", "g"}) leaves_.push_back(Leaf(name));
    const std::string g = Node(leaves_[0], leaves_[1]);
    const std::string h = Node(leaves_[2], leaves_[3]);
    const std::string i = Node(leaves_[4], leaves_[5]);
    const std::string k = Node(g, h);
    const std::string l = Node(i, leaves_[6]);
    root_ = Node(k, l);
    key_ = *PrivateKey::Generate(KeyAlgorithm::kEd25519);
    log_ = LogKeyFromPublicKey(key_->public_key());
    proof_.log_index = 3;
    proof_.tree_size = 7;
    proof_.root_hash = root_;
    proof_.hashes = {leaves_[2], g, l};
    proof_.checkpoint = SignedCheckpoint("log.example", 7, root_);
  }

  std::string SignedCheckpoint(const std::string& origin, int64_t size, const std::string& root) {
    const std::string body = absl::StrCat(origin, "\n", size, "\n", absl::Base64Escape(root), "\n");
    const std::string spki = key_->public_key().SpkiDer();
    const std::string hint =
        Sha256(absl::StrCat(origin, "\n", std::string(1, '\x01'), spki.substr(spki.size() - 32)))
            .substr(0, 4);
    const std::string signature = *key_->Sign(body, key_->public_key().DefaultParams());
    return absl::StrCat(body, "\n\xe2\x80\x94 ", origin, " ", absl::Base64Escape(hint + signature),
                        "\n");
  }

  std::vector<std::string> leaves_;
  std::string root_;
  std::optional<PrivateKey> key_;
  std::optional<TransparencyLogKey> log_;
  InclusionProof proof_;
};

TEST_F(InclusionProofTest, VerifiesTheRfc6962Example) {
  EXPECT_THAT(VerifyInclusionProof("d", proof_, {*log_}), IsOk());
}

TEST_F(InclusionProofTest, EachTamperingFails) {
  EXPECT_THAT(VerifyInclusionProof("x", proof_, {*log_}),
              StatusIs(absl::StatusCode::kPermissionDenied, HasSubstr("root hash")));
  InclusionProof short_proof = proof_;
  short_proof.hashes.pop_back();
  EXPECT_THAT(VerifyInclusionProof("d", short_proof, {*log_}),
              StatusIs(absl::StatusCode::kPermissionDenied, HasSubstr("too few hashes")));
  InclusionProof out_of_range = proof_;
  out_of_range.log_index = 7;
  EXPECT_THAT(VerifyInclusionProof("d", out_of_range, {*log_}),
              StatusIs(absl::StatusCode::kPermissionDenied, HasSubstr("outside tree")));
  InclusionProof other_size = proof_;
  other_size.checkpoint = SignedCheckpoint("log.example", 8, root_);
  EXPECT_THAT(VerifyInclusionProof("d", other_size, {*log_}),
              StatusIs(absl::StatusCode::kPermissionDenied, HasSubstr("does not commit")));
  TransparencyLogKey other =
      LogKeyFromPublicKey(PrivateKey::Generate(KeyAlgorithm::kEd25519)->public_key());
  EXPECT_THAT(VerifyInclusionProof("d", proof_, {other}),
              StatusIs(absl::StatusCode::kPermissionDenied, HasSubstr("no valid signature")));
}

TEST(CheckpointTest, MalformedNotes) {
  EXPECT_THAT(ParseCheckpoint("origin\n1\n"), StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(ParseCheckpoint("origin\nx\nAAAA\n\n"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("line 2")));
  EXPECT_THAT(ParseCheckpoint("origin\n1\nAAAA\n\n"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("line 3")));
  EXPECT_THAT(ParseCheckpoint(absl::StrCat("origin\n1\n", absl::Base64Escape(std::string(32, 'r')),
                                           "\n\nno dash\n")),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("not a signature line")));
}

TEST(SignedEntryTimestampTest, SignsTheCanonicalEntry) {
  PrivateKey key = *PrivateKey::Generate(KeyAlgorithm::kEcdsaP256);
  TransparencyLogKey log = LogKeyFromPublicKey(key.public_key());
  RekorEntry entry;
  entry.body = R"({"kind":"hashedrekord"})";
  entry.integrated_time = 1700000000;
  entry.log_index = 42;
  entry.log_id = log.log_id;
  // The canonical form written out by hand, as Rekor signs it.
  const std::string canonical = absl::StrCat(
      R"({"body":")", absl::Base64Escape(entry.body), R"(","integratedTime":1700000000,"logID":")",
      absl::BytesToHexString(log.log_id), R"(","logIndex":42})");
  entry.signed_entry_timestamp = *key.Sign(canonical, key.public_key().DefaultParams());
  EXPECT_THAT(VerifySignedEntryTimestamp(entry, {log}), IsOk());
  entry.log_index = 43;
  EXPECT_THAT(VerifySignedEntryTimestamp(entry, {log}),
              StatusIs(absl::StatusCode::kPermissionDenied, HasSubstr("does not verify")));
  log.valid_until = absl::FromUnixSeconds(1600000000);
  entry.log_index = 42;
  EXPECT_THAT(VerifySignedEntryTimestamp(entry, {log}),
              StatusIs(absl::StatusCode::kPermissionDenied, HasSubstr("not valid")));
}

// RFC 8785 appendix examples: member order by UTF-16 code units, ECMAScript numbers, escapes.
TEST(CanonicalJsonTest, Rfc8785Examples) {
  absl::StatusOr<core::Value> sorting = core::ParseJson(
      R"({"\u20ac":"Euro Sign","\r":"Carriage Return","\ufb33":"Hebrew Letter Dalet With Dagesh","1":"One","\ud83d\ude00":"Emoji: Grinning Face","\u0080":"Control","\u00f6":"Latin Small Letter O With Diaeresis"})");
  ASSERT_THAT(sorting, IsOk());
  absl::StatusOr<std::string> sorted = internal::CanonicalJson(*sorting);
  ASSERT_THAT(sorted, IsOk());
  EXPECT_EQ(*sorted,
            "{\"\\r\":\"Carriage Return\",\"1\":\"One\",\"\xc2\x80\":\"Control\",\"\xc3\xb6\":"
            "\"Latin Small Letter O With Diaeresis\",\"\xe2\x82\xac\":\"Euro Sign\","
            "\"\xf0\x9f\x98\x80\":\"Emoji: Grinning Face\",\"\xef\xac\xb3\":"
            "\"Hebrew Letter Dalet With Dagesh\"}");
  absl::StatusOr<core::Value> numbers = core::ParseJson(
      R"({"numbers":[333333333.33333329,1E30,4.50,2e-3,0.000000000000000000000000001,-0.0],)"
      R"("string":"\u20ac$\u000F\u000aA'\u0042\u0022\u005c\\\"\/","literals":[null,true,false]})");
  ASSERT_THAT(numbers, IsOk());
  absl::StatusOr<std::string> canonical = internal::CanonicalJson(*numbers);
  ASSERT_THAT(canonical, IsOk());
  EXPECT_EQ(*canonical,
            "{\"literals\":[null,true,false],\"numbers\":[333333333.3333333,1e+30,4.5,0.002,1e-27,"
            "0],\"string\":\"\xe2\x82\xac$\\u000f\\nA'B\\\"\\\\\\\\\\\"/\"}");
}

}  // namespace
}  // namespace bulwark::sign
