// The AF_UNIX half of NETLINK_SOCK_DIAG (linux/unix_diag.h, sock_diag(7)): the request that dumps
// every Unix socket of a network namespace with its name, its peer's inode, a listener's pending
// clients and its owner uid, and the parser of one socket's reply message. The kernel multicasts no
// destroy notice for Unix sockets (only inet has SKNLGRP_*_DESTROY groups), so their closes are
// found by diffing two dumps (socket_table.h).
//   unix_diag_req request = UnixDumpRequest();   // sent by SockDiag::Dump
//   BULWARK_ASSIGN_OR_RETURN(SocketInfo socket, ParseUnixDiagMessage(payload));
// Thread safety: pure functions.
#ifndef BULWARK_RUNTIME_INTERNAL_UNIX_DIAG_H_
#define BULWARK_RUNTIME_INTERNAL_UNIX_DIAG_H_

#include <linux/unix_diag.h>

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "bulwark/runtime/internal/sock_diag.h"

namespace bulwark::runtime::internal {

// A SOCK_DIAG_BY_FAMILY dump request for every Unix socket in every state, showing
// UNIX_DIAG_NAME, UNIX_DIAG_PEER, UNIX_DIAG_ICONS and UNIX_DIAG_UID (the last from Linux 5.3;
// older kernels ignore the flag and the uid stays 0).
unix_diag_req UnixDumpRequest();

// The name of a Unix socket address (sockaddr_un.sun_path bytes as UNIX_DIAG_NAME carries them):
// a path up to its first NUL; an abstract name (leading NUL) as '@' (the convention of Falco and
// ss) followed by the name up to its next NUL. Bytes that are not UTF-8 become U+FFFD (events are
// protobuf strings).
std::string UnixSocketName(absl::string_view sun_path);

// Parses the payload of one SOCK_DIAG_BY_FAMILY message of a unix_diag reply (a unix_diag_msg and
// its attributes): family AF_UNIX, type (SOCK_*), state (TCP_LISTEN / TCP_ESTABLISHED /
// TCP_CLOSE numbers), inode, cookie, path (UNIX_DIAG_NAME), peer_inode (UNIX_DIAG_PEER),
// pending_clients (UNIX_DIAG_ICONS: the clients of a listener's unaccepted connections) and uid
// (UNIX_DIAG_UID). Other attributes are skipped. Errors: InvalidArgument naming the byte offset
// in `payload` for a truncated message, an attribute whose length is below its header or beyond
// the message, a name longer than sun_path, a peer or uid that is not 4 bytes, an ICONS list
// that is not a whole number of 4-byte inodes, another family.
absl::StatusOr<SocketInfo> ParseUnixDiagMessage(absl::Span<const uint8_t> payload);

}  // namespace bulwark::runtime::internal

#endif  // BULWARK_RUNTIME_INTERNAL_UNIX_DIAG_H_
