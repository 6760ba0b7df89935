// The keyword prefilter of the secret engine: which of a fixed list of literals occur in a text,
// ASCII case-insensitively, found in one pass by Hyperscan (Debian's vectorscan build, the field's
// standard multi-pattern matcher: Suricata, Snort 3 and Rspamd use it for the same job).
//   BULWARK_ASSIGN_OR_RETURN(auto set, KeywordSet::Create({"akia", "ghp_"}));
//   std::vector<int> found;
//   BULWARK_RETURN_IF_ERROR(set->Find(text, found));   // indices into the list, ascending
// Thread safety: Find may be called concurrently (each call borrows its own scratch space).
#ifndef BULWARK_IMAGE_SECRETS_KEYWORD_SET_H_
#define BULWARK_IMAGE_SECRETS_KEYWORD_SET_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"

struct hs_database;
struct hs_scratch;

namespace bulwark::secrets {

class KeywordSet {
 public:
  static constexpr size_t kMaxKeywordBytes = 4096;

  // Compiles `keywords` (literals of 1 to kMaxKeywordBytes bytes, any bytes). Letters A-Z/a-z
  // match either case; other bytes match themselves. Errors: InvalidArgument for an empty list,
  // an empty or overlong keyword;
  // Internal when Hyperscan refuses the set (a defect or an out-of-memory condition).
  static absl::StatusOr<std::unique_ptr<const KeywordSet>> Create(
      const std::vector<std::string>& keywords);

  // Sets `found` to the indices of the keywords present in `text`, ascending, each once.
  // Errors: Internal when the scan fails (Hyperscan out of memory); `found` is then empty.
  absl::Status Find(absl::string_view text, std::vector<int>& found) const;

  size_t size() const { return size_; }

  ~KeywordSet();
  KeywordSet(const KeywordSet&) = delete;
  KeywordSet& operator=(const KeywordSet&) = delete;

 private:
  KeywordSet(hs_database* database, hs_scratch* prototype, size_t size);
  hs_scratch* TakeScratch() const;
  void ReturnScratch(hs_scratch* scratch) const;

  hs_database* database_;
  hs_scratch* prototype_;  // Cloned for concurrent calls.
  size_t size_;
  mutable absl::Mutex mutex_;
  mutable std::vector<hs_scratch*> idle_ ABSL_GUARDED_BY(mutex_);
};

}  // namespace bulwark::secrets

#endif  // BULWARK_IMAGE_SECRETS_KEYWORD_SET_H_
