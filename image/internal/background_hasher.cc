#include "bulwark/image/internal/background_hasher.h"

#include <utility>

namespace bulwark::image::internal {

BackgroundHasher::BackgroundHasher(core::DigestAlgorithm algorithm)
    : hasher_(algorithm), worker_([this] { Run(); }) {}

BackgroundHasher::~BackgroundHasher() {
  if (!worker_.joinable()) return;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    closing_ = true;
    pending_.clear();
  }
  changed_.notify_all();
  worker_.join();
}

void BackgroundHasher::Update(absl::string_view data) {
  if (data.empty()) return;
  {
    std::unique_lock<std::mutex> lock(mutex_);
    changed_.wait(lock, [this] { return pending_bytes_ < kMaxPendingBytes; });
    pending_.emplace_back(data.data(), data.size());
    pending_bytes_ += data.size();
  }
  changed_.notify_all();
}

core::Digest BackgroundHasher::Finish() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    closing_ = true;
  }
  changed_.notify_all();
  worker_.join();
  return hasher_.Finish();
}

void BackgroundHasher::Run() {
  while (true) {
    std::string chunk;
    {
      std::unique_lock<std::mutex> lock(mutex_);
      changed_.wait(lock, [this] { return !pending_.empty() || closing_; });
      if (pending_.empty()) return;  // Closing and drained.
      chunk = std::move(pending_.front());
      pending_.pop_front();
    }
    hasher_.Update(chunk);
    {
      std::lock_guard<std::mutex> lock(mutex_);
      pending_bytes_ -= chunk.size();
    }
    changed_.notify_all();
  }
}

}  // namespace bulwark::image::internal
