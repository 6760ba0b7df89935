// Shared by the VEX fuzzers: after a successful parse, evaluates every statement's own ids and
// product identifiers (and a few variants) so that purl parsing and matching run on fuzzed text.
#ifndef BULWARK_TESTS_FUZZ_VEX_FUZZ_COMMON_H_
#define BULWARK_TESTS_FUZZ_VEX_FUZZ_COMMON_H_

#include <cstdlib>
#include <string>
#include <vector>

#include "bulwark/image/vuln/vex.h"

namespace bulwark::fuzz {

inline void EvaluateEveryStatement(const std::vector<vuln::VexStatement>& statements) {
  size_t evaluated = 0;
  for (const vuln::VexStatement& statement : statements) {
    if (++evaluated > 64) break;  // Keep each input fast: evaluation is linear in statements.
    std::vector<std::string> ids = {statement.vulnerability};
    for (const vuln::VexProduct& product : statement.products) {
      for (const std::string& purl : {product.purl, product.id, product.purl + "&x=y"}) {
        vuln::VexDecision decision = vuln::EvaluateVex(statements, ids, purl, {product.id});
        if ((decision.effect == vuln::VexEffect::kNone) != (decision.statement == nullptr)) {
          std::abort();  // A decision names its statement exactly when it has an effect.
        }
      }
      for (const vuln::VexProduct& subcomponent : product.subcomponents) {
        vuln::EvaluateVex(statements, ids, subcomponent.purl, {product.purl});
      }
    }
  }
}

}  // namespace bulwark::fuzz

#endif  // BULWARK_TESTS_FUZZ_VEX_FUZZ_COMMON_H_
