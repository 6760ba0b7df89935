// The fanotify record walk over buffers built here in the kernel's layout, with descriptors of
// real files: records in order with their paths, descriptors closed unless released, FAN_NOFD
// skipped, and truncated, undersized or foreign-version records rejected without touching the
// descriptors they name.
#include "bulwark/runtime/internal/fanotify_records.h"

#include <fcntl.h>
#include <sys/fanotify.h>
#include <unistd.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/types/span.h"
#include "bulwark/core/status_matchers.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace bulwark::runtime::internal {
namespace {

using ::bulwark::core::testing::IsOk;
using ::bulwark::core::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

struct Seen {
  int fd;
  int64_t pid;
  uint64_t mask;
  std::string path;
  bool operator==(const Seen&) const = default;
};

bool IsOpen(int fd) { return fcntl(fd, F_GETFD) != -1; }

class FanotifyRecordsTest : public ::testing::Test {
 protected:
  // A descriptor open on a new file named `name`; closed at the end unless the walk closed it.
  int OpenFile(const std::string& name) {
    const std::string path = (std::filesystem::path(::testing::TempDir()) / name).string();
    std::ofstream(path) << name;
    const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
    EXPECT_GE(fd, 0) << path;
    paths_.push_back(path);
    return fd;
  }
  std::string PathOf(size_t i) const { return paths_[i]; }

  // Appends one record: fanotify_event_metadata followed by `extra` bytes of information.
  void Append(int fd, int32_t pid, uint64_t mask, size_t extra = 0) {
    fanotify_event_metadata event{};
    event.event_len = static_cast<uint32_t>(sizeof(event) + extra);
    event.vers = FANOTIFY_METADATA_VERSION;
    event.metadata_len = sizeof(event);
    event.mask = mask;
    event.fd = fd;
    event.pid = pid;
    AppendRaw(event);
    buffer_.resize(buffer_.size() + extra, '\x7f');
  }
  void AppendRaw(const fanotify_event_metadata& event) {
    const char* bytes = reinterpret_cast<const char*>(&event);
    buffer_.insert(buffer_.end(), bytes, bytes + sizeof(event));
  }

  // Walks buffer_, closing nothing the visitor keeps: the records seen.
  absl::Status Walk(std::vector<Seen>* seen) {
    return ForEachFanotifyRecord(absl::MakeConstSpan(buffer_), [&](FanotifyRecord record) {
      seen->push_back({record.fd(), record.pid(), record.mask(), record.path()});
    });
  }

  std::vector<char> buffer_;
  std::vector<std::string> paths_;
};

TEST_F(FanotifyRecordsTest, VisitsRecordsInOrderWithPathsAndClosesTheirDescriptors) {
  const int first = OpenFile("first.txt");
  const int second = OpenFile("second.txt");
  Append(first, 41, FAN_OPEN);
  Append(second, 42, FAN_MODIFY | FAN_CLOSE_WRITE, /*extra=*/16);  // Info records follow.
  std::vector<Seen> seen;
  ASSERT_THAT(Walk(&seen), IsOk());
  EXPECT_THAT(seen, ElementsAre(Seen{first, 41, FAN_OPEN, PathOf(0)},
                                Seen{second, 42, FAN_MODIFY | FAN_CLOSE_WRITE, PathOf(1)}));
  EXPECT_FALSE(IsOpen(first));
  EXPECT_FALSE(IsOpen(second));
}

TEST_F(FanotifyRecordsTest, AReleasedDescriptorStaysOpenForTheResponse) {
  const int fd = OpenFile("held.txt");
  Append(fd, 7, FAN_OPEN_PERM);
  int released = -1;
  ASSERT_THAT(ForEachFanotifyRecord(absl::MakeConstSpan(buffer_),
                                    [&](FanotifyRecord record) {
                                      FanotifyRecord moved = std::move(record);
                                      EXPECT_EQ(record.fd(), -1);  // NOLINT: moved from.
                                      released = moved.ReleaseFd();
                                      EXPECT_EQ(moved.fd(), -1);
                                    }),
              IsOk());
  EXPECT_EQ(released, fd);
  EXPECT_TRUE(IsOpen(fd));
  close(fd);
}

TEST_F(FanotifyRecordsTest, SkipsOverflowRecordsWithoutADescriptor) {
  const int fd = OpenFile("after_overflow.txt");
  Append(FAN_NOFD, 0, FAN_Q_OVERFLOW);
  Append(fd, 9, FAN_OPEN);
  std::vector<Seen> seen;
  ASSERT_THAT(Walk(&seen), IsOk());
  EXPECT_THAT(seen, ElementsAre(Seen{fd, 9, FAN_OPEN, PathOf(0)}));
}

TEST_F(FanotifyRecordsTest, EmptyBufferHasNoRecords) {
  std::vector<Seen> seen;
  EXPECT_THAT(Walk(&seen), IsOk());
  EXPECT_TRUE(seen.empty());
}

TEST_F(FanotifyRecordsTest, TruncatedTailStopsAfterTheWholeRecords) {
  const int fd = OpenFile("whole.txt");
  Append(fd, 5, FAN_OPEN);
  buffer_.resize(buffer_.size() + 10, '\0');  // A record cut after 10 bytes.
  std::vector<Seen> seen;
  EXPECT_THAT(Walk(&seen), StatusIs(absl::StatusCode::kDataLoss,
                                    HasSubstr("10 bytes left at offset 24, a record needs 24")));
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].path, PathOf(0));
}

