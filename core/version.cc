#include "bulwark/core/version.h"

#include <openssl/crypto.h>

#include "absl/strings/str_cat.h"
#include "google/protobuf/stubs/common.h"
#include "simdjson.h"

namespace bulwark::core {

std::vector<std::pair<std::string, std::string>> DependencyVersions() {
  return {
      {"openssl", OpenSSL_version(OPENSSL_VERSION_STRING)},
      {"protobuf", google::protobuf::internal::VersionString(GOOGLE_PROTOBUF_VERSION)},
      {"simdjson",
       absl::StrCat(simdjson::SIMDJSON_VERSION_MAJOR, ".", simdjson::SIMDJSON_VERSION_MINOR, ".",
                    simdjson::SIMDJSON_VERSION_REVISION)},
  };
}

}  // namespace bulwark::core
