// Everything of the VM except the dispatch loop: setup and run(), the natives' panic API,
// stderr output, and the cold paths the loop calls (stack growth, runtime errors, reports
// of panics, stack overflow and out of memory, string concatenation, builtin print).
#include "runtime/panic.hpp"
#include "runtime/vm.hpp"

#include <cstring>
#include <ostream>

namespace csp {

VM::VM(const Program& program, std::vector<std::string> args)
    : m_program(program), m_args(std::move(args)), m_globals(program.global_slots) {
    for (const auto& function : program.functions)
        m_functions.push_back(function.get());
    for (const auto& type : program.types)
        m_types.push_back(type.get());
    m_static_closures.assign(m_functions.size(), nullptr);
}

const RtType& VM::runtime_error_type() {
    static const RtType type{TypeKind::String, "runtime.Error", 2};
    return type;
}

const RtType& VM::string_type() {
    static const RtType type{TypeKind::String, "string", 2};
    return type;
}

int VM::run() {
    if (m_ran) return 2;
    m_ran = true;
    if (m_program.init_function >= m_functions.size()) {
        write_error("fatal error: the program has no entry function\n");
        return 2;
    }
    const Function* init = m_functions[m_program.init_function];
    Goroutine& goroutine = m_goroutine;
    int status;
    if (init->native != nullptr) {
        init->native(*this, goroutine.stack.data());
        status = m_panic.active ? report_panic() : 0;
    } else if (!grow_stack(0, init)) {
        status = report_stack_overflow(init);
    } else {
        for (size_t k = 0; k < init->frame_slots; ++k)
            goroutine.stack[k].u = 0;
        goroutine.frames[0] = Frame{init, nullptr, init->code.data(), 0};
        goroutine.frame_count = 1;
        status = execute();
    }
    m_out.flush();
    return status;
}

void VM::write_error(std::string_view text) {
    m_out.flush();
    if (m_error_stream != nullptr) {
        m_error_stream->write(text.data(), std::streamsize(text.size()));
        m_error_stream->flush();
    } else {
        write_all(2, text);
    }
}

// ---- Panics raised by natives and by the loop.

void VM::raise_panic(InterfaceRef value) {
    m_panic.active = true;
    m_panic.value = value;
    m_panic.signal = false;
}

void VM::panic_runtime_error(std::string message, bool signal) {
    Slot* payload = m_heap.make_slots(2);
    store_string(payload, m_heap.make_string(message));
    raise_panic({&runtime_error_type(), Slot{.p = payload}});
    m_panic.signal = signal;
}

void VM::raise_panic_message(std::string runtime_error_message) {
    panic_runtime_error(std::move(runtime_error_message));
}

void VM::raise_panic_string(std::string_view text) {
    Slot* payload = m_heap.make_slots(2);
    store_string(payload, m_heap.make_string(text));
    raise_panic({&string_type(), Slot{.p = payload}});
}

void VM::raise_fatal_error(std::string message) {
    m_panic.active = true;
    m_panic.fatal = true;
    m_panic.fatal_message = std::move(message);
}

// ---- Reports that end the program (exit status 2).

void VM::request_exit(int status) {
    m_panic.active = true;
    m_panic.exit = true;
    m_panic.exit_status = status;
}

int VM::report_panic() {
    if (m_panic.exit) {
        m_out.flush();
        return m_panic.exit_status;
    }
    std::string text;
    if (m_panic.fatal) {
        text = "fatal error: " + m_panic.fatal_message + "\n";
    } else {
        text = "panic: ";
        append_panic_value(text, m_panic.value, runtime_error_type());
        text += '\n';
        if (m_panic.signal) {
            text += nil_signal_line;
            text += '\n';
        }
    }
    text += '\n';
    append_goroutine_trace(text, m_program, m_goroutine);
    write_error(text);
    return 2;
}

int VM::report_stack_overflow(const Function* callee) {
    std::string text = "runtime: goroutine stack exceeds " + std::to_string(m_max_stack_bytes) +
                       "-byte limit\nfatal error: stack overflow\n\n";
    append_goroutine_trace(text, m_program, m_goroutine, callee);
    write_error(text);
    return 2;
}

int VM::report_out_of_memory(size_t requested, size_t in_use) {
    std::string text;
    if (requested != 0)
        text = "runtime: out of memory: cannot allocate " + std::to_string(requested) +
               "-byte block (" + std::to_string(in_use) + " in use)\n";
    text += "fatal error: out of memory\n\n";
    append_goroutine_trace(text, m_program, m_goroutine);
    write_error(text);
    return 2;
}

// ---- Helpers of single opcodes.

bool VM::grow_stack(size_t base, const Function* callee) {
    return m_goroutine.reserve(base, callee->frame_slots, m_max_stack_bytes);
}

Closure* VM::static_closure(uint32_t function_index) {
    Closure*& closure = m_static_closures[function_index];
    if (closure == nullptr) closure = m_heap.make_closure(m_functions[function_index], 0);
    return closure;
}

void VM::concat(Slot* result, StringRef left, StringRef right) {
    if (left.len == 0) {
        store_string(result, right);
        return;
    }
    if (right.len == 0) {
        store_string(result, left);
        return;
    }
    size_t length = size_t(left.len) + size_t(right.len);
    auto* bytes = static_cast<char*>(m_heap.allocate_uninitialized(length, ObjectKind::Bytes));
    std::memcpy(bytes, left.data, size_t(left.len));
    std::memcpy(bytes + left.len, right.data, size_t(right.len));
    store_string(result, {bytes, int64_t(length)});
}

namespace {

// Whether == is defined on values of the type (Go's t.equal != nil).
bool comparable(const RtType& type) {
    switch (type.kind) {
    case TypeKind::Func:
    case TypeKind::Slice:
        return false;
    case TypeKind::Struct:
        for (const RtField& field : type.fields)
            if (!comparable(*field.type)) return false;
        return true;
    default:
        return true;
    }
}

// Go's equality of two values of one comparable type, field by field in order. Returns
// the dynamic type of interfaces holding uncomparable values (Go's efaceeq panics on
// it), or null with `equal` set.
const RtType* compare_values(const RtType& type, const Slot* left, const Slot* right, bool& equal) {
    switch (type.kind) {
    case TypeKind::String:
        equal = strings_equal(load_string(left), load_string(right));
        return nullptr;
    case TypeKind::Float32:
    case TypeKind::Float64:
        equal = left->f == right->f;
        return nullptr;
    case TypeKind::Interface: {
        InterfaceRef a = load_interface(left), b = load_interface(right);
        equal = a.type == b.type;
        if (!equal || a.type == nullptr) return nullptr;
        if (!comparable(*a.type)) return a.type;
        return compare_values(*a.type, interface_payload(a), interface_payload(b), equal);
    }
    case TypeKind::Struct:
        equal = true;
        for (const RtField& field : type.fields) {
            const RtType* bad = compare_values(*field.type, left + field.offset, right + field.offset, equal);
            if (bad != nullptr || !equal) return bad;
        }
        return nullptr;
    default:
        equal = left->u == right->u;
        return nullptr;
    }
}

} // namespace

bool VM::interfaces_equal(InterfaceRef left, InterfaceRef right, bool& equal) {
    Slot a[2], b[2];
    store_interface(a, left);
    store_interface(b, right);
    static const RtType interface_type{TypeKind::Interface, "interface {}", 2};
    const RtType* bad = compare_values(interface_type, a, b, equal);
    if (bad == nullptr) return true;
    panic_runtime_error("runtime error: comparing uncomparable type " + bad->name);
    return false;
}

void VM::print(const Slot* value, const RtType& type, uint16_t flags) {
    std::string text;
    append_print_value(text, type, value);
    if (flags & 1) text += ' ';
    if (flags & 2) text += '\n';
    write_error(text);
}

} // namespace csp
