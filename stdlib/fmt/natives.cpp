// Native bodies of package fmt: turn interface arguments into the formatter's operands
// (stdlib/fmt/format.hpp) and write to the VM's stdout or return a new string, in the
// two passes fmt.csp drives when values have String, Error or GoString methods.
#include "stdlib/fmt/format.hpp"
#include "stdlib/fmt/value_printer.hpp"
#include "stdlib/natives.hpp"

#include <vector>

namespace csp::stdlib {

namespace {

// The operands of one call: the formatter's view of each interface value, and the
// values those views point at.
struct Operands {
    std::vector<fmt::Arg> args;
    std::vector<VmValue> values; // reserved up front: args point into it
};

Operands to_args(const Slot* slice_slots, MethodCalls* calls) {
    std::span<const Slot> slots = variadic_slots(slice_slots);
    Operands operands;
    operands.args.reserve(slots.size() / 2);
    operands.values.reserve(slots.size() / 2);
    for (size_t k = 0; k < slots.size(); k += 2) {
        InterfaceRef value = load_interface(&slots[k]);
        if (value.type == nullptr) { // nil interface: <nil>
            operands.args.emplace_back();
            continue;
        }
        // the payload in the argument slice itself: `value` is a local copy
        const Slot* payload = value.type->slots == 1 ? &slots[k + 1] : interface_payload(value);
        if (is_composite(*value.type)) {
            operands.values.emplace_back(*value.type, payload, calls);
            operands.args.push_back(operands.values.back().arg());
        } else {
            operands.args.push_back(scalar_arg(*value.type, payload));
            if (has_print_methods(*value.type)) {
                operands.values.emplace_back(*value.type, payload, calls);
                operands.args.back().handler = &operands.values.back();
                operands.args.back().is_error = has_error_method(*value.type);
            }
        }
    }
    return operands;
}

enum class Form { Print, Println, Printf, Errorf };

// Formats `args` (a ...any slice) per `form` into out. False when this was the first pass
// and methods must be called first: `calls` lists them and out holds nothing useful.
bool format(std::string& out, Form form, std::string_view format, const Slot* args, MethodCalls& calls,
            int* wrapped = nullptr) {
    Operands operands = to_args(args, &calls);
    if (form == Form::Print) fmt::append_print(out, operands.args);
    else if (form == Form::Println) fmt::append_println(out, operands.args);
    else if (form == Form::Errorf) *wrapped = fmt::append_errorf(out, format, operands.args);
    else fmt::append_printf(out, format, operands.args);
    return calls.calls().empty();
}

// Stores the (calls []any, kinds string) results at `at`: nil and "" when none.
void store_calls(VM& vm, Slot* at, const MethodCalls& calls) {
    size_t n = calls.calls().size();
    if (n == 0) {
        for (int k = 0; k < 5; ++k) at[k].u = 0;
        return;
    }
    Slot* elements = vm.heap().make_slots(2 * n);
    for (size_t k = 0; k < n; ++k) store_interface(elements + 2 * k, calls.calls()[k]);
    store_slice(at, {elements, int64_t(n), int64_t(n)});
    store_string(at + 3, vm.heap().make_string(calls.kinds()));
}

// writePrint(a, results) (n, calls, kinds), and Println, Printf (format first): to stdout.
void write(VM& vm, Slot* frame, Form form) {
    size_t first = form == Form::Printf ? 2 : 0;
    std::string_view format_text = form == Form::Printf ? load_string(frame).view() : std::string_view();
    MethodCalls calls(load_slice(frame + first + 3));
    std::string& buffer = vm.out().buffer();
    size_t before = buffer.size();
    if (!format(buffer, form, format_text, frame + first, calls)) {
        buffer.resize(before);
        frame[0].i = 0;
        store_calls(vm, frame + 1, calls);
        return;
    }
    frame[0].i = int64_t(buffer.size() - before);
    store_calls(vm, frame + 1, calls);
    vm.out().maybe_flush();
}

// sprint(a, results) (s, calls, kinds), and sprintln, sprintf (format first).
void to_string(VM& vm, Slot* frame, Form form) {
    size_t first = form == Form::Printf ? 2 : 0;
    std::string_view format_text = form == Form::Printf ? load_string(frame).view() : std::string_view();
    MethodCalls calls(load_slice(frame + first + 3));
    std::string text;
    bool done = format(text, form, format_text, frame + first, calls);
    store_string(frame, done ? vm.heap().make_string(text) : StringRef{});
    store_calls(vm, frame + 2, calls);
}

void write_print(VM& vm, Slot* frame) { write(vm, frame, Form::Print); }
void write_println(VM& vm, Slot* frame) { write(vm, frame, Form::Println); }
void write_printf(VM& vm, Slot* frame) { write(vm, frame, Form::Printf); }
void sprint(VM& vm, Slot* frame) { to_string(vm, frame, Form::Print); }
void sprintln(VM& vm, Slot* frame) { to_string(vm, frame, Form::Println); }
void sprintf(VM& vm, Slot* frame) { to_string(vm, frame, Form::Printf); }

// errorf(format, a, results) (s string, wrapped int, calls, kinds): Errorf's text and the
// index of its %w operand (-1: none).
void errorf(VM& vm, Slot* frame) {
    std::string_view format_text = load_string(frame).view();
    MethodCalls calls(load_slice(frame + 5));
    std::string text;
    int wrapped = -1;
    bool done = format(text, Form::Errorf, format_text, frame + 2, calls, &wrapped);
    store_string(frame, done ? vm.heap().make_string(text) : StringRef{});
    frame[2].i = wrapped;
    store_calls(vm, frame + 3, calls);
}

void is_nil_pointer(VM&, Slot* frame) {
    InterfaceRef value = load_interface(frame);
    frame[0].u = value.type != nullptr && value.type->kind == TypeKind::Pointer && value.data.p == nullptr;
}

} // namespace

const NativeEntry fmt_natives[] = {
    {"fmt.writePrint", write_print}, {"fmt.writePrintln", write_println}, {"fmt.writePrintf", write_printf},
    {"fmt.sprint", sprint},          {"fmt.sprintln", sprintln},         {"fmt.sprintf", sprintf},
    {"fmt.isNilPointer", is_nil_pointer}, {"fmt.errorf", errorf},
    {nullptr, nullptr},
};

} // namespace csp::stdlib
