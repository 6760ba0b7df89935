#include "bulwark/image/internal/background_decoder.h"

#include <utility>

namespace bulwark::image::internal {

BackgroundDecoder::BackgroundDecoder(std::unique_ptr<BlobDecoder> decoder)
    : decoder_(std::move(decoder)), worker_([this] { Run(); }) {}

BackgroundDecoder::~BackgroundDecoder() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  changed_.notify_all();
  worker_.join();
}

absl::StatusOr<BlobChunk> BackgroundDecoder::Next() {
  if (last_ != nullptr) return *last_;
  absl::StatusOr<BlobChunk> next;
  bool wake = false;
  {
    std::unique_lock<std::mutex> lock(mutex_);
    if (queue_.empty()) {
      consumer_waiting_ = true;
      changed_.wait(lock, [this] { return finished_ || queue_.size() >= kWakeQueuedChunks; });
      consumer_waiting_ = false;
    }
    next = std::move(queue_.front());
    queue_.pop_front();
    wake = producer_waiting_ && queue_.size() <= kWakeQueuedChunks;
  }
  if (wake) changed_.notify_all();
  if (!next.ok() || next->end) last_ = std::make_unique<absl::StatusOr<BlobChunk>>(next);
  return next;
}

void BackgroundDecoder::Recycle(BlobChunk chunk) { decoder_->Recycle(std::move(chunk)); }

void BackgroundDecoder::Run() {
  while (true) {
    absl::StatusOr<BlobChunk> chunk = decoder_->Next();
    const bool last = !chunk.ok() || chunk->end;
    bool wake = false;
    {
      std::unique_lock<std::mutex> lock(mutex_);
      if (queue_.size() >= kMaxQueuedChunks) {
        producer_waiting_ = true;
        changed_.wait(lock, [this] { return stopping_ || queue_.size() <= kWakeQueuedChunks; });
        producer_waiting_ = false;
      }
      if (stopping_) return;
      queue_.push_back(std::move(chunk));
      finished_ = last;
      wake = consumer_waiting_ && (last || queue_.size() >= kWakeQueuedChunks);
    }
    if (wake) changed_.notify_all();
    if (last) return;
  }
}

}  // namespace bulwark::image::internal
