// CVSS v4.0 scoring (Specification Document v1.2, section 8): the vector's MacroVector (EQ1..EQ6)
// selects a score from the expert-assigned table, and the score is lowered by the vector's
// severity distance from the highest-severity vectors of its MacroVector, as a proportion of the
// score gap to each next-lower MacroVector.
#include <array>
#include <cmath>
#include <string>

#include "absl/strings/str_cat.h"
#include "bulwark/core/status_macros.h"
#include "bulwark/image/vuln/cvss.h"
#include "bulwark/image/vuln/cvss_metrics.h"

namespace bulwark::vuln::cvss_internal {
namespace {

constexpr MetricSpec kV4Metrics[] = {
    // Base.
    {"AV", "N A L P", true},
    {"AC", "L H", true},
    {"AT", "N P", true},
    {"PR", "N L H", true},
    {"UI", "N P A", true},
    {"VC", "H L N", true},
    {"VI", "H L N", true},
    {"VA", "H L N", true},
    {"SC", "H L N", true},
    {"SI", "H L N", true},
    {"SA", "H L N", true},
    // Threat.
    {"E", "X A P U", false},
    // Environmental.
    {"CR", "X H M L", false},
    {"IR", "X H M L", false},
    {"AR", "X H M L", false},
    {"MAV", "X N A L P", false},
    {"MAC", "X L H", false},
    {"MAT", "X N P", false},
    {"MPR", "X N L H", false},
    {"MUI", "X N P A", false},
    {"MVC", "X H L N", false},
    {"MVI", "X H L N", false},
    {"MVA", "X H L N", false},
    {"MSC", "X H L N", false},
    {"MSI", "X S H L N", false},
    {"MSA", "X S H L N", false},
    // Supplemental (no effect on the score).
    {"S", "X N P", false},
    {"AU", "X N Y", false},
    {"R", "X A U I", false},
    {"V", "X D C", false},
    {"RE", "X L M H", false},
    {"U", "X Clear Green Amber Red", false},
};

constexpr absl::string_view kEnvironmentalMetrics[] = {
    "CR", "IR", "AR", "MAV", "MAC", "MAT", "MPR", "MUI", "MVC", "MVI", "MVA", "MSC", "MSI", "MSA"};

// The MacroVector scores of the specification's lookup table (cvss_lookup.js of the FIRST
// calculator), indexed by EQ1 (0-2), EQ2 (0-1), EQ3 (0-2), EQ4 (0-2), EQ5 (0-2), EQ6 (0-1) in
// that order. -1 marks the 54 combinations that cannot occur (EQ3 = 2 implies EQ6 = 1).
// Each row holds one EQ1 EQ2 EQ3 prefix: EQ4, EQ5, EQ6 vary fastest to the right.
constexpr double kMacroVectorScores[] = {
    /* 000 */ 10.0,
    9.9,
    9.8,
    9.5,
    9.5,
    9.2,
    10.0,
    9.6,
    9.3,
    8.7,
    9.1,
    8.1,
    9.3,
    9.0,
    8.9,
    8.0,
    8.1,
    6.8,
    /* 001 */ 9.8,
    9.5,
    9.5,
    9.2,
    9.0,
    8.4,
    9.3,
    9.2,
    8.9,
    8.1,
    8.1,
    6.5,
    8.8,
    8.0,
    7.8,
    7.0,
    6.9,
    4.8,
    /* 002 */ -1,
    9.2,
    -1,
    8.2,
    -1,
    7.2,
    -1,
    7.9,
    -1,
    6.9,
    -1,
    5.0,
    -1,
    6.9,
    -1,
    5.5,
    -1,
    2.7,
    /* 010 */ 9.9,
    9.7,
    9.5,
    9.2,
    9.2,
    8.5,
    9.5,
    9.1,
    9.0,
    8.3,
    8.4,
    7.1,
    9.2,
    8.1,
    8.2,
    7.1,
    7.2,
    5.3,
    /* 011 */ 9.5,
    9.3,
    9.2,
    8.5,
    8.5,
    7.3,
    9.2,
    8.2,
    8.0,
    7.2,
    7.0,
    5.9,
    8.4,
    7.0,
    7.1,
    5.2,
    5.0,
    3.0,
    /* 012 */ -1,
    8.6,
    -1,
    7.5,
    -1,
    5.2,
    -1,
    7.1,
    -1,
    5.2,
    -1,
    2.9,
    -1,
    6.3,
    -1,
    2.9,
    -1,
    1.7,
    /* 100 */ 9.8,
    9.5,
    9.4,
    8.7,
    9.1,
    8.1,
    9.4,
    8.9,
    8.6,
    7.4,
    7.7,
    6.4,
    8.7,
    7.5,
    7.4,
    6.3,
    6.3,
    4.9,
    /* 101 */ 9.4,
    8.9,
    8.8,
    7.7,
    7.6,
    6.7,
    8.6,
    7.6,
    7.4,
    5.8,
    5.9,
    5.0,
    7.2,
    5.7,
    5.7,
    5.2,
    5.2,
    2.5,
    /* 102 */ -1,
    8.3,
    -1,
    7.0,
    -1,
    5.4,
    -1,
    6.5,
    -1,
    5.8,
    -1,
    2.6,
    -1,
    5.3,
    -1,
    2.1,
    -1,
    1.3,
    /* 110 */ 9.5,
    9.0,
    8.8,
    7.6,
    7.6,
    7.0,
    9.0,
    7.7,
    7.5,
    6.2,
    6.1,
    5.3,
    7.7,
    6.6,
    6.8,
    5.9,
    5.2,
    3.0,
    /* 111 */ 8.9,
    7.8,
    7.6,
    6.7,
    6.2,
    5.8,
    7.4,
    5.9,
    5.7,
    5.7,
    4.7,
    2.3,
    6.1,
    5.2,
    5.7,
    2.9,
    2.4,
    1.6,
    /* 112 */ -1,
    7.1,
    -1,
    5.9,
    -1,
    3.0,
    -1,
    5.8,
    -1,
    2.6,
    -1,
    1.5,
    -1,
    2.3,
    -1,
    1.3,
    -1,
    0.6,
    /* 200 */ 9.3,
    8.7,
    8.6,
    7.2,
    7.5,
    5.8,
    8.6,
    7.4,
    7.4,
    6.1,
    5.6,
    3.4,
    7.0,
    5.4,
    5.2,
    4.0,
    4.0,
    2.2,
    /* 201 */ 8.5,
    7.5,
    7.4,
    5.5,
    6.2,
    5.1,
    7.2,
    5.7,
    5.5,
    4.1,
    4.6,
    1.9,
    5.3,
    3.6,
    3.4,
    1.9,
    1.9,
    0.8,
    /* 202 */ -1,
    6.4,
    -1,
    5.1,
    -1,
    2.0,
    -1,
    4.7,
    -1,
    2.1,
    -1,
    1.1,
    -1,
    2.4,
    -1,
    0.9,
    -1,
    0.4,
    /* 210 */ 8.8,
    7.5,
    7.3,
    5.3,
    6.0,
    5.0,
    7.3,
    5.5,
    5.9,
    4.0,
    4.1,
    2.0,
    5.4,
    4.3,
    4.5,
    2.2,
    2.0,
    1.1,
    /* 211 */ 7.5,
    5.5,
    5.8,
    4.5,
    4.0,
    2.1,
    6.1,
    5.1,
    4.8,
    1.8,
    2.0,
    0.9,
    4.6,
    1.8,
    1.7,
    0.7,
    0.8,
    0.2,
    /* 212 */ -1,
    5.3,
    -1,
    2.4,
    -1,
    1.4,
    -1,
    2.4,
    -1,
    1.2,
    -1,
    0.5,
    -1,
    1.0,
    -1,
    0.3,
    -1,
    0.1,
};
static_assert(sizeof(kMacroVectorScores) / sizeof(double) == 3 * 2 * 3 * 3 * 3 * 2);

struct MacroVector {
  int eq[6];
};

// The table score of `mv`, or NaN when that MacroVector does not exist (out of range or one of
// the impossible combinations): the specification then ignores that direction.
double LookupScore(const MacroVector& mv) {
  constexpr int kLevels[6] = {3, 2, 3, 3, 3, 2};
  int index = 0;
  for (int i = 0; i < 6; ++i) {
    if (mv.eq[i] < 0 || mv.eq[i] >= kLevels[i]) return std::nan("");
    index = index * kLevels[i] + mv.eq[i];
  }
  double score = kMacroVectorScores[index];
  return score < 0 ? std::nan("") : score;
}

// The metric values scoring uses: Modified metrics override Base metrics, and the Threat and
// security-requirement metrics left X take their worst case (E:A, CR/IR/AR:H).
class EffectiveMetrics {
 public:
  EffectiveMetrics(const Metrics& metrics, bool base_only)
      : metrics_(metrics), base_only_(base_only) {}

