#include "bulwark/runtime/internal/unix_diag.h"

#include <linux/netlink.h>
#include <sys/socket.h>
#include <sys/un.h>

#include <algorithm>
#include <cstring>

#include "absl/strings/str_cat.h"
#include "bulwark/core/status_macros.h"
#include "bulwark/core/utf8.h"

namespace bulwark::runtime::internal {
namespace {

constexpr uint32_t kAllStates = 0xffffffff;

absl::Status Malformed(size_t offset, absl::string_view what) {
  return absl::InvalidArgumentError(absl::StrCat("unix_diag message at byte ", offset, ": ", what));
}

// The u32 payload of attribute `name` at `offset`.
absl::StatusOr<uint32_t> U32Attribute(absl::Span<const uint8_t> value, size_t offset,
                                      absl::string_view name) {
  if (value.size() != sizeof(uint32_t)) {
    return Malformed(offset, absl::StrCat(name, " of ", value.size(), " bytes, not 4"));
  }
  uint32_t number = 0;
  std::memcpy(&number, value.data(), sizeof(number));
  return number;
}

}  // namespace

unix_diag_req UnixDumpRequest() {
  unix_diag_req request{};
  request.sdiag_family = AF_UNIX;
  request.udiag_states = kAllStates;
  request.udiag_show = UDIAG_SHOW_NAME | UDIAG_SHOW_PEER | UDIAG_SHOW_ICONS | UDIAG_SHOW_UID;
  return request;
}

std::string UnixSocketName(absl::string_view sun_path) {
  if (sun_path.empty()) return "";
  const bool abstract = sun_path[0] == '\0';
  if (abstract) sun_path.remove_prefix(1);
  sun_path = sun_path.substr(0, sun_path.find('\0'));
  return absl::StrCat(abstract ? "@" : "", core::SanitizeUtf8(sun_path));
}

absl::StatusOr<SocketInfo> ParseUnixDiagMessage(absl::Span<const uint8_t> payload) {
  unix_diag_msg message;
  if (payload.size() < sizeof(message)) {
    return Malformed(0, absl::StrCat("truncated: ", payload.size(), " bytes, a unix_diag_msg has ",
                                     sizeof(message)));
  }
  std::memcpy(&message, payload.data(), sizeof(message));
  if (message.udiag_family != AF_UNIX) {
    return Malformed(0, absl::StrCat("family ", message.udiag_family, ", not AF_UNIX"));
  }
  SocketInfo socket;
  socket.family = AF_UNIX;
  socket.type = message.udiag_type;
  socket.state = message.udiag_state;
  socket.inode = message.udiag_ino;
  socket.cookie = (static_cast<uint64_t>(message.udiag_cookie[1]) << 32) | message.udiag_cookie[0];
  size_t offset = NLMSG_ALIGN(sizeof(message));
  while (offset < payload.size()) {
    if (payload.size() - offset < sizeof(nlattr)) return Malformed(offset, "truncated attribute");
    nlattr attr;
    std::memcpy(&attr, payload.data() + offset, sizeof(attr));
    if (attr.nla_len < NLA_HDRLEN || attr.nla_len > payload.size() - offset) {
      return Malformed(offset, absl::StrCat("attribute length ", attr.nla_len, " with ",
                                            payload.size() - offset, " bytes left"));
    }
    const absl::Span<const uint8_t> value =
        payload.subspan(offset + NLA_HDRLEN, attr.nla_len - NLA_HDRLEN);
    switch (attr.nla_type & NLA_TYPE_MASK) {
      case UNIX_DIAG_NAME:
        if (value.size() > sizeof(sockaddr_un::sun_path)) {
          return Malformed(offset, absl::StrCat("UNIX_DIAG_NAME of ", value.size(),
                                                " bytes, longer than sun_path"));
        }
        socket.path = UnixSocketName(
            absl::string_view(reinterpret_cast<const char*>(value.data()), value.size()));
        break;
      case UNIX_DIAG_PEER: {
        BULWARK_ASSIGN_OR_RETURN(socket.peer_inode, U32Attribute(value, offset, "UNIX_DIAG_PEER"));
        break;
      }
      case UNIX_DIAG_UID: {
        BULWARK_ASSIGN_OR_RETURN(socket.uid, U32Attribute(value, offset, "UNIX_DIAG_UID"));
        break;
      }
      case UNIX_DIAG_ICONS:
        // At most 16,383 inodes: nla_len is 16 bits.
        if (value.size() % sizeof(uint32_t) != 0) {
          return Malformed(offset, absl::StrCat("UNIX_DIAG_ICONS of ", value.size(),
                                                " bytes, not a multiple of 4"));
        }
        for (size_t i = 0; i < value.size(); i += sizeof(uint32_t)) {
          uint32_t inode = 0;
          std::memcpy(&inode, value.data() + i, sizeof(inode));
          if (inode != 0) socket.pending_clients.push_back(inode);
        }
        break;
      default:
        break;  // VFS, RQLEN, MEMINFO, SHUTDOWN: not asked for.
    }
    // The last attribute's padding may be missing.
    offset += std::min<size_t>(NLA_ALIGN(attr.nla_len), payload.size() - offset);
  }
  return socket;
}

}  // namespace bulwark::runtime::internal
