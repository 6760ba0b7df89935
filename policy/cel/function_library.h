// Functions defined outside the engine (host libraries such as Kyverno's), made available to
// the expressions compiled with an Env that names the library:
//   static const cel::FunctionLibrary* const kLibrary = [] {
//     auto* library = new cel::FunctionLibrary();
//     library->AddGlobal<&ParseImage>("image", 1);
//     library->AddMember<&ImageTag>("tag", 1);      // receiver counts as the first argument
//     return library;
//   }();
//   cel::Env env;
//   env.function_library = kLibrary;
// A library starts with the engine's standard and extension functions, so an Env that names it
// sees those plus the added ones. Functions receive their evaluated arguments and return a
// Value; they report a wrong argument kind with cel::NoOverload(name) (so that another overload
// of the same name and arity can be tried) and failures with cel::ErrorValue(message).
// State an evaluation needs (resources, caches) reaches a function through its arguments, e.g.
// a receiver variable bound to an OpaqueValue in the Activation.
// Thread safety: build the library once, then share it read-only; functions may run
// concurrently and must be thread-safe.
#ifndef BULWARK_POLICY_CEL_FUNCTION_LIBRARY_H_
#define BULWARK_POLICY_CEL_FUNCTION_LIBRARY_H_

#include <string>

#include "absl/types/span.h"
#include "bulwark/policy/cel/internal/functions.h"
#include "bulwark/policy/cel/value.h"

namespace bulwark::cel {

// A host function: the arguments (receiver first for member calls) → result or error value.
using HostFunction = Value (*)(absl::Span<const Value> args);

class FunctionLibrary {
 public:
  // The engine's functions, to which Add* calls add.
  FunctionLibrary();

  // Adds `name(args...)` with `arity` arguments, implemented by F.
  template <HostFunction F>
  FunctionLibrary& AddGlobal(std::string name, int arity) {
    registry_.Add(std::move(name), internal::CallStyle::kGlobal, arity, &Call<F>);
    return *this;
  }
  // Adds `receiver.name(args...)`; `arity` counts the receiver.
  template <HostFunction F>
  FunctionLibrary& AddMember(std::string name, int arity) {
    registry_.Add(std::move(name), internal::CallStyle::kMember, arity, &Call<F>);
    return *this;
  }

  // The engine's view of the library (used by Compile and Check).
  const internal::FunctionRegistry& registry() const { return registry_; }

 private:
  template <HostFunction F>
  static Value Call(absl::Span<const Value> args, internal::EvalContext&) {
    return F(args);
  }

  internal::FunctionRegistry registry_;
};

}  // namespace bulwark::cel

#endif  // BULWARK_POLICY_CEL_FUNCTION_LIBRARY_H_
