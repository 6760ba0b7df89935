// DSSE envelopes and the in-toto statements / SLSA provenance inside them.
#include <cstddef>
#include <cstdint>
#include <string>

#include "bulwark/image/sign/dsse.h"
#include "bulwark/image/sign/intoto.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  bulwark::core::Limits limits;
  limits.max_depth = 64;
  absl::StatusOr<bulwark::sign::DsseEnvelope> envelope =
      bulwark::sign::ParseDsseEnvelope(text, limits);
  const std::string& statement_text = envelope.ok() ? envelope->payload : text;
  absl::StatusOr<bulwark::sign::Statement> statement =
      bulwark::sign::ParseStatement(statement_text, limits);
  if (statement.ok()) (void)bulwark::sign::ParseSlsaProvenance(*statement);
  if (envelope.ok()) (void)bulwark::sign::VerifyDsse(*envelope, {});
  return 0;
}