TEST_F(FanotifyRecordsTest, RecordLongerThanTheBufferIsRejectedAndItsDescriptorLeftAlone) {
  const int fd = OpenFile("cut.txt");
  Append(fd, 5, FAN_OPEN, /*extra=*/32);
  buffer_.resize(buffer_.size() - 8);  // event_len says 56, 48 bytes are there.
  std::vector<Seen> seen;
  EXPECT_THAT(Walk(&seen), StatusIs(absl::StatusCode::kDataLoss,
                                    HasSubstr("record at offset 0 has event_len 56 (at least 24, "
                                              "at most 48)")));
  EXPECT_TRUE(seen.empty());
  EXPECT_TRUE(IsOpen(fd));
  close(fd);
}

TEST_F(FanotifyRecordsTest, EventLenSmallerThanTheMetadataIsRejectedNotLoopedOn) {
  const int fd = OpenFile("small.txt");
  for (const uint32_t event_len :
       {0u, 8u, static_cast<uint32_t>(sizeof(fanotify_event_metadata) - 1)}) {
    buffer_.clear();
    Append(fd, 5, FAN_OPEN);  // A well-formed record first.
    fanotify_event_metadata bad{};
    bad.event_len = event_len;
    bad.vers = FANOTIFY_METADATA_VERSION;
    bad.metadata_len = sizeof(bad);
    bad.fd = fd;
    AppendRaw(bad);
    std::vector<Seen> seen;
    const absl::Status status =
        ForEachFanotifyRecord(absl::MakeConstSpan(buffer_), [&](FanotifyRecord record) {
          seen.push_back({record.fd(), record.pid(), record.mask(), record.path()});
          record.ReleaseFd();  // Same descriptor in both records: keep it for the second.
        });
    EXPECT_THAT(status, StatusIs(absl::StatusCode::kDataLoss,
                                 HasSubstr(absl::StrCat("record at offset 24 has event_len ",
                                                        event_len, " (at least 24"))));
    EXPECT_EQ(seen.size(), 1u);
    EXPECT_TRUE(IsOpen(fd));
  }
  close(fd);
}

TEST_F(FanotifyRecordsTest, ForeignMetadataVersionIsRejectedAndItsDescriptorLeftAlone) {
  const int fd = OpenFile("future.txt");
  fanotify_event_metadata event{};
  event.event_len = sizeof(event);
  event.vers = FANOTIFY_METADATA_VERSION + 1;
  event.metadata_len = sizeof(event);
  event.mask = FAN_OPEN;
  event.fd = fd;
  AppendRaw(event);
  std::vector<Seen> seen;
  EXPECT_THAT(Walk(&seen),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr(absl::StrCat("metadata version ", FANOTIFY_METADATA_VERSION + 1,
                                              " at offset 0"))));
  EXPECT_TRUE(seen.empty());
  EXPECT_TRUE(IsOpen(fd));
  close(fd);
}

TEST_F(FanotifyRecordsTest, ADescriptorThatIsNotOpenGivesAnEmptyPath) {
  int fds[2];
  ASSERT_EQ(pipe(fds), 0);
  close(fds[0]);
  close(fds[1]);  // Both numbers are free now.
  Append(fds[0], 3, FAN_OPEN);
  std::vector<Seen> seen;
  ASSERT_THAT(Walk(&seen), IsOk());
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].path, "");
}

}  // namespace
}  // namespace bulwark::runtime::internal
