// Printing untrusted text (file names, labels, commands from image configs) on a terminal or in
// JSON, and aligned text tables of it. Raw control characters from an image could move the cursor
// or rewrite earlier lines, so every cell is escaped before it is printed.
//   std::vector<std::vector<std::string>> rows = {{"PATH", "SIZE"}, {"/etc/passwd", "1024"}};
//   WriteToStdout(FormatTable(rows));  // Escapes each cell, pads columns to their widest cell.
// Thread safety: pure functions.
#ifndef BULWARK_EXAMPLES_CLI_TEXT_TABLE_H_
#define BULWARK_EXAMPLES_CLI_TEXT_TABLE_H_

#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace bulwark::cli {

// `text` with a backslash written "\\" and every C0/C1 control character, DEL, and byte that is
// not part of valid UTF-8 written "\xNN": the result is printable UTF-8 and unambiguous.
std::string EscapeForTerminal(absl::string_view text);

// `text` for a JSON string: valid UTF-8 is kept as is (JSON escapes control characters itself);
// each byte that is not part of valid UTF-8 becomes the four characters "\xNN".
std::string ValidUtf8(absl::string_view text);

// The rows as lines of columns separated by two spaces, each cell escaped with
// EscapeForTerminal and padded to the widest cell of its column (in code points); the last
// column is not padded. Rows may have fewer cells than others.
std::string FormatTable(const std::vector<std::vector<std::string>>& rows);

}  // namespace bulwark::cli

#endif  // BULWARK_EXAMPLES_CLI_TEXT_TABLE_H_
