// Kubernetes label selectors (metav1.LabelSelector): matchLabels plus matchExpressions with the
// operators In, NotIn, Exists and DoesNotExist, all of which must hold.
//   BULWARK_ASSIGN_OR_RETURN(LabelSelector s, LabelSelector::Parse(doc, "spec.objectSelector"));
//   if (s.Matches(labels)) ...
// An empty selector matches every label set. Thread safety: immutable after Parse.
#ifndef BULWARK_POLICY_ADMISSION_LABEL_SELECTOR_H_
#define BULWARK_POLICY_ADMISSION_LABEL_SELECTOR_H_

#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "bulwark/core/value.h"

namespace bulwark::policy {

class LabelSelector {
 public:
  // The empty selector (matches everything).
  LabelSelector() = default;

  // Parses a LabelSelector document; null means the empty selector. `where` names the field in
  // errors. Errors: InvalidArgument for a malformed selector or an unknown operator, or values
  // given with Exists/DoesNotExist, or missing with In/NotIn (as the API server rejects them).
  static absl::StatusOr<LabelSelector> Parse(const core::Value& selector, absl::string_view where);

  // Whether `labels` (a map of strings, or null for an object without labels) is selected.
  bool Matches(const core::Value& labels) const;

  bool empty() const { return requirements_.empty(); }

 private:
  enum class Operator { kIn, kNotIn, kExists, kDoesNotExist };
  struct Requirement {
    std::string key;
    Operator op;
    std::vector<std::string> values;
  };
  std::vector<Requirement> requirements_;
};

}  // namespace bulwark::policy

#endif  // BULWARK_POLICY_ADMISSION_LABEL_SELECTOR_H_
