// CVSS v2 and v3.x scoring, the shared vector parser, and version dispatch (v4.0 is in
// cvss_v4.cc). Weights and equations are those of the FIRST specification documents.
#include "bulwark/image/vuln/cvss.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <initializer_list>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "bulwark/core/status_macros.h"
#include "bulwark/image/vuln/cvss_metrics.h"

namespace bulwark::vuln {
namespace cvss_internal {

namespace {

// `text` escaped and cut short for an error message: vectors come from untrusted documents.
std::string Quote(absl::string_view text, size_t max_bytes) {
  std::string quoted = absl::CHexEscape(text.substr(0, max_bytes));
  if (text.size() > max_bytes) absl::StrAppend(&quoted, "...");
  return quoted;
}

}  // namespace

absl::Status VectorError(absl::string_view vector, absl::string_view problem) {
  return absl::InvalidArgumentError(
      absl::StrCat("CVSS vector \"", Quote(vector, 200), "\": ", problem));
}

absl::string_view Metrics::Get(absl::string_view name, absl::string_view absent) const {
  for (size_t i = 0; i < specs_.size(); ++i) {
    if (specs_[i].name == name) return values_[i].empty() ? absent : values_[i];
  }
  return absent;
}

absl::StatusOr<Metrics> ParseMetrics(absl::string_view vector, absl::string_view body,
                                     absl::Span<const MetricSpec> specs) {
  std::vector<absl::string_view> values(specs.size());
  for (absl::string_view component : absl::StrSplit(body, '/')) {
    std::pair<absl::string_view, absl::string_view> name_value =
        absl::StrSplit(component, absl::MaxSplits(':', 1));
    // Plain variables, not a structured binding: clang 14 cannot capture those in the lambda.
    absl::string_view name = name_value.first;
    absl::string_view value = name_value.second;
    if (component.find(':') == absl::string_view::npos || name.empty() || value.empty()) {
      return VectorError(
          vector, absl::StrCat("component \"", Quote(component, 32), "\" is not METRIC:VALUE"));
    }
    auto spec = std::find_if(specs.begin(), specs.end(),
                             [&](const MetricSpec& s) { return s.name == name; });
    if (spec == specs.end()) {
      return VectorError(vector, absl::StrCat("unknown metric \"", Quote(name, 32), "\""));
    }
    size_t index = spec - specs.begin();
    if (!values[index].empty()) {
      return VectorError(vector, absl::StrCat("duplicate metric \"", name, "\""));
    }
    std::vector<absl::string_view> allowed = absl::StrSplit(spec->values, ' ');
    if (std::find(allowed.begin(), allowed.end(), value) == allowed.end()) {
      return VectorError(vector,
                         absl::StrCat("metric \"", name, "\" has no value \"", Quote(value, 32),
                                      "\" (expected one of ", absl::StrJoin(allowed, ", "), ")"));
    }
    values[index] = value;
  }
  for (size_t i = 0; i < specs.size(); ++i) {
    if (specs[i].mandatory && values[i].empty()) {
      return VectorError(vector, absl::StrCat("missing mandatory metric \"", specs[i].name, "\""));
    }
  }
  return Metrics(specs, std::move(values));
}

}  // namespace cvss_internal

namespace {

using cvss_internal::Metrics;
using cvss_internal::MetricSpec;
using cvss_internal::ParseMetrics;
using cvss_internal::VectorError;

using WeightTable = std::initializer_list<std::pair<absl::string_view, double>>;

// The weight of `value` in `table`; values were validated by ParseMetrics, so every lookup
// succeeds.
double Weight(absl::string_view value, WeightTable table) {
  for (const auto& [name, weight] : table) {
    if (name == value) return weight;
  }
  return 0;
}

// ---- CVSS v2 (Complete Guide, section 3.2) ----

constexpr MetricSpec kV2Metrics[] = {
    {"AV", "L A N", true},        {"AC", "H M L", true},
    {"Au", "M S N", true},        {"C", "N P C", true},
    {"I", "N P C", true},         {"A", "N P C", true},
    {"E", "U POC F H ND", false}, {"RL", "OF TF W U ND", false},
    {"RC", "UC UR C ND", false},  {"CDP", "N L LM MH H ND", false},
    {"TD", "N L M H ND", false},  {"CR", "L M H ND", false},
    {"IR", "L M H ND", false},    {"AR", "L M H ND", false},
};

// "round_to_1_decimal" of the v2 guide.
double RoundV2(double x) { return std::round(x * 10.0) / 10.0; }

double V2BaseFromImpact(double impact, double exploitability) {
  double f_impact = impact == 0 ? 0 : 1.176;
  return RoundV2(((0.6 * impact) + (0.4 * exploitability) - 1.5) * f_impact);
}

CvssScores ScoreV2(const Metrics& m) {
  const WeightTable kImpact = {{"N", 0.0}, {"P", 0.275}, {"C", 0.660}};
  double av = Weight(m.Get("AV"), {{"L", 0.395}, {"A", 0.646}, {"N", 1.0}});
  double ac = Weight(m.Get("AC"), {{"H", 0.35}, {"M", 0.61}, {"L", 0.71}});
  double au = Weight(m.Get("Au"), {{"M", 0.45}, {"S", 0.56}, {"N", 0.704}});
  double c = Weight(m.Get("C"), kImpact);
  double i = Weight(m.Get("I"), kImpact);
  double a = Weight(m.Get("A"), kImpact);
  double exploitability = 20 * av * ac * au;
  double impact = 10.41 * (1 - (1 - c) * (1 - i) * (1 - a));

  CvssScores out;
  out.version = CvssVersion::kV2_0;
  out.base_score = V2BaseFromImpact(impact, exploitability);

  double e =
      Weight(m.Get("E", "ND"), {{"U", 0.85}, {"POC", 0.9}, {"F", 0.95}, {"H", 1.0}, {"ND", 1.0}});
  double rl =
      Weight(m.Get("RL", "ND"), {{"OF", 0.87}, {"TF", 0.90}, {"W", 0.95}, {"U", 1.0}, {"ND", 1.0}});
  double rc = Weight(m.Get("RC", "ND"), {{"UC", 0.90}, {"UR", 0.95}, {"C", 1.0}, {"ND", 1.0}});
  auto defined = [&](absl::string_view name) { return m.Get(name, "ND") != "ND"; };
  if (defined("E") || defined("RL") || defined("RC")) {
    out.temporal_score = RoundV2(out.base_score * e * rl * rc);
  }
  if (defined("CDP") || defined("TD") || defined("CR") || defined("IR") || defined("AR")) {
    const WeightTable kRequirement = {{"L", 0.5}, {"M", 1.0}, {"H", 1.51}, {"ND", 1.0}};
    double cr = Weight(m.Get("CR", "ND"), kRequirement);
    double ir = Weight(m.Get("IR", "ND"), kRequirement);
    double ar = Weight(m.Get("AR", "ND"), kRequirement);
    double cdp = Weight(m.Get("CDP", "ND"),
                        {{"N", 0}, {"L", 0.1}, {"LM", 0.3}, {"MH", 0.4}, {"H", 0.5}, {"ND", 0}});
    double td =
        Weight(m.Get("TD", "ND"), {{"N", 0}, {"L", 0.25}, {"M", 0.75}, {"H", 1.0}, {"ND", 1.0}});
    double adjusted_impact =
        std::min(10.0, 10.41 * (1 - (1 - c * cr) * (1 - i * ir) * (1 - a * ar)));
    double adjusted_temporal =
        RoundV2(V2BaseFromImpact(adjusted_impact, exploitability) * e * rl * rc);
    out.environmental_score = RoundV2((adjusted_temporal + (10 - adjusted_temporal) * cdp) * td);
  }
  return out;
}

// ---- CVSS v3.0 / v3.1 (Specification Documents, section 7 / 8) ----

constexpr MetricSpec kV3Metrics[] = {
    {"AV", "N A L P", true},    {"AC", "L H", true},       {"PR", "N L H", true},
    {"UI", "N R", true},        {"S", "U C", true},        {"C", "H L N", true},
    {"I", "H L N", true},       {"A", "H L N", true},      {"E", "X H F P U", false},
    {"RL", "X U W T O", false}, {"RC", "X C R U", false},  {"CR", "X H M L", false},
    {"IR", "X H M L", false},   {"AR", "X H M L", false},  {"MAV", "X N A L P", false},
    {"MAC", "X L H", false},    {"MPR", "X N L H", false}, {"MUI", "X N R", false},
    {"MS", "X U C", false},     {"MC", "X H L N", false},  {"MI", "X H L N", false},
    {"MA", "X H L N", false},
};

// v3.1 Appendix A: the smallest one-decimal number >= input, computed on integers so that
// floating-point noise (4.000000000000001) does not round up. Used for v3.0 too, whose
// specification defines the same mathematical function.
double Roundup(double input) {
  int64_t int_input = std::llround(input * 100000);
  if (int_input % 10000 == 0) return static_cast<double>(int_input) / 100000.0;
  return (std::floor(static_cast<double>(int_input) / 10000.0) + 1) / 10.0;
}

// The exploitability and impact inputs of one v3 score (base or modified).
struct V3Inputs {
  absl::string_view av, ac, pr, ui, c, i, a;
  bool scope_changed;
};

double V3Exploitability(const V3Inputs& in) {
  double av = Weight(in.av, {{"N", 0.85}, {"A", 0.62}, {"L", 0.55}, {"P", 0.2}});
  double ac = Weight(in.ac, {{"L", 0.77}, {"H", 0.44}});
  double pr = in.scope_changed ? Weight(in.pr, {{"N", 0.85}, {"L", 0.68}, {"H", 0.5}})
                               : Weight(in.pr, {{"N", 0.85}, {"L", 0.62}, {"H", 0.27}});
  double ui = Weight(in.ui, {{"N", 0.85}, {"R", 0.62}});
  return 8.22 * av * ac * pr * ui;
}

const WeightTable kV3Impact = {{"H", 0.56}, {"L", 0.22}, {"N", 0}};

CvssScores ScoreV3(const Metrics& m, CvssVersion version) {
  V3Inputs base{m.Get("AV"), m.Get("AC"), m.Get("PR"), m.Get("UI"),
                m.Get("C"),  m.Get("I"),  m.Get("A"),  m.Get("S") == "C"};
  double iss = 1 - (1 - Weight(base.c, kV3Impact)) * (1 - Weight(base.i, kV3Impact)) *
                       (1 - Weight(base.a, kV3Impact));
  double impact =
      base.scope_changed ? 7.52 * (iss - 0.029) - 3.25 * std::pow(iss - 0.02, 15) : 6.42 * iss;
  double exploitability = V3Exploitability(base);
  CvssScores out;
  out.version = version;
  if (impact > 0) {
    out.base_score = base.scope_changed ? Roundup(std::min(1.08 * (impact + exploitability), 10.0))
                                        : Roundup(std::min(impact + exploitability, 10.0));
  }

  double e = Weight(m.Get("E", "X"), {{"X", 1}, {"H", 1}, {"F", 0.97}, {"P", 0.94}, {"U", 0.91}});
  double rl = Weight(m.Get("RL", "X"), {{"X", 1}, {"U", 1}, {"W", 0.97}, {"T", 0.96}, {"O", 0.95}});
  double rc = Weight(m.Get("RC", "X"), {{"X", 1}, {"C", 1}, {"R", 0.96}, {"U", 0.92}});
  auto defined = [&](absl::string_view name) { return m.Get(name, "X") != "X"; };
  if (defined("E") || defined("RL") || defined("RC")) {
    out.temporal_score = Roundup(out.base_score * e * rl * rc);
  }

  bool any_environmental = false;
  for (absl::string_view name :
       {"CR", "IR", "AR", "MAV", "MAC", "MPR", "MUI", "MS", "MC", "MI", "MA"}) {
    any_environmental = any_environmental || defined(name);
  }
  if (any_environmental) {
    // Modified metrics left X take the Base value; requirements left X weigh as Medium (1).
    auto modified = [&](absl::string_view name, absl::string_view base_value) {
      absl::string_view value = m.Get(name, "X");
      return value == "X" ? base_value : value;
    };
    V3Inputs env{modified("MAV", base.av), modified("MAC", base.ac),
                 modified("MPR", base.pr), modified("MUI", base.ui),
                 modified("MC", base.c),   modified("MI", base.i),
                 modified("MA", base.a),   modified("MS", m.Get("S")) == "C"};
    const WeightTable kRequirement = {{"X", 1}, {"H", 1.5}, {"M", 1}, {"L", 0.5}};
    double miss =
        std::min(1 - (1 - Weight(m.Get("CR", "X"), kRequirement) * Weight(env.c, kV3Impact)) *
                         (1 - Weight(m.Get("IR", "X"), kRequirement) * Weight(env.i, kV3Impact)) *
                         (1 - Weight(m.Get("AR", "X"), kRequirement) * Weight(env.a, kV3Impact)),
                 0.915);
    double modified_impact;
    if (!env.scope_changed) {
      modified_impact = 6.42 * miss;
    } else if (version == CvssVersion::kV3_0) {
      modified_impact = 7.52 * (miss - 0.029) - 3.25 * std::pow(miss - 0.02, 15);
    } else {
      modified_impact = 7.52 * (miss - 0.029) - 3.25 * std::pow(miss * 0.9731 - 0.02, 13);
    }
    double modified_exploitability = V3Exploitability(env);
    double environmental = 0;
    if (modified_impact > 0) {
      double sum = env.scope_changed ? 1.08 * (modified_impact + modified_exploitability)
                                     : modified_impact + modified_exploitability;
      environmental = Roundup(Roundup(std::min(sum, 10.0)) * e * rl * rc);
    }
    out.environmental_score = environmental;
  }
  return out;
}

// Fills score, rating and base_rating for a v2 / v3 result.
void FinishScores(CvssScores* out) {
  out->score = out->environmental_score.value_or(out->temporal_score.value_or(out->base_score));
  out->base_rating = RatingForScore(out->version, out->base_score);
  out->rating = RatingForScore(out->version, out->score);
}

}  // namespace

absl::string_view CvssVersionName(CvssVersion version) {
  switch (version) {
    case CvssVersion::kV2_0:
      return "2.0";
    case CvssVersion::kV3_0:
      return "3.0";
    case CvssVersion::kV3_1:
      return "3.1";
    case CvssVersion::kV4_0:
      return "4.0";
  }
  return "";
}

absl::string_view CvssRatingName(CvssRating rating) {
  switch (rating) {
    case CvssRating::kNone:
      return "None";
    case CvssRating::kLow:
      return "Low";
    case CvssRating::kMedium:
      return "Medium";
    case CvssRating::kHigh:
      return "High";
    case CvssRating::kCritical:
      return "Critical";
  }
  return "";
}

CvssRating RatingForScore(CvssVersion version, double score) {
  if (version == CvssVersion::kV2_0) {
    if (score >= 7.0) return CvssRating::kHigh;
    if (score >= 4.0) return CvssRating::kMedium;
    return CvssRating::kLow;
  }
  if (score >= 9.0) return CvssRating::kCritical;
  if (score >= 7.0) return CvssRating::kHigh;
  if (score >= 4.0) return CvssRating::kMedium;
  if (score >= 0.1) return CvssRating::kLow;
  return CvssRating::kNone;
}

core::v1::Severity ToReportSeverity(CvssRating rating) {
  switch (rating) {
    case CvssRating::kNone:
    case CvssRating::kLow:
      return core::v1::SEVERITY_LOW;
    case CvssRating::kMedium:
      return core::v1::SEVERITY_MEDIUM;
    case CvssRating::kHigh:
      return core::v1::SEVERITY_HIGH;
    case CvssRating::kCritical:
      return core::v1::SEVERITY_CRITICAL;
  }
  return core::v1::SEVERITY_UNKNOWN;
}

absl::StatusOr<CvssScores> ScoreCvss(absl::string_view vector) {
  absl::string_view body = vector;
  if (!absl::StartsWith(vector, "CVSS:")) {
    BULWARK_ASSIGN_OR_RETURN(Metrics metrics, ParseMetrics(vector, body, kV2Metrics));
    CvssScores out = ScoreV2(metrics);
    FinishScores(&out);
    return out;
  }
  if (absl::ConsumePrefix(&body, "CVSS:4.0/")) {
    return cvss_internal::ScoreCvss4(vector, body);
  }
  CvssVersion version;
  if (absl::ConsumePrefix(&body, "CVSS:3.1/")) {
    version = CvssVersion::kV3_1;
  } else if (absl::ConsumePrefix(&body, "CVSS:3.0/")) {
    version = CvssVersion::kV3_0;
  } else {
    return VectorError(vector,
                       "unknown version prefix (expected CVSS:3.0/, CVSS:3.1/, CVSS:4.0/, or a "
                       "v2 vector without prefix)");
  }
  BULWARK_ASSIGN_OR_RETURN(Metrics metrics, ParseMetrics(vector, body, kV3Metrics));
  CvssScores out = ScoreV3(metrics, version);
  FinishScores(&out);
  return out;
}

}  // namespace bulwark::vuln
