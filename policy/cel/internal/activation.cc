#include "bulwark/policy/cel/activation.h"

#include "bulwark/policy/cel/internal/proto_value.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/message.h"

namespace bulwark::cel {

void Activation::BindMessage(std::string name, const google::protobuf::Message& message) {
  static const internal::TypeProvider kGenerated{
      google::protobuf::DescriptorPool::generated_pool(),
      google::protobuf::MessageFactory::generated_factory()};
  Bind(std::move(name), internal::MessageToValue(&message, nullptr, kGenerated));
}

}  // namespace bulwark::cel
