#include "bulwark/runtime/fd_table.h"

#include <algorithm>
#include <utility>

namespace bulwark::runtime {
namespace {

bool IsCloseOnExec(const std::pair<const int64_t, v1::FileDescriptor>& entry) {
  return entry.second.close_on_exec();
}

}  // namespace

FdTable::FdTable(const FdTable& other)
    : options_(other.options_), total_(other.total_), dropped_(other.dropped_) {
  // Processes that share descriptors in `other` share the same copy here.
  absl::flat_hash_map<const Descriptors*, std::shared_ptr<Descriptors>> copies;
  for (const auto& [pid, descriptors] : other.processes_) {
    std::shared_ptr<Descriptors>& copy = copies[descriptors.get()];
    if (copy == nullptr) copy = std::make_shared<Descriptors>(*descriptors);
    processes_.emplace(pid, copy);
  }
}

FdTable& FdTable::operator=(const FdTable& other) {
  if (this != &other) *this = FdTable(other);
  return *this;
}

FdTable::Descriptors& FdTable::Unshare(std::shared_ptr<Descriptors>& descriptors) {
  if (descriptors.use_count() > 1) descriptors = std::make_shared<Descriptors>(*descriptors);
  return *descriptors;
}

const v1::FileDescriptor* FdTable::Find(int64_t pid, int64_t num) const {
  auto process = processes_.find(pid);
  if (process == processes_.end()) return nullptr;
  const Descriptors& descriptors = *process->second;
  auto fd = descriptors.find(num);
  return fd == descriptors.end() ? nullptr : &fd->second;
}

v1::FileDescriptor* FdTable::Find(int64_t pid, int64_t num) {
  auto process = processes_.find(pid);
  if (process == processes_.end()) return nullptr;
  auto fd = process->second->find(num);
  if (fd == process->second->end()) return nullptr;
  if (process->second.use_count() == 1) return &fd->second;
  return &Unshare(process->second).find(num)->second;
}

v1::FileDescriptor* FdTable::Set(int64_t pid, v1::FileDescriptor&& fd) {
  if (fd.num() < 0) return nullptr;
  auto process = processes_.find(pid);
  Descriptors* descriptors = nullptr;
  if (process != processes_.end()) {
    descriptors = &Unshare(process->second);
    if (auto it = descriptors->find(fd.num()); it != descriptors->end()) {
      it->second = std::move(fd);  // Swaps: `fd` keeps the old entry's storage.
      return &it->second;
    }
  }
  const size_t count = descriptors != nullptr ? descriptors->size() : 0;
  if (total_ >= options_.max_fds || count >= options_.max_fds_per_process) {
    ++dropped_;
    return nullptr;
  }
  if (descriptors == nullptr) {
    descriptors = processes_.emplace(pid, std::make_shared<Descriptors>()).first->second.get();
  }
  const int64_t num = fd.num();
  ++total_;
  v1::FileDescriptor& stored = descriptors->emplace(num, std::move(fd)).first->second;
  fd = std::move(spare_);  // Swaps: the caller's next descriptor reuses a closed one's storage.
  return &stored;
}

v1::FileDescriptor* FdTable::Set(int64_t pid, const v1::FileDescriptor& fd) {
  if (fd.num() < 0) return nullptr;
  if (v1::FileDescriptor* existing = Find(pid, fd.num())) {
    *existing = fd;
    return existing;
  }
  return Set(pid, v1::FileDescriptor(fd));
}

void FdTable::Close(int64_t pid, int64_t num) {
  auto process = processes_.find(pid);
  if (process == processes_.end()) return;
  auto fd = process->second->find(num);
  if (fd == process->second->end()) return;
  --total_;
  if (process->second.use_count() == 1) {
    spare_ = std::move(fd->second);  // Swaps: keeps the strings' allocations.
    process->second->erase(fd);
  } else {
    Unshare(process->second).erase(num);
  }
  if (process->second->empty()) processes_.erase(process);
}

void FdTable::Duplicate(int64_t pid, int64_t old_num, int64_t new_num, bool close_on_exec) {
  if (old_num == new_num) return;
  const v1::FileDescriptor* old_fd = std::as_const(*this).Find(pid, old_num);
  if (old_fd == nullptr) {
    Close(pid, new_num);  // dup2 onto new_num closed whatever was there.
    return;
  }
  v1::FileDescriptor copy = *old_fd;
  copy.set_num(new_num);
  copy.set_close_on_exec(close_on_exec);
  Set(pid, std::move(copy));
}

void FdTable::CopyProcess(int64_t parent, int64_t child) {
  ForgetProcess(child);
  auto process = processes_.find(parent);
  if (process == processes_.end()) return;
  const size_t count = process->second->size();
  if (total_ + count > options_.max_fds) {
    dropped_ += count;
    return;
  }
  total_ += count;
  std::shared_ptr<Descriptors> shared = process->second;  // Before the insertion moves slots.
  processes_.emplace(child, std::move(shared));
}

void FdTable::CloseOnExec(int64_t pid) {
  auto process = processes_.find(pid);
  if (process == processes_.end() ||
      std::none_of(process->second->begin(), process->second->end(), IsCloseOnExec)) {
    return;
  }
  Descriptors& descriptors = Unshare(process->second);
  total_ -= absl::erase_if(descriptors, IsCloseOnExec);
  if (descriptors.empty()) processes_.erase(process);
}

void FdTable::ReplaceProcess(int64_t pid,
                             const google::protobuf::RepeatedPtrField<v1::FileDescriptor>& fds) {
  ForgetProcess(pid);
  for (const v1::FileDescriptor& fd : fds) Set(pid, fd);
}

void FdTable::ForgetProcess(int64_t pid) {
  auto process = processes_.find(pid);
  if (process == processes_.end()) return;
  total_ -= process->second->size();
  processes_.erase(process);
}

}  // namespace bulwark::runtime
