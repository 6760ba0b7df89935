#include "bulwark/tests/conformance/cel/runner.h"

#include <cmath>
#include <memory>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "bulwark/core/file.h"
#include "bulwark/policy/cel/cel.h"
#include "bulwark/tests/conformance/cel/simple.pb.h"
#include "bulwark/tests/conformance/cel/test_all_types_proto2.pb.h"
#include "bulwark/tests/conformance/cel/test_all_types_proto3.pb.h"
#include "google/protobuf/any.pb.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/dynamic_message.h"
#include "google/protobuf/text_format.h"
#include "google/protobuf/util/message_differencer.h"

namespace bulwark::cel::conformance {
namespace {

using ::cel::expr::conformance::test::SimpleTest;
using ::cel::expr::conformance::test::SimpleTestFile;

// Converts an expected cel.expr.Value into a CEL value.
absl::StatusOr<Value> FromProto(const ::cel::expr::Value& v) {
  switch (v.kind_case()) {
    case ::cel::expr::Value::kNullValue:
      return Value::Null();
    case ::cel::expr::Value::kBoolValue:
      return Value::Bool(v.bool_value());
    case ::cel::expr::Value::kInt64Value:
      return Value::Int(v.int64_value());
    case ::cel::expr::Value::kUint64Value:
      return Value::Uint(v.uint64_value());
    case ::cel::expr::Value::kDoubleValue:
      return Value::Double(v.double_value());
    case ::cel::expr::Value::kStringValue:
      return Value::String(v.string_value());
    case ::cel::expr::Value::kBytesValue:
      return Value::Bytes(v.bytes_value());
    case ::cel::expr::Value::kEnumValue:
      return Value::Int(v.enum_value().value());
    case ::cel::expr::Value::kTypeValue:
      return Value::Type(v.type_value());
    case ::cel::expr::Value::kObjectValue: {
      auto any = std::make_shared<google::protobuf::Any>(v.object_value());
      Value unpacked = ValueFromMessage(std::move(any));
      if (unpacked.is_error()) return unpacked.error();
      return unpacked;
    }
    case ::cel::expr::Value::kListValue: {
      std::vector<Value> elements;
      for (const auto& e : v.list_value().values()) {
        absl::StatusOr<Value> element = FromProto(e);
        if (!element.ok()) return element.status();
        elements.push_back(*std::move(element));
      }
      return Value::List(std::move(elements));
    }
    case ::cel::expr::Value::kMapValue: {
      std::vector<std::pair<Value, Value>> entries;
      for (const auto& e : v.map_value().entries()) {
        absl::StatusOr<Value> key = FromProto(e.key());
        absl::StatusOr<Value> value = FromProto(e.value());
        if (!key.ok()) return key.status();
        if (!value.ok()) return value.status();
        entries.emplace_back(*std::move(key), *std::move(value));
      }
      return Value::Map(std::move(entries));
    }
    case ::cel::expr::Value::KIND_NOT_SET:
      break;
  }
  return absl::InvalidArgumentError("expected value has no kind");
}

// Converts a cel.expr.Type into the checker's Type.
absl::StatusOr<Type> TypeFromProto(const ::cel::expr::Type& t) {
  using P = ::cel::expr::Type;
  auto primitive = [](P::PrimitiveType p) -> absl::StatusOr<Type> {
    switch (p) {
      case P::BOOL:
        return Type::Bool();
      case P::INT64:
        return Type::Int();
      case P::UINT64:
        return Type::Uint();
      case P::DOUBLE:
        return Type::Double();
      case P::STRING:
        return Type::String();
      case P::BYTES:
        return Type::Bytes();
      default:
        return absl::InvalidArgumentError("unspecified primitive type");
    }
  };
  switch (t.type_kind_case()) {
    case P::kDyn:
      return Type::Dyn();
    case P::kNull:
      return Type::Null();
    case P::kPrimitive:
      return primitive(t.primitive());
    case P::kWrapper: {
      absl::StatusOr<Type> wrapped = primitive(t.wrapper());
      if (!wrapped.ok()) return wrapped.status();
      return Type::Wrapper(*wrapped);
    }
    case P::kWellKnown:
      switch (t.well_known()) {
        case P::ANY:
          return Type::Any();
        case P::TIMESTAMP:
          return Type::Timestamp();
        case P::DURATION:
          return Type::Duration();
        default:
          return absl::InvalidArgumentError("unspecified well-known type");
      }
    case P::kListType: {
      absl::StatusOr<Type> element = TypeFromProto(t.list_type().elem_type());
      if (!element.ok()) return element.status();
      return Type::List(*element);
    }
    case P::kMapType: {
      absl::StatusOr<Type> key = TypeFromProto(t.map_type().key_type());
      absl::StatusOr<Type> value = TypeFromProto(t.map_type().value_type());
      if (!key.ok()) return key.status();
      if (!value.ok()) return value.status();
      return Type::Map(*key, *value);
    }
    case P::kMessageType: {
      // Well-known message names denote their CEL types.
      absl::StatusOr<Type> parsed = Type::Parse(t.message_type());
      if (parsed.ok() && parsed->kind() != Type::Kind::kOpaque) return *parsed;
      return Type::Message(t.message_type());
    }
    case P::kTypeParam:
      return Type::Param(t.type_param());
    case P::kType: {
      absl::StatusOr<Type> denoted = TypeFromProto(t.type());
      if (!denoted.ok()) return denoted.status();
      return Type::TypeOf(*denoted);
    }
    case P::kError:
      return Type::Error();
    case P::kAbstractType: {
      std::vector<Type> params;
      for (const auto& p : t.abstract_type().parameter_types()) {
        absl::StatusOr<Type> param = TypeFromProto(p);
        if (!param.ok()) return param.status();
        params.push_back(*param);
      }
      return Type::Opaque(t.abstract_type().name(), std::move(params));
    }
    default:
      return absl::InvalidArgumentError("unsupported cel.expr.Type kind");
  }
}

// Adds the test's declarations (typed variables and functions) to `env`.
absl::Status Declare(const SimpleTest& test, Env& env) {
  for (const auto& decl : test.type_env()) {
    if (decl.has_ident()) {
      absl::StatusOr<Type> type = TypeFromProto(decl.ident().type());
      if (!type.ok()) return type.status();
      env.DeclareVariable(decl.name(), *type);
      continue;
    }
    std::vector<Overload> overloads;
    for (const auto& o : decl.function().overloads()) {
      Overload overload;
      overload.id = o.overload_id();
      overload.member = o.is_instance_function();
      for (const auto& p : o.params()) {
        absl::StatusOr<Type> param = TypeFromProto(p);
        if (!param.ok()) return param.status();
        overload.params.push_back(*param);
      }
      absl::StatusOr<Type> result = TypeFromProto(o.result_type());
      if (!result.ok()) return result.status();
      overload.result = *result;
      overloads.push_back(std::move(overload));
    }
    env.DeclareFunction(decl.name(), std::move(overloads));
  }
  return absl::OkStatus();
}

// "" when the deduced type is the expected one (or none is expected), else the difference.
std::string CompareDeducedType(const SimpleTest& test, const Type& deduced) {
  if (!test.has_typed_result() || !test.typed_result().has_deduced_type()) return "";
  absl::StatusOr<Type> expected = TypeFromProto(test.typed_result().deduced_type());
  if (!expected.ok()) return absl::StrCat("bad expected type: ", expected.status().ToString());
  if (*expected == deduced) return "";
  return absl::StrCat("expected type ", expected->DebugString(), ", deduced ",
                      deduced.DebugString());
}

// Exact comparison: same kinds, NaN equals NaN, maps order-agnostic.
bool SameValue(const Value& expected, const Value& actual) {
  if (expected.kind() != actual.kind()) return false;
  switch (expected.kind()) {
    case Kind::kNull:
      return true;
    case Kind::kBool:
      return expected.bool_value() == actual.bool_value();
    case Kind::kInt:
      return expected.int_value() == actual.int_value();
    case Kind::kUint:
      return expected.uint_value() == actual.uint_value();
    case Kind::kDouble:
      if (std::isnan(expected.double_value())) return std::isnan(actual.double_value());
      return expected.double_value() == actual.double_value();
    case Kind::kString:
    case Kind::kBytes:
      return expected.string_value() == actual.string_value();
    case Kind::kType:
      return expected.type_name() == actual.type_name();
    case Kind::kTimestamp:
      return expected.timestamp_value() == actual.timestamp_value();
    case Kind::kDuration:
      return expected.duration_value() == actual.duration_value();
    case Kind::kList:
      if (expected.ListSize() != actual.ListSize()) return false;
      for (size_t i = 0; i < expected.ListSize(); ++i) {
        if (!SameValue(expected.ListGet(i), actual.ListGet(i))) return false;
      }
      return true;
    case Kind::kMap:
      if (expected.MapSize() != actual.MapSize()) return false;
      for (const Value& key : expected.MapKeys()) {
        std::optional<Value> found = actual.MapFind(key);
        if (!found || !SameValue(*expected.MapFind(key), *found)) return false;
      }
      return true;
    case Kind::kMessage:
      return expected.message()->GetDescriptor() == actual.message()->GetDescriptor() &&
             google::protobuf::util::MessageDifferencer::Equals(*expected.message(),
                                                                *actual.message());
    case Kind::kOptional:
      if (expected.optional_has_value() != actual.optional_has_value()) return false;
      return !expected.optional_has_value() ||
             SameValue(expected.optional_value(), actual.optional_value());
    default:
      return false;
  }
}

// Runs one test; returns "" on success or a description of the failure.
std::string RunTest(const SimpleTest& test) {
  Env env;
  env.container = test.container();
  env.parse_options.enable_macros = !test.disable_macros();
  if (absl::Status declared = Declare(test, env); !declared.ok()) {
    return absl::StrCat("bad declaration: ", declared.ToString());
  }
  // Every test is type-checked unless it opts out; bindings without a declaration are dyn.
  env.type_check = !test.disable_check();
  env.allow_undeclared = test.disable_check();
  if (test.check_only()) {
    absl::StatusOr<Type> deduced = Check(test.expr(), env);
    if (!deduced.ok()) return absl::StrCat("check error: ", deduced.status().message());
    return CompareDeducedType(test, *deduced);
  }
  Activation activation;
  for (const auto& [name, expr_value] : test.bindings()) {
    env.DeclareVariable(name);
    if (!expr_value.has_value()) return "binding is not a value";
    absl::StatusOr<Value> v = FromProto(expr_value.value());
    if (!v.ok()) return absl::StrCat("binding ", name, ": ", v.status().ToString());
    activation.Bind(name, *std::move(v));
  }
  bool expect_error = test.result_matcher_case() == SimpleTest::kEvalError ||
                      test.result_matcher_case() == SimpleTest::kAnyEvalErrors;
  absl::StatusOr<std::shared_ptr<const Program>> program = Compile(test.expr(), env);
  if (!program.ok()) {
    if (expect_error) return "";
    return absl::StrCat("compile error: ", program.status().message());
  }
  Value result = (*program)->EvaluateToValue(activation);
  if (expect_error) {
    if (result.is_error()) return "";
    return absl::StrCat("expected an error, got ", result.DebugString());
  }
  if (result.is_error()) return absl::StrCat("unexpected error: ", result.error().message());
  Value expected = Value::Bool(true);
  if (test.has_value() || test.has_typed_result()) {
    absl::StatusOr<Value> e =
        FromProto(test.has_value() ? test.value() : test.typed_result().result());
    if (!e.ok()) return absl::StrCat("bad expected value: ", e.status().ToString());
    expected = *std::move(e);
  }
  if (!SameValue(expected, result)) {
    return absl::StrCat("expected ", expected.DebugString(), ", got ", result.DebugString());
  }
  return CompareDeducedType(test, (*program)->result_type());
}

// Why a test cannot run here (features this runner does not verify), or "".
std::string Unsupported(const SimpleTest& test) {
  if (test.result_matcher_case() == SimpleTest::kUnknown ||
      test.result_matcher_case() == SimpleTest::kAnyUnknowns) {
    return "unknown-set results are not supported";
  }
  return "";
}

}  // namespace

const std::string* SkipList::Find(absl::string_view file, absl::string_view section,
                                  absl::string_view test) const {
  for (const std::string& key : {std::string(file), absl::StrCat(file, "/", section),
                                 absl::StrCat(file, "/", section, "/", test)}) {
    auto it = reasons.find(key);
    if (it != reasons.end()) return &it->second;
  }
  return nullptr;
}

absl::StatusOr<SkipList> LoadSkipList(const std::string& path) {
  absl::StatusOr<std::string> text = core::ReadFileToString(path, uint64_t{64} << 20);
  if (!text.ok()) return text.status();
  SkipList list;
  int line_number = 0;
  for (absl::string_view line : absl::StrSplit(*text, '\n')) {
    ++line_number;
    line = absl::StripAsciiWhitespace(line);
    if (line.empty() || line[0] == '#') continue;
    size_t hash = line.find('#');
    if (hash == absl::string_view::npos) {
      return absl::InvalidArgumentError(
          absl::StrCat(path, ":", line_number, ": skip entry without a reason"));
    }
    list.reasons[std::string(absl::StripAsciiWhitespace(line.substr(0, hash)))] =
        std::string(absl::StripAsciiWhitespace(line.substr(hash + 1)));
  }
  return list;
}

absl::StatusOr<FileResult> RunFile(const std::string& path, const SkipList& skips) {
  // Link the test message types into the generated pool (Any payloads name them).
  (void)::cel::expr::conformance::proto2::TestAllTypes::descriptor();
  (void)::cel::expr::conformance::proto3::TestAllTypes::descriptor();
  absl::StatusOr<std::string> text = core::ReadFileToString(path, uint64_t{64} << 20);
  if (!text.ok()) return text.status();
  FileResult result;
  absl::string_view base = path;
  base = base.substr(base.rfind('/') + 1);
  absl::ConsumeSuffix(&base, ".textproto");
  result.name = std::string(base);
  SimpleTestFile file;
  if (!google::protobuf::TextFormat::ParseFromString(*text, &file)) {
    if (const std::string* reason = skips.Find(result.name, "", "")) {
      result.skipped = 1;
      result.failures.push_back(absl::StrCat("file skipped: ", *reason));
      return result;
    }
    return absl::InvalidArgumentError(absl::StrCat(path, ": cannot parse as SimpleTestFile"));
  }
  for (const auto& section : file.section()) {
    for (const auto& test : section.test()) {
      if (skips.Find(result.name, section.name(), test.name()) != nullptr ||
          !Unsupported(test).empty()) {
        ++result.skipped;
        continue;
      }
      std::string failure = RunTest(test);
      if (failure.empty()) {
        ++result.passed;
      } else {
        ++result.failed;
        result.failures.push_back(
            absl::StrCat(section.name(), "/", test.name(), ": ", test.expr(), " -> ", failure));
      }
    }
  }
  return result;
}

}  // namespace bulwark::cel::conformance
