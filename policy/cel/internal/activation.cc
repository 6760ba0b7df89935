#include "bulwark/policy/cel/activation.h"

#include "bulwark/policy/cel/internal/proto_value.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/message.h"

namespace bulwark::cel {

namespace {

const internal::TypeProvider& GeneratedTypes() {
  static const internal::TypeProvider kGenerated{
      google::protobuf::DescriptorPool::generated_pool(),
      google::protobuf::MessageFactory::generated_factory()};
  return kGenerated;
}

}  // namespace

void Activation::BindMessage(std::string name, const google::protobuf::Message& message) {
  Bind(std::move(name), internal::MessageToValue(&message, nullptr, GeneratedTypes()));
}

Value ValueFromMessage(std::shared_ptr<const google::protobuf::Message> message) {
  const google::protobuf::Message* raw = message.get();
  return internal::MessageToValue(raw, std::move(message), GeneratedTypes());
}

}  // namespace bulwark::cel
