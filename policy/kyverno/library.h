// Kyverno's CEL libraries for ValidatingPolicy, evaluated offline:
//   resource.Get(apiVersion, resource, namespace, name), resource.List(apiVersion, resource,
//     namespace[, labels]) — served from ExternalData; resource.Post(...) fails (no cluster);
//   globalContext.Get(name, projection) — supplied entries, null when absent (as kyverno CLI);
//   image(ref) / parseImageReference(ref) / isImage(ref) and on images registry(),
//     repository(), identifier(), tag(), digest(), containsDigest();
//   image.GetMetadata(ref) — supplied image data, else an error (no registry access);
//   http.Get(url[, headers]) / http.Post(url, body[, headers]) — fail (no network);
//   parseServiceAccount(username) — {Namespace, Name} of "system:serviceaccount:NS:NAME";
//   exceptions.allowedImages / exceptions.allowedValues — from matched PolicyExceptions.
//   cel::Env env;
//   DeclareVariables(env);
//   env.function_library = &Library();
//   ... compile ...
//   cel::Activation activation;
//   BindVariables(&data, {}, activation);
// Thread safety: the library is immutable; bindings are per evaluation.
#ifndef BULWARK_POLICY_KYVERNO_LIBRARY_H_
#define BULWARK_POLICY_KYVERNO_LIBRARY_H_

#include <string>
#include <vector>

#include "bulwark/policy/cel/activation.h"
#include "bulwark/policy/cel/cel.h"
#include "bulwark/policy/cel/function_library.h"
#include "bulwark/policy/kyverno/external_data.h"

namespace bulwark::policy::kyverno {

// The CEL functions above plus the engine's own. A process-wide singleton.
const cel::FunctionLibrary& Library();

// Declares the library's variables (resource, globalContext, image, exceptions) in `env`.
void DeclareVariables(cel::Env& env);

// What matched PolicyExceptions allow (their spec.images and spec.allowedValues).
struct ExceptionAllowances {
  std::vector<std::string> images;
  std::vector<std::string> values;
};

// Binds the library's variables for one evaluation. `data` (may be nullptr: nothing supplied) is
// borrowed and must outlive the evaluation and its results.
void BindVariables(const ExternalData* data, const ExceptionAllowances& allowances,
                   cel::Activation& activation);

}  // namespace bulwark::policy::kyverno

#endif  // BULWARK_POLICY_KYVERNO_LIBRARY_H_
