#include "bulwark/bindings/python/value_to_python.h"

#include <Python.h>

namespace bulwark::python {

namespace py = pybind11;

py::object ValueToPython(const core::Value& value) {
  using Kind = core::Value::Kind;
  switch (value.kind()) {
    case Kind::kNull:
      return py::none();
    case Kind::kBool:
      return py::bool_(value.bool_value());
    case Kind::kInt:
      return py::int_(value.int_value());
    case Kind::kUint:
      return py::int_(value.uint_value());
    case Kind::kDouble:
      return py::float_(value.double_value());
    case Kind::kString:
      return py::str(value.string_value());
    case Kind::kBytes:
      return py::bytes(value.bytes_value().data);
    case Kind::kList: {
      const core::ValueList& elements = value.list_value();
      py::list list(elements.size());
      for (size_t i = 0; i < elements.size(); ++i) {
        list[i] = ValueToPython(elements[i]);
      }
      return list;
    }
    case Kind::kMap: {
      py::dict dict;
      for (const core::MapEntry& entry : value.map_value()) {
        dict[py::str(entry.key)] = ValueToPython(entry.value);
      }
      return dict;
    }
  }
  // Unreachable: the switch covers every Kind, and -Wswitch flags a new one.
  throw py::value_error("unknown core::Value kind");
}

}  // namespace bulwark::python
