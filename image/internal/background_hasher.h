// A core::Hasher fed on a thread of its own, so that hashing a decompressed layer stream runs on
// the second core while the first decompresses (zstd decodes about as fast as SHA-256 hashes, so
// hashing on the decoding thread nearly doubled the walk time).
//   BackgroundHasher hasher(core::DigestAlgorithm::kSha256);
//   hasher.Update(chunk);  ...;  core::Digest digest = hasher.Finish();
// Update copies the data and returns at once unless kMaxPendingBytes are already waiting, which
// bounds memory. Thread safety: Update and Finish are called by one thread (the producer).
#ifndef BULWARK_IMAGE_INTERNAL_BACKGROUND_HASHER_H_
#define BULWARK_IMAGE_INTERNAL_BACKGROUND_HASHER_H_

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <mutex>
#include <string>
#include <thread>

#include "absl/strings/string_view.h"
#include "bulwark/core/digest.h"

namespace bulwark::image::internal {

class BackgroundHasher {
 public:
  explicit BackgroundHasher(core::DigestAlgorithm algorithm);
  BackgroundHasher(const BackgroundHasher&) = delete;
  BackgroundHasher& operator=(const BackgroundHasher&) = delete;
  // Stops the worker; pending data is dropped when Finish() was not called.
  ~BackgroundHasher();

  // Queues a copy of `data`.
  void Update(absl::string_view data);
  // Waits for everything queued and returns the digest. Call once.
  core::Digest Finish();

 private:
  static constexpr size_t kMaxPendingBytes = size_t{8} << 20;

  void Run();

  core::Hasher hasher_;  // Used by the worker only (and by Finish after the join).
  // std::mutex rather than absl::Mutex: Debian's Abseil is not built for ThreadSanitizer, which
  // then cannot see its synchronisation; the pthread-based std types are intercepted.
  std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<std::string> pending_;  // Guarded by mutex_, as are the two below.
  size_t pending_bytes_ = 0;
  bool closing_ = false;
  std::thread worker_;
};

}  // namespace bulwark::image::internal

#endif  // BULWARK_IMAGE_INTERNAL_BACKGROUND_HASHER_H_
