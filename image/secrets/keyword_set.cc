#include "bulwark/image/secrets/keyword_set.h"

#include <hs/hs.h>

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"

namespace bulwark::secrets {
namespace {

// Records each keyword once: HS_FLAG_SINGLEMATCH stops further reports of the same id.
int OnMatch(unsigned int id, unsigned long long /*from*/, unsigned long long /*to*/,
            unsigned int /*flags*/, void* context) {
  static_cast<std::vector<int>*>(context)->push_back(static_cast<int>(id));
  return 0;
}

}  // namespace

absl::StatusOr<std::unique_ptr<const KeywordSet>> KeywordSet::Create(
    const std::vector<std::string>& keywords) {
  if (keywords.empty()) return absl::InvalidArgumentError("the keyword list is empty");
  std::vector<const char*> expressions;
  std::vector<size_t> lengths;
  std::vector<unsigned int> flags(keywords.size(), HS_FLAG_CASELESS | HS_FLAG_SINGLEMATCH);
  std::vector<unsigned int> ids;
  for (size_t i = 0; i < keywords.size(); ++i) {
    if (keywords[i].empty() || keywords[i].size() > kMaxKeywordBytes) {
      return absl::InvalidArgumentError(
          absl::StrCat("keyword ", i, " is empty or longer than ", kMaxKeywordBytes, " bytes"));
    }
    expressions.push_back(keywords[i].data());
    lengths.push_back(keywords[i].size());
    ids.push_back(static_cast<unsigned int>(i));
  }
  hs_database_t* database = nullptr;
  hs_compile_error_t* error = nullptr;
  if (hs_compile_lit_multi(expressions.data(), flags.data(), ids.data(), lengths.data(),
                           static_cast<unsigned int>(keywords.size()), HS_MODE_BLOCK, nullptr,
                           &database, &error) != HS_SUCCESS) {
    std::string message = error != nullptr && error->message != nullptr ? error->message : "";
    hs_free_compile_error(error);
    return absl::InternalError(absl::StrCat("Hyperscan refuses the keyword set: ", message));
  }
  hs_scratch_t* prototype = nullptr;
  if (hs_alloc_scratch(database, &prototype) != HS_SUCCESS) {
    hs_free_database(database);
    return absl::InternalError("Hyperscan cannot allocate scratch space for the keyword set");
  }
  return std::unique_ptr<const KeywordSet>(new KeywordSet(database, prototype, keywords.size()));
}

KeywordSet::KeywordSet(hs_database* database, hs_scratch* prototype, size_t size)
    : database_(database), prototype_(prototype), size_(size) {}

KeywordSet::~KeywordSet() {
  for (hs_scratch_t* scratch : idle_) hs_free_scratch(scratch);
  hs_free_scratch(prototype_);
  hs_free_database(database_);
}

hs_scratch* KeywordSet::TakeScratch() const {
  {
    absl::MutexLock lock(&mutex_);
    if (!idle_.empty()) {
      hs_scratch_t* scratch = idle_.back();
      idle_.pop_back();
      return scratch;
    }
  }
  hs_scratch_t* scratch = nullptr;
  return hs_clone_scratch(prototype_, &scratch) == HS_SUCCESS ? scratch : nullptr;
}

void KeywordSet::ReturnScratch(hs_scratch* scratch) const {
  absl::MutexLock lock(&mutex_);
  idle_.push_back(scratch);
}

absl::Status KeywordSet::Find(absl::string_view text, std::vector<int>& found) const {
  found.clear();
  hs_scratch_t* scratch = TakeScratch();
  if (scratch == nullptr) return absl::InternalError("Hyperscan cannot clone scratch space");
  // Hyperscan takes lengths as unsigned int: scan larger texts in pieces that overlap by the
  // longest possible keyword, so that no keyword is cut in two.
  constexpr size_t kPiece = size_t{1} << 30;
  hs_error_t result = HS_SUCCESS;
  for (size_t start = 0; result == HS_SUCCESS && (start == 0 || start < text.size());
       start += kPiece) {
    const size_t length = std::min(text.size() - start, kPiece + kMaxKeywordBytes);
    result = hs_scan(database_, text.data() + start, static_cast<unsigned int>(length), 0, scratch,
                     OnMatch, &found);
  }
  ReturnScratch(scratch);
  if (result != HS_SUCCESS) {
    found.clear();
    return absl::InternalError(absl::StrCat("Hyperscan keyword scan failed (error ", result, ")"));
  }
  std::sort(found.begin(), found.end());
  found.erase(std::unique(found.begin(), found.end()), found.end());
  return absl::OkStatus();
}

}  // namespace bulwark::secrets
