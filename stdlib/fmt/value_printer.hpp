// fmt's view of VM values: scalars become formatter operands (fmt::Arg); composite values
// (slices, arrays, funcs; later structs, maps, pointers) print themselves by walking
// their slots with their runtime type, as Go's printValue walks a reflect.Value.
#pragma once
#include "runtime/value.hpp"
#include "stdlib/fmt/format.hpp"

#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace csp::stdlib {

// The String, Error and GoString calls of one formatting call (see fmt.csp). Without
// results (the first pass) it records each value whose method the printer needs, in
// order; with results (the second pass) it hands them out in the same order.
class MethodCalls {
  public:
    explicit MethodCalls(SliceRef results) : m_results(results) {}
    // The result of the next call; false when collecting (the call is recorded).
    bool next(const RtType& type, const Slot* slots, char kind, std::string_view& result);
    bool collecting() const { return m_results.data == nullptr; }
    const std::vector<InterfaceRef>& calls() const { return m_calls; }
    const std::string& kinds() const { return m_kinds; }

  private:
    SliceRef m_results;
    int64_t m_next = 0;
    std::vector<InterfaceRef> m_calls;
    std::string m_kinds;
};

// A value as a formatter operand, printed by walking its slots (composites) or through
// its methods. Holds pointers: the value's slots must outlive it.
class VmValue final : public fmt::CompositeValue {
  public:
    VmValue(const RtType& type, const Slot* slots, MethodCalls* calls = nullptr)
        : m_type(type), m_slots(slots), m_calls(calls) {}
    void print(fmt::ValueSink& sink, char32_t verb) const override;
    fmt::Arg arg() const;

  private:
    const RtType& m_type;
    const Slot* m_slots;
    MethodCalls* m_calls;
};

// Whether fmt may call methods of `type` (String, Error or GoString).
bool has_print_methods(const RtType& type);
bool has_error_method(const RtType& type);

// Whether values of `type` print through VmValue rather than as a scalar operand.
bool is_composite(const RtType& type);
// A scalar value (bool, numbers, string) as a formatter operand.
fmt::Arg scalar_arg(const RtType& type, const Slot* slots);

} // namespace csp::stdlib
