#include "bulwark/runtime/event_source.h"

#include "bulwark/core/status_matchers.h"
#include "bulwark/runtime/event_types.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace bulwark::runtime {
namespace {

using ::bulwark::core::testing::IsOk;
using ::bulwark::core::testing::StatusIs;
using ::testing::HasSubstr;

TEST(EventSourceTest, ReadsJsonLinesRoundTrip) {
  const char* text =
      "{\"timestampNs\":\"1700000000000000000\",\"type\":\"EVENT_TYPE_OPENAT\",\"pid\":\"7\","
      "\"result\":\"3\",\"file\":{\"path\":\"/etc/shadow\",\"flags\":0}}\n"
      "\n"
      "{\"type\":\"EVENT_TYPE_CONNECT\",\"pid\":\"7\",\"fd\":{\"type\":\"FD_TYPE_IPV4\","
      "\"serverIp\":\"10.0.0.1\",\"serverPort\":443}}\r\n";
  std::vector<v1::Event> events;
  ASSERT_THAT(ReadEventLines(text, "events.jsonl", {},
                             [&](v1::Event&& e) {
                               events.push_back(e);
                               return absl::OkStatus();
                             }),
              IsOk());
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(EventTypeName(events[0].type()), "openat");
  EXPECT_EQ(events[0].file().path(), "/etc/shadow");
  EXPECT_EQ(events[1].fd().server_port(), 443u);
  absl::StatusOr<v1::Event> again = ParseEventJson(EventToJsonLine(events[0]));
  ASSERT_THAT(again, IsOk());
  EXPECT_EQ(again->SerializeAsString(), events[0].SerializeAsString());
}

TEST(EventSourceTest, ErrorsNameTheLine) {
  auto ignore = [](v1::Event&&) { return absl::OkStatus(); };
  EXPECT_THAT(ReadEventLines("{}\n{\"nope\":1}\n", "e.jsonl", {}, ignore),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("e.jsonl:2: invalid event")));
  EXPECT_THAT(ReadEventLines("{\"pid\":", "e.jsonl", {}, ignore),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("e.jsonl:1")));
  core::Limits limits;
  limits.max_entries = 1;
  EXPECT_THAT(ReadEventLines("{}\n{}\n", "e.jsonl", limits, ignore),
              StatusIs(absl::StatusCode::kResourceExhausted, HasSubstr("max_entries")));
  limits = {};
  limits.max_file_bytes = 4;
  EXPECT_THAT(ReadEventLines("{\"pid\":1}\n", "e.jsonl", limits, ignore),
              StatusIs(absl::StatusCode::kResourceExhausted, HasSubstr("max_file_bytes")));
}

TEST(EventTypesTest, NamesComeFromTheSchema) {
  EXPECT_EQ(EventTypeName(v1::EVENT_TYPE_PERF_EVENT_OPEN), "perf_event_open");
  EXPECT_EQ(EventTypeFromName("execveat"), v1::EVENT_TYPE_EXECVEAT);
  EXPECT_FALSE(EventTypeFromName("unspecified").has_value());
  EXPECT_FALSE(EventTypeFromName("bogus").has_value());
}

}  // namespace
}  // namespace bulwark::runtime
