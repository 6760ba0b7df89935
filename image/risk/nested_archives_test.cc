#include "bulwark/image/risk/nested_archives.h"

#include <archive.h>
#include <archive_entry.h>

#include <string>
#include <utility>
#include <vector>

#include "bulwark/core/status_matchers.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace bulwark::image {
namespace {

using ::bulwark::core::testing::IsOk;
using ::bulwark::core::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Pair;

enum class Kind { kZip, kTarGz, kGzipRaw };

// Writes an archive with libarchive's writer (the reader under test is the same library's, but
// the formats are standard and the bytes are checked by magic below).
std::string MakeArchive(Kind kind, const std::vector<std::pair<std::string, std::string>>& files) {
  archive* writer = archive_write_new();
  switch (kind) {
    case Kind::kZip:
      archive_write_set_format_zip(writer);
      break;
    case Kind::kTarGz:
      archive_write_set_format_pax_restricted(writer);
      archive_write_add_filter_gzip(writer);
      break;
    case Kind::kGzipRaw:
      archive_write_set_format_raw(writer);
      archive_write_add_filter_gzip(writer);
      break;
  }
  std::string buffer(1 << 20, '\0');
  size_t used = 0;
  EXPECT_EQ(archive_write_open_memory(writer, buffer.data(), buffer.size(), &used), ARCHIVE_OK);
  for (const auto& [name, content] : files) {
    archive_entry* entry = archive_entry_new();
    archive_entry_set_pathname(entry, name.c_str());
    archive_entry_set_filetype(entry, AE_IFREG);
    archive_entry_set_perm(entry, 0644);
    archive_entry_set_size(entry, static_cast<la_int64_t>(content.size()));
    EXPECT_EQ(archive_write_header(writer, entry), ARCHIVE_OK) << archive_error_string(writer);
    EXPECT_EQ(archive_write_data(writer, content.data(), content.size()),
              static_cast<la_ssize_t>(content.size()));
    archive_entry_free(entry);
  }
  archive_write_close(writer);
  archive_write_free(writer);
  buffer.resize(used);
  return buffer;
}

std::vector<std::pair<std::string, std::string>> Members(absl::string_view content,
                                                         absl::string_view path,
                                                         const NestedArchiveLimits& limits = {},
                                                         absl::Status* status = nullptr) {
  std::vector<std::pair<std::string, std::string>> members;
  absl::Status result = ForEachArchiveMember(content, path, limits,
                                             [&](const std::string& name, absl::string_view c) {
                                               members.emplace_back(name, std::string(c));
                                               return absl::OkStatus();
                                             });
  if (status != nullptr) {
    *status = result;
  } else {
    EXPECT_THAT(result, IsOk());
  }
  return members;
}

TEST(NestedArchives, NamesAndMagic) {
  EXPECT_TRUE(IsArchiveName("app/lib/x.JAR"));
  EXPECT_TRUE(IsArchiveName("srv/a.tar.gz"));
  EXPECT_FALSE(IsArchiveName("etc/passwd"));
  EXPECT_TRUE(LooksLikeArchive(MakeArchive(Kind::kZip, {{"a", "b"}})));
  EXPECT_TRUE(LooksLikeArchive(MakeArchive(Kind::kTarGz, {{"a", "b"}})));
  EXPECT_FALSE(LooksLikeArchive("PK"));
  EXPECT_FALSE(LooksLikeArchive("plain text"));
}

TEST(NestedArchives, NestedJarInZipAndTarGz) {
  const std::string inner = MakeArchive(Kind::kZip, {{"config/app.properties", "token=abc"}});
  const std::string outer =
      MakeArchive(Kind::kZip, {{"README", "hello"}, {"lib/inner.jar", inner}});
  EXPECT_THAT(
      Members(outer, "app/app.war"),
      ElementsAre(Pair("app/app.war!/README", "hello"), Pair("app/app.war!/lib/inner.jar", inner),
                  Pair("app/app.war!/lib/inner.jar!/config/app.properties", "token=abc")));
  const std::string tgz = MakeArchive(Kind::kTarGz, {{"etc/x.conf", "k=v"}, {"in.zip", outer}});
  EXPECT_EQ(Members(tgz, "a.tgz").size(), 5u);
  // Depth 1: only the members of the file itself.
  NestedArchiveLimits shallow;
  shallow.max_depth = 1;
  EXPECT_EQ(Members(tgz, "a.tgz", shallow).size(), 2u);
  shallow.max_depth = 0;
  EXPECT_TRUE(Members(tgz, "a.tgz", shallow).empty());
}

TEST(NestedArchives, CompressedSingleFile) {
  EXPECT_THAT(Members(MakeArchive(Kind::kGzipRaw, {{"data", "x=1\n"}}), "etc/conf.gz"),
              ElementsAre(Pair("etc/conf.gz!/data", "x=1\n")));
}

TEST(NestedArchives, CapsAndCorruption) {
  const std::string big(100'000, 'a');  // Compresses to a few hundred bytes.
  const std::string zip = MakeArchive(Kind::kZip, {{"small", "s"}, {"big", big}});
  NestedArchiveLimits limits;
  limits.max_member_bytes = 1000;
  EXPECT_THAT(Members(zip, "z.zip", limits), ElementsAre(Pair("z.zip!/small", "s")));

  limits = {};
  limits.max_total_bytes = 50'000;
  absl::Status status;
  Members(zip, "z.zip", limits, &status);
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kResourceExhausted, HasSubstr("max_total_bytes")));

  limits = {};
  limits.max_members = 1;
  Members(zip, "z.zip", limits, &status);
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kResourceExhausted, HasSubstr("max_members")));

  std::string truncated = MakeArchive(Kind::kTarGz, {{"a", std::string(70'000, 'q')}});
  truncated.resize(truncated.size() / 2);
  Members(truncated, "t.tar.gz", {}, &status);
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kDataLoss, HasSubstr("t.tar.gz")));
}

}  // namespace
}  // namespace bulwark::image
