// Runs a BlobDecoder on a worker thread, at most kMaxQueuedChunks chunks (4 MiB) ahead of the
// consumer, so that decompression of a layer overlaps the hashing, tar parsing and visitors that
// consume it on the caller's thread. The consumer sees exactly the chunks, and the error at the
// same point, that the decoder would give inline.
//   BackgroundDecoder decoder(std::move(blob_decoder));
//   BULWARK_ASSIGN_OR_RETURN(BlobChunk chunk, decoder.Next());
// Thread safety: Next() and Recycle() are called by one consumer thread; the decoder (and the
// BlobReader under it) is used only by the worker until the destructor joins it.
#ifndef BULWARK_IMAGE_INTERNAL_BACKGROUND_DECODER_H_
#define BULWARK_IMAGE_INTERNAL_BACKGROUND_DECODER_H_

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <memory>
#include <mutex>
#include <thread>

#include "absl/status/statusor.h"
#include "bulwark/image/internal/blob_decoder.h"

namespace bulwark::image::internal {

class BackgroundDecoder : public BlobChunkSource {
 public:
  // Starts the worker at once.
  explicit BackgroundDecoder(std::unique_ptr<BlobDecoder> decoder);
  // Stops the worker (waiting for its current chunk) and drops what it queued.
  ~BackgroundDecoder() override;
  BackgroundDecoder(const BackgroundDecoder&) = delete;
  BackgroundDecoder& operator=(const BackgroundDecoder&) = delete;

  // Waits for the next chunk.
  absl::StatusOr<BlobChunk> Next() override;
  void Recycle(BlobChunk chunk) override;

  static constexpr size_t kMaxQueuedChunks = 16;
  // A side that had to wait is woken only when the queue is half full (consumer) or half empty
  // (producer), not per chunk: on a busy machine every wake-up costs a trip through the
  // scheduler, which made a per-chunk hand-off slower than decoding on one thread.
  static constexpr size_t kWakeQueuedChunks = kMaxQueuedChunks / 2;

 private:
  void Run();

  const std::unique_ptr<BlobDecoder> decoder_;
  // std::mutex rather than absl::Mutex: Debian's Abseil is not built for ThreadSanitizer, which
  // then cannot see its synchronisation; the pthread-based std types are intercepted.
  std::mutex mutex_;
  std::condition_variable changed_;
  // Guarded by mutex_, as are the flags below. The worker's last entry is the end chunk or an
  // error.
  std::deque<absl::StatusOr<BlobChunk>> queue_;
  bool stopping_ = false;  // Set by the destructor.
  bool finished_ = false;  // The last entry is queued.
  bool consumer_waiting_ = false;
  bool producer_waiting_ = false;
  // After the last entry has been taken: what Next() keeps returning.
  std::unique_ptr<absl::StatusOr<BlobChunk>> last_;
  std::thread worker_;
};

}  // namespace bulwark::image::internal

#endif  // BULWARK_IMAGE_INTERNAL_BACKGROUND_DECODER_H_
