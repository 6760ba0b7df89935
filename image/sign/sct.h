// Embedded Signed Certificate Timestamps (RFC 6962) in an X.509 certificate, verified with
// OpenSSL's CT API against the CT log keys of a trust root.
//   BULWARK_ASSIGN_OR_RETURN(auto logs, CtLogStore::Create(root.ctlogs()));  // once
//   BULWARK_RETURN_IF_ERROR(VerifyEmbeddedScts(leaf, issuer, *logs));        // per certificate
// Thread safety: a CtLogStore is immutable after Create and may be shared by threads.
#ifndef BULWARK_IMAGE_SIGN_SCT_H_
#define BULWARK_IMAGE_SIGN_SCT_H_

#include <memory>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "bulwark/image/sign/certificate.h"
#include "bulwark/image/sign/tlog.h"

typedef struct ctlog_store_st CTLOG_STORE;

namespace bulwark::sign {

// The CT logs SCTs are checked against, in OpenSSL's form. Building one parses every log key,
// which costs far more than checking an SCT, so build it once per trust root.
class CtLogStore {
 public:
  // OpenSSL fills a CTLOG_STORE only from a file (CTLOG_STORE_load_file): the keys are written to
  // a private mkstemp file in $TMPDIR (or /tmp), loaded, and the file is removed at once.
  // Errors: Internal when the file cannot be written or OpenSSL rejects it.
  static absl::StatusOr<std::shared_ptr<const CtLogStore>> Create(
      absl::Span<const TransparencyLogKey> logs);
  ~CtLogStore();
  CtLogStore(const CtLogStore&) = delete;
  CtLogStore& operator=(const CtLogStore&) = delete;

  bool empty() const { return size_ == 0; }
  // Borrowed for the lifetime of this object; OpenSSL only reads it.
  CTLOG_STORE* store() const { return store_; }

 private:
  CtLogStore(CTLOG_STORE* store, size_t size) : store_(store), size_(size) {}
  CTLOG_STORE* store_;
  size_t size_;
};

// OK when at least one SCT embedded in `leaf` (issued by `issuer`) verifies against a log of
// `logs`. Errors: PermissionDenied "sct: ..." (no SCT extension, no CT logs, no SCT from a known
// log, bad signature).
absl::Status VerifyEmbeddedScts(const Certificate& leaf, const Certificate& issuer,
                                const CtLogStore& logs);

}  // namespace bulwark::sign

#endif  // BULWARK_IMAGE_SIGN_SCT_H_
