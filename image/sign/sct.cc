#include "bulwark/image/sign/sct.h"

#include <openssl/ct.h>
#include <openssl/x509v3.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <string>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "bulwark/image/sign/internal/openssl_util.h"

namespace bulwark::sign {
namespace {

using CtPolicyCtxPtr =
    std::unique_ptr<CT_POLICY_EVAL_CTX,
                    internal::OpensslDeleter<CT_POLICY_EVAL_CTX, CT_POLICY_EVAL_CTX_free>>;

absl::Status Denied(absl::string_view why) {
  return absl::PermissionDeniedError(absl::StrCat("sct: ", why));
}

}  // namespace

absl::StatusOr<std::shared_ptr<const CtLogStore>> CtLogStore::Create(
    absl::Span<const TransparencyLogKey> logs) {
  std::string config = "enabled_logs = ";
  for (size_t i = 0; i < logs.size(); ++i) absl::StrAppend(&config, i ? "," : "", "log", i);
  config.append("\n");
  for (size_t i = 0; i < logs.size(); ++i) {
    absl::StrAppend(&config, "[log", i, "]\ndescription = log", i,
                    "\nkey = ", absl::Base64Escape(logs[i].key.SpkiDer()), "\n");
  }
  CTLOG_STORE* store = CTLOG_STORE_new();
  if (store == nullptr) return absl::InternalError("sct: out of memory");
  std::shared_ptr<const CtLogStore> result(new CtLogStore(store, logs.size()));
  if (logs.empty()) return result;
  const char* tmpdir = std::getenv("TMPDIR");
  std::string path =
      absl::StrCat(tmpdir != nullptr && *tmpdir ? tmpdir : "/tmp", "/bulwark-ctlogs-XXXXXX");
  const int fd = mkstemp(path.data());
  if (fd < 0) return absl::InternalError(absl::StrCat("sct: cannot create ", path));
  const bool written =
      write(fd, config.data(), config.size()) == static_cast<ssize_t>(config.size());
  close(fd);
  const bool loaded = written && CTLOG_STORE_load_file(store, path.c_str()) == 1;
  unlink(path.c_str());
  if (!loaded) return internal::OpensslStatus(absl::StatusCode::kInternal, "sct: CT log store");
  return result;
}

CtLogStore::~CtLogStore() { CTLOG_STORE_free(store_); }

absl::Status VerifyEmbeddedScts(const Certificate& leaf, const Certificate& issuer,
                                const CtLogStore& logs) {
  auto* scts = static_cast<STACK_OF(SCT)*>(
      X509_get_ext_d2i(leaf.x509(), NID_ct_precert_scts, nullptr, nullptr));
  if (scts == nullptr) {
    internal::ClearOpensslErrors();
    return Denied("certificate has no embedded SCTs");
  }
  std::unique_ptr<STACK_OF(SCT), void (*)(STACK_OF(SCT)*)> owned(scts, SCT_LIST_free);
  if (logs.empty()) return Denied("trust root has no CT logs");
  CtPolicyCtxPtr ctx(CT_POLICY_EVAL_CTX_new());
  if (ctx == nullptr) return Denied("out of memory");
  CT_POLICY_EVAL_CTX_set1_cert(ctx.get(), leaf.x509());
  CT_POLICY_EVAL_CTX_set1_issuer(ctx.get(), issuer.x509());
  CT_POLICY_EVAL_CTX_set_shared_CTLOG_STORE(ctx.get(), logs.store());
  // SCTs are checked to be no later than the certificate's end of validity.
  CT_POLICY_EVAL_CTX_set_time(ctx.get(),
                              static_cast<uint64_t>(absl::ToUnixMillis(leaf.not_after())));
  std::string last = "no SCT from a CT log of the trust root";
  for (int i = 0; i < sk_SCT_num(scts); ++i) {
    SCT* sct = sk_SCT_value(scts, i);
    const int valid = SCT_validate(sct, ctx.get());
    internal::ClearOpensslErrors();
    if (valid == 1) return absl::OkStatus();
    if (SCT_get_validation_status(sct) == SCT_VALIDATION_STATUS_INVALID) {
      last = "SCT signature does not verify";
    }
  }
  return Denied(last);
}

}  // namespace bulwark::sign
