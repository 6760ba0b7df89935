// Fuzzes CVSS vector parsing and scoring (vuln::ScoreCvss). Nothing may crash; every score of a
// valid vector is a number in [0, 10] with one decimal, and the overall score of a v2/v3 vector
// is one of its group scores.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "absl/strings/string_view.h"
#include "bulwark/image/vuln/cvss.h"

namespace {

void CheckScore(double score) {
  if (!(score >= 0 && score <= 10) || std::fabs(score * 10 - std::round(score * 10)) > 1e-6) {
    std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  absl::string_view vector(reinterpret_cast<const char*>(data), size);
  auto scores = bulwark::vuln::ScoreCvss(vector);
  if (!scores.ok()) return 0;
  CheckScore(scores->base_score);
  CheckScore(scores->score);
  if (scores->temporal_score) CheckScore(*scores->temporal_score);
  if (scores->environmental_score) CheckScore(*scores->environmental_score);
  if (scores->rating != bulwark::vuln::RatingForScore(scores->version, scores->score)) std::abort();
  return 0;
}
