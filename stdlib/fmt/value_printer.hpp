// fmt's view of VM values: scalars become formatter operands (fmt::Arg); composite values
// (slices, arrays, funcs; later structs, maps, pointers) print themselves by walking
// their slots with their runtime type, as Go's printValue walks a reflect.Value.
#pragma once
#include "runtime/value.hpp"
#include "stdlib/fmt/format.hpp"

namespace csp::stdlib {

// A value of a composite kind, as a formatter operand. Holds pointers: the value's slots
// must outlive it.
class VmValue final : public fmt::CompositeValue {
  public:
    VmValue(const RtType& type, const Slot* slots) : m_type(type), m_slots(slots) {}
    void print(fmt::ValueSink& sink, char32_t verb) const override;
    fmt::Arg arg() const;

  private:
    const RtType& m_type;
    const Slot* m_slots;
};

// Whether values of `type` print through VmValue rather than as a scalar operand.
bool is_composite(const RtType& type);
// A scalar value (bool, numbers, string) as a formatter operand.
fmt::Arg scalar_arg(const RtType& type, const Slot* slots);

} // namespace csp::stdlib
