#include "bulwark/policy/cel/function_library.h"

namespace bulwark::cel {

FunctionLibrary::FunctionLibrary() : registry_(internal::FunctionRegistry::Default()) {}

}  // namespace bulwark::cel
