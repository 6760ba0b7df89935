#include "bulwark/image/sbom/internal/control_file.h"

#include <cstddef>
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"

namespace bulwark::sbom::internal {

absl::string_view Stanza::Get(absl::string_view name) const {
  for (auto it = fields.rbegin(); it != fields.rend(); ++it) {
    if (absl::EqualsIgnoreCase(it->first, name)) return it->second;
  }
  return "";
}

void ForEachStanza(absl::string_view text, absl::FunctionRef<void(const Stanza&)> visit) {
  Stanza stanza;
  size_t line_number = 0;
  auto flush = [&] {
    if (!stanza.fields.empty() || !stanza.malformed_lines.empty()) visit(stanza);
    stanza = Stanza();
  };
  while (!text.empty()) {
    ++line_number;
    const size_t newline = text.find('\n');
    absl::string_view line = text.substr(0, newline);
    text.remove_prefix(newline == absl::string_view::npos ? text.size() : newline + 1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (absl::StripAsciiWhitespace(line).empty()) {
      flush();
      continue;
    }
    if (line.front() == ' ' || line.front() == '\t') {
      if (stanza.fields.empty()) {
        stanza.malformed_lines.push_back(line_number);
      } else {
        absl::StrAppend(&stanza.fields.back().second, "\n", line.substr(1));
      }
      continue;
    }
    const size_t colon = line.find(':');
    if (colon == absl::string_view::npos || colon == 0) {
      stanza.malformed_lines.push_back(line_number);
      continue;
    }
    if (stanza.fields.empty()) stanza.line = line_number;
    stanza.fields.emplace_back(line.substr(0, colon),
                               std::string(absl::StripAsciiWhitespace(line.substr(colon + 1))));
  }
  flush();
}

}  // namespace bulwark::sbom::internal
