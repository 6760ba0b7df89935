#include "bulwark/image/sign/internal/notation_cose.h"

#include <cbor.h>

#include <cstdlib>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "bulwark/core/status_macros.h"

namespace bulwark::sign::internal {
namespace {

constexpr size_t kMaxDepth = 16;
constexpr uint64_t kCoseSign1Tag = 18;
constexpr uint64_t kEpochTimeTag = 1;
constexpr int64_t kLabelAlgorithm = 1;
constexpr int64_t kLabelCritical = 2;
constexpr int64_t kLabelContentType = 3;
constexpr int64_t kLabelX5Chain = 33;

absl::Status Malformed(absl::string_view why) {
  return absl::InvalidArgumentError(absl::StrCat("notation: COSE: ", why));
}

// Streaming pre-scan: counts the items still expected at each nesting level.
struct Scan {
  size_t input_size = 0;
  uint64_t items = 0;
  uint64_t max_items = 0;
  std::vector<uint64_t> open;  // Items still expected per open array/map.
  bool tagged = false;         // A tag was read; its item follows.
  bool failed = false;
  std::string why;

  void Fail(std::string reason) {
    if (!failed) why = std::move(reason);
    failed = true;
  }
  // One complete item (or the head of a collection) at the current level.
  void Item() {
    tagged = false;
    if (++items > max_items) Fail("too many items");
    if (open.empty()) return;
    --open.back();
    while (!open.empty() && open.back() == 0) open.pop_back();
  }
  void Collection(uint64_t count) {
    if (count > input_size) return Fail("a collection is longer than the input");
    Item();
    if (count == 0) return;
    if (open.size() >= kMaxDepth) return Fail("nesting deeper than 16");
    open.push_back(count);
  }
};

Scan* Of(void* context) { return static_cast<Scan*>(context); }

cbor_callbacks ScanCallbacks() {
  cbor_callbacks callbacks = cbor_empty_callbacks;
  callbacks.uint8 = [](void* c, uint8_t) { Of(c)->Item(); };
  callbacks.uint16 = [](void* c, uint16_t) { Of(c)->Item(); };
  callbacks.uint32 = [](void* c, uint32_t) { Of(c)->Item(); };
  callbacks.uint64 = [](void* c, uint64_t) { Of(c)->Item(); };
  callbacks.negint8 = [](void* c, uint8_t) { Of(c)->Item(); };
  callbacks.negint16 = [](void* c, uint16_t) { Of(c)->Item(); };
  callbacks.negint32 = [](void* c, uint32_t) { Of(c)->Item(); };
  callbacks.negint64 = [](void* c, uint64_t) { Of(c)->Item(); };
  callbacks.byte_string = [](void* c, cbor_data, size_t) { Of(c)->Item(); };
  callbacks.string = [](void* c, cbor_data, size_t) { Of(c)->Item(); };
  callbacks.array_start = [](void* c, size_t n) { Of(c)->Collection(n); };
  callbacks.map_start = [](void* c, size_t n) {
    Of(c)->Collection(n > SIZE_MAX / 2 ? SIZE_MAX : 2 * n);
  };
  callbacks.tag = [](void* c, uint64_t) { Of(c)->tagged = true; };
  callbacks.float2 = [](void* c, float) { Of(c)->Item(); };
  callbacks.float4 = [](void* c, float) { Of(c)->Item(); };
  callbacks.float8 = [](void* c, double) { Of(c)->Item(); };
  callbacks.undefined = [](void* c) { Of(c)->Item(); };
  callbacks.null = [](void* c) { Of(c)->Item(); };
  callbacks.boolean = [](void* c, bool) { Of(c)->Item(); };
  callbacks.byte_string_start = [](void* c) { Of(c)->Fail("indefinite-length item"); };
  callbacks.string_start = [](void* c) { Of(c)->Fail("indefinite-length item"); };
  callbacks.indef_array_start = [](void* c) { Of(c)->Fail("indefinite-length item"); };
  callbacks.indef_map_start = [](void* c) { Of(c)->Fail("indefinite-length item"); };
  callbacks.indef_break = [](void* c) { Of(c)->Fail("unexpected break"); };
  return callbacks;
}

struct ItemDeleter {
  void operator()(cbor_item_t* item) const { cbor_decref(&item); }
};
using ItemPtr = std::unique_ptr<cbor_item_t, ItemDeleter>;

// Checks `bytes` is exactly one well-bounded item, then loads it.
absl::StatusOr<ItemPtr> Load(absl::string_view bytes, const core::Limits& limits,
                             absl::string_view what) {
  static const cbor_callbacks kCallbacks = ScanCallbacks();
  Scan scan;
  scan.input_size = bytes.size();
  scan.max_items = limits.max_entries;
  size_t offset = 0;
  do {
    const cbor_decoder_result result =
        cbor_stream_decode(reinterpret_cast<cbor_data>(bytes.data()) + offset,
                           bytes.size() - offset, &kCallbacks, &scan);
    if (result.status != CBOR_DECODER_FINISHED || result.read == 0) {
      return Malformed(absl::StrCat(what, ": truncated or invalid CBOR"));
    }
    offset += result.read;
    if (scan.failed) return Malformed(absl::StrCat(what, ": ", scan.why));
  } while (!scan.open.empty() || scan.tagged);
  if (offset != bytes.size()) return Malformed(absl::StrCat(what, ": trailing bytes"));
  cbor_load_result load;
  ItemPtr item(cbor_load(reinterpret_cast<cbor_data>(bytes.data()), bytes.size(), &load));
  if (item == nullptr || load.error.code != CBOR_ERR_NONE) {
    return Malformed(absl::StrCat(what, ": libcbor could not load it"));
  }
  return item;
}

std::string Bytes(cbor_item_t* item) {
  return std::string(reinterpret_cast<const char*>(cbor_bytestring_handle(item)),
                     cbor_bytestring_length(item));
}

std::string Text(cbor_item_t* item) {
  return std::string(reinterpret_cast<const char*>(cbor_string_handle(item)),
                     cbor_string_length(item));
}

// A COSE label: an integer (returned in `number`) or a text string (in `name`).
bool Label(cbor_item_t* key, int64_t* number, std::string* name) {
  if (cbor_isa_uint(key)) {
    *number = static_cast<int64_t>(cbor_get_int(key));
    return cbor_get_int(key) <= INT64_MAX;
  }
  if (cbor_isa_negint(key)) {
    *number = -1 - static_cast<int64_t>(cbor_get_int(key));
    return cbor_get_int(key) <= INT64_MAX;
  }
  if (cbor_isa_string(key) && cbor_string_is_definite(key)) {
    *name = Text(key);
    return true;
  }
  return false;
}

// tag 1 (epoch seconds) over an unsigned integer.
absl::StatusOr<absl::Time> EpochTime(cbor_item_t* value, absl::string_view name) {
  if (!cbor_isa_tag(value) || cbor_tag_value(value) != kEpochTimeTag) {
    return Malformed(absl::StrCat(name, " is not an epoch time (tag 1)"));
  }
  ItemPtr seconds(cbor_tag_item(value));
  if (!cbor_isa_uint(seconds.get()) || cbor_get_int(seconds.get()) > INT64_MAX) {
    return Malformed(absl::StrCat(name, " is not a non-negative integer time"));
  }
  return absl::FromUnixSeconds(static_cast<int64_t>(cbor_get_int(seconds.get())));
}

absl::StatusOr<std::string> Algorithm(cbor_item_t* value) {
  int64_t id = 0;
  std::string unused;
  if (!Label(value, &id, &unused) || !unused.empty()) return Malformed("alg is not an integer");
  switch (id) {
    case -37:
      return std::string("PS256");
    case -38:
      return std::string("PS384");
    case -39:
      return std::string("PS512");
    case -7:
      return std::string("ES256");
    case -35:
      return std::string("ES384");
    case -36:
      return std::string("ES512");
  }
  return Malformed(absl::StrCat("unsupported alg ", id));
}

absl::Status ReadProtected(absl::string_view bytes, const core::Limits& limits,
                           NotationEnvelope* envelope) {
  BULWARK_ASSIGN_OR_RETURN(ItemPtr map, Load(bytes, limits, "protected header"));
  if (!cbor_isa_map(map.get())) return Malformed("protected header is not a map");
  cbor_pair* pairs = cbor_map_handle(map.get());
  for (size_t i = 0; i < cbor_map_size(map.get()); ++i) {
    int64_t number = 0;
    std::string name;
    if (!Label(pairs[i].key, &number, &name)) return Malformed("protected header label");
    cbor_item_t* value = pairs[i].value;
    if (name.empty() && number == kLabelAlgorithm) {
      BULWARK_ASSIGN_OR_RETURN(envelope->algorithm, Algorithm(value));
    } else if (name.empty() && number == kLabelContentType) {
      if (!cbor_isa_string(value)) return Malformed("content type is not text");
      envelope->content_type = Text(value);
    } else if (name.empty() && number == kLabelCritical) {
      if (!cbor_isa_array(value)) return Malformed("crit is not an array");
      for (size_t j = 0; j < cbor_array_size(value); ++j) {
        int64_t critical_number = 0;
        std::string critical_name;
        if (!Label(cbor_array_handle(value)[j], &critical_number, &critical_name)) {
          return Malformed("crit label");
        }
        // Integer labels name COSE's own headers, which this parser understands.
        if (!critical_name.empty()) envelope->critical.push_back(critical_name);
      }
    } else if (name == "io.cncf.notary.signingScheme") {
      if (!cbor_isa_string(value)) return Malformed("signingScheme is not text");
      envelope->signing_scheme = Text(value);
    } else if (name == "io.cncf.notary.signingTime") {
      BULWARK_ASSIGN_OR_RETURN(envelope->signing_time, EpochTime(value, name));
    } else if (name == "io.cncf.notary.authenticSigningTime") {
      BULWARK_ASSIGN_OR_RETURN(envelope->authentic_signing_time, EpochTime(value, name));
    } else if (name == "io.cncf.notary.expiry") {
      BULWARK_ASSIGN_OR_RETURN(envelope->expiry, EpochTime(value, name));
    }
  }
  return absl::OkStatus();
}

absl::Status ReadUnprotected(cbor_item_t* map, NotationEnvelope* envelope) {
  if (!cbor_isa_map(map)) return Malformed("unprotected header is not a map");
  cbor_pair* pairs = cbor_map_handle(map);
  for (size_t i = 0; i < cbor_map_size(map); ++i) {
    int64_t number = 0;
    std::string name;
    if (!Label(pairs[i].key, &number, &name)) return Malformed("unprotected header label");
    cbor_item_t* value = pairs[i].value;
    if (name.empty() && number == kLabelX5Chain) {
      std::vector<cbor_item_t*> certificates;
      if (cbor_isa_bytestring(value)) {
        certificates.push_back(value);
      } else if (cbor_isa_array(value)) {
        certificates.assign(cbor_array_handle(value),
                            cbor_array_handle(value) + cbor_array_size(value));
      }
      if (certificates.empty()) return Malformed("x5chain is empty or not byte strings");
      for (cbor_item_t* der : certificates) {
        if (!cbor_isa_bytestring(der)) return Malformed("x5chain holds a non-byte-string");
        absl::StatusOr<Certificate> certificate = Certificate::ParseDer(Bytes(der));
        if (!certificate.ok()) {
          return Malformed(absl::StrCat("x5chain: ", certificate.status().message()));
        }
        envelope->chain.push_back(*std::move(certificate));
      }
    } else if (name == "io.cncf.notary.timestampSignature") {
      if (!cbor_isa_bytestring(value)) return Malformed("timestampSignature is not bytes");
      envelope->timestamp_token = Bytes(value);
    }
  }
  if (envelope->chain.empty()) return Malformed("no x5chain");
  return absl::OkStatus();
}

// CBOR of ["Signature1", protected, h'', payload] (RFC 9052 section 4.4).
absl::StatusOr<std::string> SigStructure(const std::string& protected_bytes,
                                         const std::string& payload) {
  ItemPtr array(cbor_new_definite_array(4));
  if (array == nullptr) return absl::ResourceExhaustedError("libcbor allocation");
  auto push = [&](cbor_item_t* item) {
    return item != nullptr && cbor_array_push(array.get(), cbor_move(item));
  };
  const auto* protected_data = reinterpret_cast<cbor_data>(protected_bytes.data());
  const auto* payload_data = reinterpret_cast<cbor_data>(payload.data());
  if (!push(cbor_build_string("Signature1")) ||
      !push(cbor_build_bytestring(protected_data, protected_bytes.size())) ||
      !push(cbor_build_bytestring(nullptr, 0)) ||
      !push(cbor_build_bytestring(payload_data, payload.size()))) {
    return absl::ResourceExhaustedError("libcbor allocation");
  }
  unsigned char* buffer = nullptr;
  size_t capacity = 0;
  const size_t length = cbor_serialize_alloc(array.get(), &buffer, &capacity);
  std::unique_ptr<unsigned char, decltype(&std::free)> owned(buffer, &std::free);
  if (length == 0) return absl::ResourceExhaustedError("libcbor serialization");
  return std::string(reinterpret_cast<const char*>(buffer), length);
}

}  // namespace

absl::StatusOr<NotationEnvelope> ParseCoseSign1(absl::string_view bytes,
                                                const core::Limits& limits) {
  // libcbor 0.8's decoder rejects the one-byte tag heads 6..20 as reserved, and COSE_Sign1 is
  // tag 18 (0xd2): read that head here and give libcbor the array it tags.
  if (bytes.empty() || static_cast<unsigned char>(bytes[0]) != 0xc0 + kCoseSign1Tag) {
    return Malformed("not a tagged COSE_Sign1 (tag 18)");
  }
  BULWARK_ASSIGN_OR_RETURN(ItemPtr message, Load(bytes.substr(1), limits, "envelope"));
  if (!cbor_isa_array(message.get()) || cbor_array_size(message.get()) != 4) {
    return Malformed("COSE_Sign1 is not an array of 4");
  }
  cbor_item_t** parts = cbor_array_handle(message.get());
  if (!cbor_isa_bytestring(parts[0]) || !cbor_isa_bytestring(parts[2]) ||
      !cbor_isa_bytestring(parts[3])) {
    return Malformed("protected, payload and signature must be byte strings");
  }
  NotationEnvelope envelope;
  envelope.media_type = std::string(kNotationCose);
  const std::string protected_bytes = Bytes(parts[0]);
  BULWARK_RETURN_IF_ERROR(ReadProtected(protected_bytes, limits, &envelope));
  BULWARK_RETURN_IF_ERROR(ReadUnprotected(parts[1], &envelope));
  envelope.payload = Bytes(parts[2]);
  envelope.signature = Bytes(parts[3]);
  BULWARK_ASSIGN_OR_RETURN(envelope.signed_bytes, SigStructure(protected_bytes, envelope.payload));
  return envelope;
}

}  // namespace bulwark::sign::internal
