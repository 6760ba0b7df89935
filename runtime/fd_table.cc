#include "bulwark/runtime/fd_table.h"

#include <utility>

namespace bulwark::runtime {

const v1::FileDescriptor* FdTable::Find(int64_t pid, int64_t num) const {
  auto process = processes_.find(pid);
  if (process == processes_.end()) return nullptr;
  auto fd = process->second.find(num);
  return fd == process->second.end() ? nullptr : &fd->second;
}

v1::FileDescriptor* FdTable::Find(int64_t pid, int64_t num) {
  return const_cast<v1::FileDescriptor*>(std::as_const(*this).Find(pid, num));
}

v1::FileDescriptor* FdTable::Set(int64_t pid, v1::FileDescriptor&& fd) {
  if (fd.num() < 0) return nullptr;
  Descriptors& descriptors = processes_[pid];
  auto it = descriptors.find(fd.num());
  if (it == descriptors.end()) {
    if (total_ >= options_.max_fds || descriptors.size() >= options_.max_fds_per_process) {
      ++dropped_;
      if (descriptors.empty()) processes_.erase(pid);
      return nullptr;
    }
    const int64_t num = fd.num();
    it = descriptors.emplace(num, std::move(fd)).first;
    ++total_;
  } else {
    it->second = std::move(fd);
  }
  return &it->second;
}

v1::FileDescriptor* FdTable::Set(int64_t pid, const v1::FileDescriptor& fd) {
  if (fd.num() < 0) return nullptr;
  auto process = processes_.find(pid);
  if (process != processes_.end()) {
    auto it = process->second.find(fd.num());
    if (it != process->second.end()) {
      it->second = fd;
      return &it->second;
    }
  }
  return Set(pid, v1::FileDescriptor(fd));
}

void FdTable::Close(int64_t pid, int64_t num) {
  auto process = processes_.find(pid);
  if (process == processes_.end()) return;
  total_ -= process->second.erase(num);
  if (process->second.empty()) processes_.erase(process);
}

void FdTable::Duplicate(int64_t pid, int64_t old_num, int64_t new_num, bool close_on_exec) {
  if (old_num == new_num) return;
  const v1::FileDescriptor* old_fd = Find(pid, old_num);
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
  if (total_ + process->second.size() > options_.max_fds) {
    dropped_ += process->second.size();
    return;
  }
  Descriptors copy = process->second;  // Copied before the insertion may move the table.
  total_ += copy.size();
  processes_.emplace(child, std::move(copy));
}

void FdTable::CloseOnExec(int64_t pid) {
  auto process = processes_.find(pid);
  if (process == processes_.end()) return;
  total_ -= absl::erase_if(process->second,
                           [](const auto& entry) { return entry.second.close_on_exec(); });
  if (process->second.empty()) processes_.erase(process);
}

void FdTable::ReplaceProcess(int64_t pid,
                             const google::protobuf::RepeatedPtrField<v1::FileDescriptor>& fds) {
  ForgetProcess(pid);
  for (const v1::FileDescriptor& fd : fds) Set(pid, fd);
}

void FdTable::ForgetProcess(int64_t pid) {
  auto process = processes_.find(pid);
  if (process == processes_.end()) return;
  total_ -= process->second.size();
  processes_.erase(process);
}

}  // namespace bulwark::runtime