  absl::string_view operator()(absl::string_view name) const {
    if (name == "E" || name == "CR" || name == "IR" || name == "AR") {
      absl::string_view value = base_only_ ? "X" : metrics_.Get(name, "X");
      if (value != "X") return value;
      return name == "E" ? "A" : "H";
    }
    if (!base_only_) {
      absl::string_view modified = metrics_.Get(absl::StrCat("M", name), "X");
      if (modified != "X") return modified;
    }
    return metrics_.Get(name);
  }

 private:
  const Metrics& metrics_;
  bool base_only_;
};

MacroVector ComputeMacroVector(const EffectiveMetrics& m) {
  MacroVector mv;
  // EQ1: AV/PR/UI.
  if (m("AV") == "N" && m("PR") == "N" && m("UI") == "N") {
    mv.eq[0] = 0;
  } else if ((m("AV") == "N" || m("PR") == "N" || m("UI") == "N") && m("AV") != "P") {
    mv.eq[0] = 1;
  } else {
    mv.eq[0] = 2;
  }
  // EQ2: AC/AT.
  mv.eq[1] = m("AC") == "L" && m("AT") == "N" ? 0 : 1;
  // EQ3: VC/VI/VA.
  if (m("VC") == "H" && m("VI") == "H") {
    mv.eq[2] = 0;
  } else if (m("VC") == "H" || m("VI") == "H" || m("VA") == "H") {
    mv.eq[2] = 1;
  } else {
    mv.eq[2] = 2;
  }
  // EQ4: SC/SI/SA, where only MSI/MSA can be Safety (S).
  if (m("SI") == "S" || m("SA") == "S") {
    mv.eq[3] = 0;
  } else if (m("SC") == "H" || m("SI") == "H" || m("SA") == "H") {
    mv.eq[3] = 1;
  } else {
    mv.eq[3] = 2;
  }
  // EQ5: E.
  absl::string_view e = m("E");
  mv.eq[4] = e == "A" ? 0 : e == "P" ? 1 : 2;
  // EQ6: CR/IR/AR against VC/VI/VA.
  bool high = (m("CR") == "H" && m("VC") == "H") || (m("IR") == "H" && m("VI") == "H") ||
              (m("AR") == "H" && m("VA") == "H");
  mv.eq[5] = high ? 0 : 1;
  return mv;
}

// Severity levels of the metric values within a MacroVector, in the specification's steps of
// 0.1 (0 is the most severe). The same double constants as the reference calculator, so that
// sums and quotients round the same way.
double Level(absl::string_view metric, absl::string_view value) {
  struct Row {
    absl::string_view metric, value;
    double level;
  };
  static constexpr Row kLevels[] = {
      {"AV", "N", 0.0}, {"AV", "A", 0.1}, {"AV", "L", 0.2}, {"AV", "P", 0.3}, {"PR", "N", 0.0},
      {"PR", "L", 0.1}, {"PR", "H", 0.2}, {"UI", "N", 0.0}, {"UI", "P", 0.1}, {"UI", "A", 0.2},
      {"AC", "L", 0.0}, {"AC", "H", 0.1}, {"AT", "N", 0.0}, {"AT", "P", 0.1}, {"VC", "H", 0.0},
      {"VC", "L", 0.1}, {"VC", "N", 0.2}, {"VI", "H", 0.0}, {"VI", "L", 0.1}, {"VI", "N", 0.2},
      {"VA", "H", 0.0}, {"VA", "L", 0.1}, {"VA", "N", 0.2}, {"SC", "H", 0.1}, {"SC", "L", 0.2},
      {"SC", "N", 0.3}, {"SI", "S", 0.0}, {"SI", "H", 0.1}, {"SI", "L", 0.2}, {"SI", "N", 0.3},
      {"SA", "S", 0.0}, {"SA", "H", 0.1}, {"SA", "L", 0.2}, {"SA", "N", 0.3}, {"CR", "H", 0.0},
      {"CR", "M", 0.1}, {"CR", "L", 0.2}, {"IR", "H", 0.0}, {"IR", "M", 0.1}, {"IR", "L", 0.2},
      {"AR", "H", 0.0}, {"AR", "M", 0.1}, {"AR", "L", 0.2},
  };
  for (const Row& row : kLevels) {
    if (row.metric == metric && row.value == value) return row.level;
  }
  return 0;
}

// The highest-severity vectors of each EQ level (the specification's "max vectors"), as
// METRIC:VALUE lists.
using Assignment = std::initializer_list<std::pair<absl::string_view, absl::string_view>>;
using AssignmentList = std::initializer_list<Assignment>;

// EQ1 (AV, PR, UI) per level.
const AssignmentList& Eq1Maxima(int level) {
  static const AssignmentList kLevels[3] = {
      {{{"AV", "N"}, {"PR", "N"}, {"UI", "N"}}},
      {{{"AV", "A"}, {"PR", "N"}, {"UI", "N"}},
       {{"AV", "N"}, {"PR", "L"}, {"UI", "N"}},
       {{"AV", "N"}, {"PR", "N"}, {"UI", "P"}}},
      {{{"AV", "P"}, {"PR", "N"}, {"UI", "N"}}, {{"AV", "A"}, {"PR", "L"}, {"UI", "P"}}},
  };
  return kLevels[level];
}

// EQ2 (AC, AT) per level.
const AssignmentList& Eq2Maxima(int level) {
  static const AssignmentList kLevels[2] = {
      {{{"AC", "L"}, {"AT", "N"}}},
      {{{"AC", "H"}, {"AT", "N"}}, {{"AC", "L"}, {"AT", "P"}}},
  };
  return kLevels[level];
}

// EQ3 and EQ6 together (VC, VI, VA, CR, IR, AR) per (EQ3, EQ6) level.
const AssignmentList& Eq3Eq6Maxima(int eq3, int eq6) {
  static const AssignmentList kLevels[3][2] = {
      {{{{"VC", "H"}, {"VI", "H"}, {"VA", "H"}, {"CR", "H"}, {"IR", "H"}, {"AR", "H"}}},
       {{{"VC", "H"}, {"VI", "H"}, {"VA", "L"}, {"CR", "M"}, {"IR", "M"}, {"AR", "H"}},
        {{"VC", "H"}, {"VI", "H"}, {"VA", "H"}, {"CR", "M"}, {"IR", "M"}, {"AR", "M"}}}},
      {{{{"VC", "L"}, {"VI", "H"}, {"VA", "H"}, {"CR", "H"}, {"IR", "H"}, {"AR", "H"}},
        {{"VC", "H"}, {"VI", "L"}, {"VA", "H"}, {"CR", "H"}, {"IR", "H"}, {"AR", "H"}}},
       {{{"VC", "L"}, {"VI", "H"}, {"VA", "L"}, {"CR", "H"}, {"IR", "M"}, {"AR", "H"}},
        {{"VC", "L"}, {"VI", "H"}, {"VA", "H"}, {"CR", "H"}, {"IR", "M"}, {"AR", "M"}},
        {{"VC", "H"}, {"VI", "L"}, {"VA", "H"}, {"CR", "M"}, {"IR", "H"}, {"AR", "M"}},
        {{"VC", "H"}, {"VI", "L"}, {"VA", "L"}, {"CR", "M"}, {"IR", "H"}, {"AR", "H"}},
        {{"VC", "L"}, {"VI", "L"}, {"VA", "H"}, {"CR", "H"}, {"IR", "H"}, {"AR", "M"}}}},
      {{}, {{{"VC", "L"}, {"VI", "L"}, {"VA", "L"}, {"CR", "H"}, {"IR", "H"}, {"AR", "H"}}}},
  };
  return kLevels[eq3][eq6];
}

// EQ4 (SC, SI, SA) per level.
const AssignmentList& Eq4Maxima(int level) {
  static const AssignmentList kLevels[3] = {
      {{{"SC", "H"}, {"SI", "S"}, {"SA", "S"}}},
      {{{"SC", "H"}, {"SI", "H"}, {"SA", "H"}}},
      {{{"SC", "L"}, {"SI", "L"}, {"SA", "L"}}},
  };
  return kLevels[level];
}

// The depth of each EQ level in steps of 0.1 (the specification's "max severity" plus one).
double Depth(int eq, const MacroVector& mv) {
  switch (eq) {
    case 0:
      return std::array<double, 3>{1, 4, 5}[mv.eq[0]];
    case 1:
      return std::array<double, 2>{1, 2}[mv.eq[1]];
    case 2:  // EQ3 with EQ6.
      if (mv.eq[2] == 0) return mv.eq[5] == 0 ? 7 : 6;
      if (mv.eq[2] == 1) return 8;
      return 10;
    default:  // EQ4.
      return std::array<double, 3>{6, 5, 4}[mv.eq[3]];
  }
}

// Sum over `assignment` of level(vector's value) - level(max value); false if any term is
// negative (the vector is not below that max vector).
bool DistanceFrom(const EffectiveMetrics& m, const Assignment& assignment, double* sum) {
  *sum = 0;
  bool below = true;
  for (const auto& [metric, max_value] : assignment) {
    double term = Level(metric, m(metric)) - Level(metric, max_value);
    if (term < 0) below = false;
    *sum += term;
  }
  return below;
}

double Score(const EffectiveMetrics& m, MacroVector* macro_vector) {
  MacroVector mv = ComputeMacroVector(m);
  *macro_vector = mv;
  bool no_impact = true;
  for (absl::string_view metric : {"VC", "VI", "VA", "SC", "SI", "SA"}) {
    no_impact = no_impact && m(metric) == "N";
  }
  if (no_impact) return 0.0;
  double value = LookupScore(mv);

  // Score of the next lower MacroVector in each direction (NaN: none).
  auto lower = [&](int eq, int step_eq6 = 0) {
    MacroVector next = mv;
    next.eq[eq] += 1;
    next.eq[5] += step_eq6;
    return LookupScore(next);
  };
  double lower_eq1 = lower(0);
  double lower_eq2 = lower(1);
  double lower_eq3eq6;
  if (mv.eq[2] == 0 && mv.eq[5] == 0) {
    // Two ways down (EQ6 first, or EQ3 first): the higher score.
    MacroVector left = mv, right = mv;
    left.eq[5] += 1;
    right.eq[2] += 1;
    double left_score = LookupScore(left), right_score = LookupScore(right);
    lower_eq3eq6 = left_score > right_score ? left_score : right_score;
  } else if (mv.eq[2] == 1 && mv.eq[5] == 0) {
    MacroVector next = mv;
    next.eq[5] += 1;
    lower_eq3eq6 = LookupScore(next);
  } else if (mv.eq[2] == 2) {
    lower_eq3eq6 = std::nan("");  // (2, 1) is the lowest.
  } else {
    lower_eq3eq6 = lower(2);  // (0, 1) -> (1, 1), (1, 1) -> (2, 1).
  }
  double lower_eq4 = lower(3);
  double lower_eq5 = lower(4);

  // The first max vector (in the specification's order) that the vector is not above, and the
  // vector's severity distance from it per EQ.
  double distance[4] = {0, 0, 0, 0};
  bool found = false;
  for (const Assignment& eq1 : Eq1Maxima(mv.eq[0])) {
    for (const Assignment& eq2 : Eq2Maxima(mv.eq[1])) {
      for (const Assignment& eq3eq6 : Eq3Eq6Maxima(mv.eq[2], mv.eq[5])) {
        for (const Assignment& eq4 : Eq4Maxima(mv.eq[3])) {
          if (found) continue;
          bool below = DistanceFrom(m, eq1, &distance[0]);
          below = DistanceFrom(m, eq2, &distance[1]) && below;
          below = DistanceFrom(m, eq3eq6, &distance[2]) && below;
          below = DistanceFrom(m, eq4, &distance[3]) && below;
          found = below;
        }
      }
    }
  }

  constexpr double kStep = 0.1;
  double lowers[4] = {lower_eq1, lower_eq2, lower_eq3eq6, lower_eq4};
  double normalized_sum = 0;
  int existing_lower = 0;
  for (int eq = 0; eq < 4; ++eq) {
    double available = value - lowers[eq];
    if (std::isnan(available)) continue;
    ++existing_lower;
    double percent = distance[eq] / (Depth(eq, mv) * kStep);
    normalized_sum += available * percent;
  }
  // EQ5 counts as a direction but its proportion is always 0 (E has one max value per level).
  if (!std::isnan(value - lower_eq5)) ++existing_lower;
  double mean = existing_lower == 0 ? 0 : normalized_sum / existing_lower;
  value -= mean;
  if (value < 0) value = 0;
  if (value > 10) value = 10;
  return std::floor(value * 10 + 0.5) / 10;
}

}  // namespace

absl::StatusOr<CvssScores> ScoreCvss4(absl::string_view vector, absl::string_view body) {
  BULWARK_ASSIGN_OR_RETURN(Metrics metrics, ParseMetrics(vector, body, kV4Metrics));
  CvssScores out;
  out.version = CvssVersion::kV4_0;
  MacroVector base_mv, mv;
  out.base_score = Score(EffectiveMetrics(metrics, /*base_only=*/true), &base_mv);
  out.score = Score(EffectiveMetrics(metrics, /*base_only=*/false), &mv);
  out.base_rating = RatingForScore(out.version, out.base_score);
  out.rating = RatingForScore(out.version, out.score);
  for (int eq : mv.eq) absl::StrAppend(&out.macro_vector, eq);
  bool threat = metrics.Get("E", "X") != "X";
  bool environmental = false;
  for (absl::string_view name : kEnvironmentalMetrics) {
    environmental = environmental || metrics.Get(name, "X") != "X";
  }
  out.nomenclature = absl::StrCat("CVSS-B", threat ? "T" : "", environmental ? "E" : "");
  return out;
}

}  // namespace bulwark::vuln::cvss_internal
