// Native bodies of package fmt: turn interface arguments into the formatter's operands
// (stdlib/fmt/format.hpp) and write to the VM's stdout or return a new string.
#include "stdlib/fmt/format.hpp"
#include "stdlib/natives.hpp"

#include <vector>

namespace csp::stdlib {

namespace {

// The formatter's view of one interface value, whose slots are `slots[0..2)`: the payload
// is read in place (slots[1] for one-slot types), so it stays valid while formatting.
fmt::Arg to_arg(const Slot* slots) {
    InterfaceRef value = load_interface(slots);
    if (value.type == nullptr) return {}; // nil interface: <nil>
    const Slot* payload = value.type->slots == 1 ? &slots[1] : static_cast<const Slot*>(value.data.p);
    return fmt::value_arg(*value.type, payload);
}

std::vector<fmt::Arg> to_args(const Slot* slice_slots) {
    std::span<const Slot> slots = variadic_slots(slice_slots);
    std::vector<fmt::Arg> args;
    args.reserve(slots.size() / 2);
    for (size_t k = 0; k < slots.size(); k += 2) args.push_back(to_arg(&slots[k]));
    return args;
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
    std::vector<fmt::Arg> args = to_args(frame);
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
    std::vector<fmt::Arg> args = to_args(frame + 2);
    std::string& buffer = vm.out().buffer();
    size_t before = buffer.size();
    fmt::append_printf(buffer, format, args);
    finish_write(vm, frame, before);
}

void sprint(VM& vm, Slot* frame) {
    std::string text;
    fmt::append_print(text, to_args(frame));
    return_string(vm, frame, text);
}

void sprintln(VM& vm, Slot* frame) {
    std::string text;
    fmt::append_println(text, to_args(frame));
    return_string(vm, frame, text);
}

void sprintf(VM& vm, Slot* frame) {
    std::string_view format = load_string(frame).view();
    std::string text;
    fmt::append_printf(text, format, to_args(frame + 2));
    return_string(vm, frame, text);
}

} // namespace

const NativeEntry fmt_natives[] = {
    {"fmt.Print", print},     {"fmt.Println", println}, {"fmt.Printf", printf},
    {"fmt.Sprint", sprint},   {"fmt.Sprintln", sprintln}, {"fmt.Sprintf", sprintf},
    {nullptr, nullptr},
};

} // namespace csp::stdlib
