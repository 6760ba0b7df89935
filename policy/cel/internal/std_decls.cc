#include "bulwark/policy/cel/internal/std_decls.h"

#include <cstdlib>
#include <iostream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace bulwark::cel::internal {
namespace {

// Splits "a, map(K, V) -> r" at top-level commas.
std::vector<std::string> SplitParams(absl::string_view text) {
  std::vector<std::string> out;
  int depth = 0;
  std::string current;
  for (char c : text) {
    if (c == '(') ++depth;
    if (c == ')') --depth;
    if (c == ',' && depth == 0) {
      out.emplace_back(absl::StripAsciiWhitespace(current));
      current.clear();
    } else {
      current.push_back(c);
    }
  }
  if (!absl::StripAsciiWhitespace(current).empty()) {
    out.emplace_back(absl::StripAsciiWhitespace(current));
  }
  return out;
}

// The declarations are constants of this file: a malformed one is a programming error.
Type MustParse(absl::string_view text) {
  absl::StatusOr<Type> type = Type::Parse(text);
  if (!type.ok()) {
    std::cerr << "bad built-in CEL declaration: " << type.status() << "\n";
    std::abort();
  }
  return *std::move(type);
}

class DeclBuilder {
 public:
  explicit DeclBuilder(FunctionDecls& decls) : decls_(decls) {}

  void Global(absl::string_view name, std::initializer_list<absl::string_view> signatures) {
    Add(name, false, signatures);
  }
  void Member(absl::string_view name, std::initializer_list<absl::string_view> signatures) {
    Add(name, true, signatures);
  }
  void Both(absl::string_view name, std::initializer_list<absl::string_view> signatures) {
    Add(name, false, signatures);
    Add(name, true, signatures);
  }

 private:
  void Add(absl::string_view name, bool member,
           std::initializer_list<absl::string_view> signatures) {
    std::vector<Overload>& overloads = decls_[name];
    for (absl::string_view signature : signatures) {
      std::pair<absl::string_view, absl::string_view> parts =
          absl::StrSplit(signature, absl::MaxSplits("->", 1));
      Overload overload;
      overload.id = absl::StrCat(name, member ? "_member_" : "_", overloads.size());
      overload.member = member;
      for (const std::string& param : SplitParams(parts.first)) {
        overload.params.push_back(MustParse(param));
      }
      overload.result = MustParse(absl::StripAsciiWhitespace(parts.second));
      overloads.push_back(std::move(overload));
    }
  }

  FunctionDecls& decls_;
};

FunctionDecls BuildStandardDeclarations() {
  FunctionDecls decls;
  DeclBuilder d(decls);
  d.Global("!_", {"bool -> bool"});
  d.Global("-_", {"int -> int", "double -> double"});
  d.Global("_&&_", {"bool, bool -> bool"});
  d.Global("_||_", {"bool, bool -> bool"});
  d.Global("@not_strictly_false", {"bool -> bool"});
  d.Global("_?_:_", {"bool, A, A -> A"});
  // Internal steps of the transformList/transformMap macros ([filter,] accumulate).
  d.Global("@transform", {"A -> A", "bool, A -> A"});
  d.Global("cel.@mapInsert", {"map(K, V), K, V -> map(K, V)"});
  d.Global("_==_", {"A, A -> bool"});
  d.Global("_!=_", {"A, A -> bool"});
  for (absl::string_view op : {"_<_", "_<=_", "_>_", "_>=_"}) {
    d.Global(op, {"bool, bool -> bool", "int, int -> bool", "uint, uint -> bool",
                  "double, double -> bool", "string, string -> bool", "bytes, bytes -> bool",
                  "timestamp, timestamp -> bool", "duration, duration -> bool", "int, uint -> bool",
                  "int, double -> bool", "uint, int -> bool", "uint, double -> bool",
                  "double, int -> bool", "double, uint -> bool"});
  }
  d.Global("_+_", {"int, int -> int", "uint, uint -> uint", "double, double -> double",
                   "string, string -> string", "bytes, bytes -> bytes",
                   "list(A), list(A) -> list(A)", "timestamp, duration -> timestamp",
                   "duration, timestamp -> timestamp", "duration, duration -> duration"});
  d.Global("_-_", {"int, int -> int", "uint, uint -> uint", "double, double -> double",
                   "timestamp, timestamp -> duration", "timestamp, duration -> timestamp",
                   "duration, duration -> duration"});
  d.Global("_*_", {"int, int -> int", "uint, uint -> uint", "double, double -> double"});
  d.Global("_/_", {"int, int -> int", "uint, uint -> uint", "double, double -> double"});
  d.Global("_%_", {"int, int -> int", "uint, uint -> uint"});
  d.Global("_[_]",
           {"list(A), int -> A", "map(K, V), K -> V", "optional(list(A)), int -> optional(A)",
            "optional(map(K, V)), K -> optional(V)"});
  d.Global("_[?_]",
           {"list(A), int -> optional(A)", "map(K, V), K -> optional(V)",
            "optional(list(A)), int -> optional(A)", "optional(map(K, V)), K -> optional(V)"});
  d.Global("@in", {"A, list(A) -> bool", "A, map(A, B) -> bool"});
  d.Both("size", {"string -> int", "bytes -> int", "list(A) -> int", "map(K, V) -> int"});
  d.Member("contains", {"string, string -> bool"});
  d.Member("startsWith", {"string, string -> bool"});
  d.Member("endsWith", {"string, string -> bool"});
  d.Both("matches", {"string, string -> bool"});

  d.Global("int",
           {"int -> int", "uint -> int", "double -> int", "string -> int", "timestamp -> int"});
  d.Global("uint", {"int -> uint", "uint -> uint", "double -> uint", "string -> uint"});
  d.Global("double", {"int -> double", "uint -> double", "double -> double", "string -> double"});
  d.Global("string",
           {"int -> string", "uint -> string", "double -> string", "bool -> string",
            "string -> string", "bytes -> string", "timestamp -> string", "duration -> string"});
  d.Global("bytes", {"bytes -> bytes", "string -> bytes"});
  d.Global("bool", {"bool -> bool", "string -> bool"});
  d.Global("timestamp", {"timestamp -> timestamp", "string -> timestamp", "int -> timestamp"});
  d.Global("duration", {"duration -> duration", "string -> duration"});
  d.Global("dyn", {"A -> dyn"});
  d.Global("type", {"A -> type(A)"});

  for (absl::string_view accessor :
       {"getFullYear", "getMonth", "getDayOfYear", "getDayOfMonth", "getDate", "getDayOfWeek"}) {
    d.Member(accessor, {"timestamp -> int", "timestamp, string -> int"});
  }
  for (absl::string_view accessor : {"getHours", "getMinutes", "getSeconds", "getMilliseconds"}) {
    d.Member(accessor, {"timestamp -> int", "timestamp, string -> int", "duration -> int"});
  }

  d.Global("optional.of", {"A -> optional(A)"});
  d.Global("optional.ofNonZeroValue", {"A -> optional(A)"});
  d.Global("optional.none", {" -> optional(A)"});
  d.Member("hasValue", {"optional(A) -> bool"});
  d.Member("value", {"optional(A) -> A"});
  d.Member("or", {"optional(A), optional(A) -> optional(A)"});
  d.Member("orValue", {"optional(A), A -> A"});
  return decls;
}

}  // namespace

const FunctionDecls& StandardDeclarations() {
  static const FunctionDecls* kDecls = new FunctionDecls(BuildStandardDeclarations());
  return *kDecls;
}

}  // namespace bulwark::cel::internal
