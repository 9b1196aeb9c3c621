// Native bodies of package fmt: turn interface arguments into the formatter's operands
// (stdlib/fmt/format.hpp) and write to the VM's stdout or return a new string.
#include "stdlib/fmt/format.hpp"
#include "stdlib/fmt/value_printer.hpp"
#include "stdlib/natives.hpp"

#include <vector>

namespace csp::stdlib {

namespace {

// The operands of one call: the formatter's view of each interface value, and the
// composite values those views point at.
struct Operands {
    std::vector<fmt::Arg> args;
    std::vector<VmValue> composites; // reserved up front: args point into it
};

Operands to_args(const Slot* slice_slots) {
    std::span<const Slot> slots = variadic_slots(slice_slots);
    Operands operands;
    operands.args.reserve(slots.size() / 2);
    operands.composites.reserve(slots.size() / 2);
    for (size_t k = 0; k < slots.size(); k += 2) {
        InterfaceRef value = load_interface(&slots[k]);
        if (value.type == nullptr) { // nil interface: <nil>
            operands.args.emplace_back();
        } else if (is_composite(*value.type)) {
            // the payload in the argument slice itself: `value` is a local copy
            const Slot* payload = value.type->slots == 1 ? &slots[k + 1] : interface_payload(value);
            operands.composites.emplace_back(*value.type, payload);
            operands.args.push_back(operands.composites.back().arg());
        } else {
            operands.args.push_back(scalar_arg(*value.type, interface_payload(value)));
        }
    }
    return operands;
}

enum class Form { Print, Println };

// Appends to stdout and stores Go's results (n int, err error) at frame[0..3).
void finish_write(VM& vm, Slot* frame, size_t before) {
    std::string& buffer = vm.out().buffer();
    frame[0].i = int64_t(buffer.size() - before);
    frame[1].p = nullptr;
    frame[2].p = nullptr;
    vm.out().maybe_flush();
}

void print_to_stdout(VM& vm, Slot* frame, Form form) {
    Operands operands = to_args(frame);
    const std::vector<fmt::Arg>& args = operands.args;
    std::string& buffer = vm.out().buffer();
    size_t before = buffer.size();
    if (form == Form::Print) fmt::append_print(buffer, args);
    else fmt::append_println(buffer, args);
    finish_write(vm, frame, before);
}

void return_string(VM& vm, Slot* frame, const std::string& text) {
    store_string(frame, vm.heap().make_string(text));
}

void print(VM& vm, Slot* frame) { print_to_stdout(vm, frame, Form::Print); }
void println(VM& vm, Slot* frame) { print_to_stdout(vm, frame, Form::Println); }

void printf(VM& vm, Slot* frame) {
    std::string_view format = load_string(frame).view();
    Operands operands = to_args(frame + 2);
    const std::vector<fmt::Arg>& args = operands.args;
    std::string& buffer = vm.out().buffer();
    size_t before = buffer.size();
    fmt::append_printf(buffer, format, args);
    finish_write(vm, frame, before);
}

void sprint(VM& vm, Slot* frame) {
    std::string text;
    fmt::append_print(text, to_args(frame).args);
    return_string(vm, frame, text);
}

void sprintln(VM& vm, Slot* frame) {
    std::string text;
    fmt::append_println(text, to_args(frame).args);
    return_string(vm, frame, text);
}

void sprintf(VM& vm, Slot* frame) {
    std::string_view format = load_string(frame).view();
    std::string text;
    fmt::append_printf(text, format, to_args(frame + 2).args);
    return_string(vm, frame, text);
}

} // namespace

const NativeEntry fmt_natives[] = {
    {"fmt.Print", print},     {"fmt.Println", println}, {"fmt.Printf", printf},
    {"fmt.Sprint", sprint},   {"fmt.Sprintln", sprintln}, {"fmt.Sprintf", sprintf},
    {nullptr, nullptr},
};

} // namespace csp::stdlib
