// Per-evaluation state shared by the interpreter and the function libraries: the cost budget,
// the protobuf type environment and scratch slots for comprehension variables.
// Internal. Thread safety: one EvalContext per evaluation call, never shared.
#ifndef BULWARK_POLICY_CEL_INTERNAL_EVAL_CONTEXT_H_
#define BULWARK_POLICY_CEL_INTERNAL_EVAL_CONTEXT_H_

#include <cstdint>
#include <vector>

#include "absl/container/inlined_vector.h"

#include "absl/strings/str_cat.h"
#include "bulwark/policy/cel/value.h"

namespace google::protobuf {
class DescriptorPool;
class MessageFactory;
}  // namespace google::protobuf

namespace bulwark::cel {

class Activation;

namespace internal {

// Where message types are found and built (resolved at compile time, borrowed).
struct TypeProvider {
  const google::protobuf::DescriptorPool* pool = nullptr;
  google::protobuf::MessageFactory* factory = nullptr;
};

class EvalContext {
 public:
  EvalContext(const Activation* activation, const TypeProvider* types, uint64_t cost_budget,
              uint64_t max_collection_size, size_t slot_count)
      : activation_(activation),
        types_(types),
        cost_budget_(cost_budget),
        max_collection_size_(max_collection_size),
        slots_(slot_count) {}

  const Activation* activation() const { return activation_; }
  const TypeProvider& types() const { return *types_; }
  Value& slot(size_t index) { return slots_[index]; }

  // Charges `units` of runtime cost; false (and the evaluation is aborted) once over budget.
  bool Charge(uint64_t units) {
    cost_ += units;
    if (cost_ <= cost_budget_) return true;
    aborted_ = true;
    return false;
  }
  uint64_t cost() const { return cost_; }
  uint64_t cost_budget() const { return cost_budget_; }
  bool aborted() const { return aborted_; }
  // An error value for an exceeded budget (the evaluation ends with ResourceExhausted).
  Value BudgetError() const {
    return Value::Error(absl::ResourceExhaustedError(
        absl::StrCat("operation cancelled: actual cost limit exceeded (", cost_budget_, ")")));
  }

  // Checks a collection or string about to be created; false (aborting) when it is too large.
  bool CheckSize(uint64_t size) {
    if (size <= max_collection_size_) return true;
    aborted_ = true;
    size_error_ = true;
    return false;
  }
  Value SizeError() const {
    return Value::Error(absl::ResourceExhaustedError(absl::StrCat(
        "value size limit exceeded: more than ", max_collection_size_, " elements or bytes")));
  }
  bool size_error() const { return size_error_; }

 private:
  const Activation* activation_;
  const TypeProvider* types_;
  uint64_t cost_ = 0;
  uint64_t cost_budget_;
  uint64_t max_collection_size_;
  bool aborted_ = false;
  bool size_error_ = false;
  absl::InlinedVector<Value, 8> slots_;
};

}  // namespace internal
}  // namespace bulwark::cel

#endif  // BULWARK_POLICY_CEL_INTERNAL_EVAL_CONTEXT_H_
