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
    // Go's runtime.gopanic as traces show it: "panic(...)" at the line where it calls a
    // deferred function, 884 for open-coded defers and 890 for the others (Go 1.19). A
    // frame's pc points past one of the first two UNWINDs (see next_panic_deferred_call).
    m_panic_function.name = "panic";
    m_panic_function.file = "runtime/panic.go";
    m_panic_function.has_params = true;
    m_panic_function.panic_frame = true;
    m_panic_function.code.assign(3, Instr::make(Opcode::UNWIND));
    m_panic_function.lines = {884, 890, 0};
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
    if (m_panic.fatal)
        text = "fatal error: " + m_panic.fatal_message + "\n";
    else
        text = panic_report_text();
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

void VM::print(const Slot* value, const RtType& type, uint16_t flags) {
    std::string text;
    append_print_value(text, type, value);
    if (flags & 1) text += ' ';
    if (flags & 2) text += '\n';
    write_error(text);
}

} // namespace csp
