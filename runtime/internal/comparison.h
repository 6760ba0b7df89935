// One compiled comparison of a Falco condition (`field op operand`), shared by the tree evaluator
// (compiled_condition) and the flat test programs of the decision trie (test_program).
// Immutable after compilation; Evaluate() is const and safe from many threads.
#ifndef BULWARK_RUNTIME_INTERNAL_COMPARISON_H_
#define BULWARK_RUNTIME_INTERNAL_COMPARISON_H_

#include <sys/socket.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/string_view.h"
#include "bulwark/runtime/internal/fields.h"
#include "bulwark/runtime/internal/prefix_index.h"
#include "re2/re2.h"

namespace bulwark::runtime::internal {

enum class Op {
  kEq,
  kNe,
  kLt,
  kLe,
  kGt,
  kGe,
  kContains,
  kIContains,
  kBContains,
  kStartsWith,
  kBStartsWith,
  kEndsWith,
  kGlob,
  kIGlob,
  kPMatch,
  kIn,
  kIntersects,
  kExists,
  kRegex,
};

// An IPv4 or IPv6 network.
struct IpNet {
  int family = AF_INET;
  unsigned char address[16] = {};
  int prefix = 0;
};

// A parsed IPv4 or IPv6 address.
struct IpAddress {
  int family = 0;
  unsigned char bytes[16] = {};
};

// Parses dotted IPv4 or IPv6 text; false when `text` is neither.
bool ParseIpAddress(absl::string_view text, IpAddress& out);
bool NetContains(const IpNet& net, const IpAddress& address);

struct Comparison;

// The alternatives of a merged comparison grouped by operator, so that a value is tried against
// all equalities in one set lookup, all prefixes in one index walk, then the suffixes and
// substrings, and only the remaining operators one by one.
struct TextAlternatives {
  absl::flat_hash_set<std::string> exact;  // = / in / intersects operands.
  PrefixIndex<char> prefixes;  // startswith operands and `prefix*` globs (payload unused).
  bool has_prefixes = false;
  std::vector<std::string> suffixes;  // endswith operands.
  std::vector<std::string> needles;   // contains operands.
  // Globs whose only wildcard is `*`, as their pieces (owned by the alternatives).
  std::vector<const std::vector<std::string>*> star_globs;
  std::vector<const Comparison*> others;  // Owned by the merged comparison's alternatives.

  // Groups `alternatives` (each a plain comparison on the same field).
  explicit TextAlternatives(const std::vector<std::shared_ptr<const Comparison>>& alternatives);
  // Whether `value` satisfies some alternative.
  bool Match(absl::string_view value) const;
};

struct Comparison {
  BoundField field;
  Op op = Op::kEq;
  std::vector<std::string> strings;
  absl::flat_hash_set<std::string> string_set;  // kEq/kIn/kIntersects with many items.
  std::vector<int64_t> numbers;
  std::vector<IpNet> nets;
  std::unique_ptr<RE2> regex;
  std::optional<BoundField> rhs_field;
  // kGlob: the pattern's literal text before its first and after its last wildcard; a value
  // without them cannot match, which spares most fnmatch calls.
  std::string glob_prefix;
  std::string glob_suffix;
  // kGlob whose only wildcard is `*` (most Falco globs: /proc/*/environ, /home/*/.ssh/*): the
  // literal pieces between the stars, matched in order without fnmatch. Empty otherwise.
  std::vector<std::string> glob_star_pieces;
  // `f op1 a or f op2 b or ...` merged (see MergeTextAlternatives): `field` is read once and
  // matches when any value matches any alternative. Empty for a plain comparison.
  std::vector<std::shared_ptr<const Comparison>> alternatives;
  // `alternatives` grouped for matching (set whenever they are).
  std::shared_ptr<const TextAlternatives> grouped_alternatives;

  // The comparison on the context's event (the reference semantics).
  bool Evaluate(ExtractContext& context) const;
  // Whether one text value (a number rendered in decimal) satisfies the operator and operand.
  bool MatchText(absl::string_view value) const;
  bool MatchNumber(int64_t value) const;
};

}  // namespace bulwark::runtime::internal

#endif  // BULWARK_RUNTIME_INTERNAL_COMPARISON_H_
