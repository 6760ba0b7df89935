// Fuzzes YARA rule compilation through MalwareScanner (libyara's compiler behind our loader:
// include refused, NUL bytes rejected, errors positioned) and a scan of what compiles. The input
// is "<rules>\n---\n<content>"; without the separator the whole input is the rule text and a
// fixed sample is scanned. Must not crash, hang past the 1 s scan timeout, or leak.
#include <cstdint>
#include <string>

#include "bulwark/image/malware/malware_scanner.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string input(reinterpret_cast<const char*>(data), size);
  const size_t separator = input.find("\n---\n");
  std::string rules = input.substr(0, separator);
  const std::string content =
      separator == std::string::npos
          ? std::string("X5O!P stratum+tcp://pool:3333 <?php eval($_GET['c']);")
          : input.substr(separator + 5);
  auto scanner = bulwark::malware::MalwareScanner::FromSources(
      false, {{"fuzz.yar", std::move(rules)}}, {}, /*timeout_seconds=*/1);
  if (!scanner.ok()) return 0;
  (void)(*scanner)->Scan(content, "srv/www/index.php");
  return 0;
}
