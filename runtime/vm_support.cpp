// Everything of the VM except the dispatch loop: setup and run(), the natives' panic API,
// stderr output, and the cold paths the loop calls (stack growth, runtime errors, reports
// of panics, stack overflow and out of memory, string concatenation, builtin print).
#include "runtime/panic.hpp"
#include "runtime/vm.hpp"

#include <algorithm>
#include <cstring>
#include <ctime>
#include <ostream>

namespace csp {

VM::VM(const Program& program, std::vector<std::string> args, uint64_t seed)
    : m_program(program), m_args(std::move(args)), m_globals(program.global_slots), m_scheduler(seed) {
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
    // Go's preprintpanics: R[0..1] holds the panic value; it calls Error (at 0) or String
    // (at 2) through an interface the VM adds to the type table, then PANICTEXT.
    m_error_interface.methods = {{"Error", "func() string", 0}};
    m_stringer_interface.methods = {{"String", "func() string", 0}};
    m_types.push_back(&m_error_interface);
    m_types.push_back(&m_stringer_interface);
    uint16_t error_index = uint16_t(m_types.size() - 2), stringer_index = uint16_t(m_types.size() - 1);
    m_preprint_function.name = "runtime.preprintpanics";
    m_preprint_function.code = {Instr::make(Opcode::CALLI, 1, error_index, 0), Instr::make(Opcode::PANICTEXT, 1),
                                Instr::make(Opcode::CALLI, 1, stringer_index, 0), Instr::make(Opcode::PANICTEXT, 1)};
    m_preprint_function.lines.assign(4, 0);
    m_preprint_function.frame_slots = 4;
    m_go_func_function.name = "time.goFunc"; // Go 1.19's `go arg.(func())()`, -trimpath style
    m_go_func_function.file = "time/sleep.go";
    m_go_func_function.line = 176;
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
    m_scheduler.set_first_goroutine_id(m_program.first_goroutine_id);
    m_main = m_scheduler.spawn();
    m_scheduler.set_current(m_main);
    m_main->status = GoroutineStatus::Running;
    Goroutine& goroutine = *m_main;
    race_start();
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
    return race_finish(status);
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

void VM::panic_runtime_error(std::string message, bool signal, RuntimeErrorKind kind) {
    if (kind == RuntimeErrorKind::Auto) {
        bool bounds = message.starts_with("runtime error: index out of range") ||
                      message.starts_with("runtime error: slice bounds out of range");
        kind = bounds ? RuntimeErrorKind::Bounds
               : message.starts_with("runtime error: ") ? RuntimeErrorKind::ErrorString
                                                          : RuntimeErrorKind::Plain;
    }
    const RtType* type = &runtime_error_type();
    if (size_t(kind) < m_program.runtime_error_types.size())
        type = m_types[m_program.runtime_error_types[size_t(kind)]];
    Slot* payload = m_heap.make_slots(2);
    store_string(payload, m_heap.make_string(message));
    raise_panic({type, Slot{.p = payload}});
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

// After a failure in a run whose seed was random: how to replay it.
void VM::append_seed(std::string& text) const {
    if (!m_report_seed) return;
    std::string seed = std::to_string(m_scheduler.seed());
    text += "\ncsp: scheduler seed " + seed + " (csp run --seed " + seed + " replays this run)\n";
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
    append_goroutine_trace(text, m_program, current_goroutine());
    append_seed(text);
    write_error(text);
    return 2;
}

int VM::report_stack_overflow(const Function* callee) {
    std::string text = "runtime: goroutine stack exceeds " + std::to_string(m_max_stack_bytes) +
                       "-byte limit\nfatal error: stack overflow\n\n";
    append_goroutine_trace(text, m_program, current_goroutine(), callee);
    write_error(text);
    return 2;
}

int VM::report_out_of_memory(size_t requested, size_t in_use) {
    std::string text;
    if (requested != 0)
        text = "runtime: out of memory: cannot allocate " + std::to_string(requested) +
               "-byte block (" + std::to_string(in_use) + " in use)\n";
    text += "fatal error: out of memory\n\n";
    append_goroutine_trace(text, m_program, current_goroutine());
    append_seed(text);
    write_error(text);
    return 2;
}

// ---- Helpers of single opcodes.

bool VM::grow_stack(size_t base, const Function* callee) {
    Goroutine* g = m_scheduler.current();
    if (!g->reserve(base, callee->frame_slots, m_max_stack_bytes)) return false;
    const Function* entry = g->frames[0].function;
    if (g != m_main && g->stack.size() <= Goroutine::initial_stack_slots)
        entry->goroutine_stack_hint = std::max(entry->goroutine_stack_hint, uint32_t(g->stack.size()));
    return true;
}

// The roots: globals, every goroutine's registers up to its innermost frame's last one,
// its frame records, deferred calls and panics (the running goroutine's innermost frame is passed in: its
// frame_count is not saved),
// the closures LOADF made, and the panic in flight.
void VM::collect_garbage(const Frame* innermost) {
    std::vector<Heap::RootRange> roots;
    roots.push_back({m_globals.data(), m_globals.size()});
    const Goroutine* running = m_scheduler.current();
    for (const Goroutine* g = m_scheduler.first_live(); g != nullptr; g = g->next_live) {
        const Frame* top = g == running ? innermost : g->frame_count ? &g->frames[g->frame_count - 1] : nullptr;
        if (top == nullptr) continue;
        roots.push_back({g->stack.data(), top->base + top->function->frame_slots});
        // Frame records hold the closure each frame runs: often its only reference.
        size_t frame_count = size_t(top - g->frames.data()) + 1;
        roots.push_back({g->frames.data(), frame_count * sizeof(Frame) / sizeof(Slot)});
        // Deferred calls (closures and arguments) and the values of panics in flight.
        roots.push_back({g->defers.slots(), g->defers.slots_in_use()});
        if (const GoroutineExtra* extra = g->extra_if_any()) {
            const std::vector<PanicRecord>& panics = extra->panics.records;
            roots.push_back({panics.data(), panics.size() * sizeof(PanicRecord) / sizeof(Slot)});
        }
    }
    roots.push_back({m_static_closures.data(), m_static_closures.size()});
    roots.push_back({&m_panic.value, sizeof(m_panic.value) / sizeof(Slot)});
    std::vector<Slot> timer_targets; // timers' channels and AfterFunc closures
    timer_roots(timer_targets);
    roots.push_back({timer_targets.data(), timer_targets.size()});
    m_heap.collect(roots);
}

// A go statement: a new goroutine whose first frame is `function` with the arguments
// copied from the creator's registers. Like Go's newproc, it takes the runnext slot.
void VM::start_goroutine(const Function* function, const Closure* closure, const Slot* args,
                         const Frame& creator) {
    size_t slots = std::max(function->frame_slots, function->param_slots);
    // Room for the first frame and a little more, or as much as earlier goroutines of the
    // function came to need; deeper calls grow the stack. Three frame records: the common
    // `wg.Done()` (Done calls Add) needs them.
    Goroutine* g = m_scheduler.spawn(std::max<size_t>({8, slots + 4, function->goroutine_stack_hint}), 3);
    if (!g->reserve(0, slots, m_max_stack_bytes)) slots = 0; // cannot happen below the limit
    std::memcpy(g->stack.data(), args, function->param_slots * sizeof(Slot));
    for (size_t k = function->param_slots; k < slots; ++k) g->stack[k].u = 0;
    g->frames[0] = Frame{function, closure, function->code.data(), 0};
    g->frame_count = 1;
    g->creator = creator.function;
    size_t call = size_t(creator.pc - creator.function->code.data());
    g->creator_line = call > 0 && call <= creator.function->lines.size() ? creator.function->lines[call - 1] : 0;
    if (m_race && race_detector) [[unlikely]] {
        Frame* parent_frames = m_scheduler.current()->frames.data();
        m_race->goroutine_started(m_scheduler.current(), g, parent_frames, size_t(&creator - parent_frames) + 1);
    }
    m_scheduler.ready(g);
}

Channel* VM::make_channel(const RtType* elem, int64_t capacity) {
    // Go's makechan: the buffer must fit in memory (and maxAlloc).
    if (capacity < 0 || uint64_t(capacity) > (uint64_t(1) << 40) / std::max<uint32_t>(1, elem->slots) / sizeof(Slot)) {
        panic_runtime_error(std::string(makechan_size_message));
        return nullptr;
    }
    auto* channel = static_cast<Channel*>(m_heap.allocate(sizeof(Channel), ObjectKind::Slots));
    channel->elem_slots = elem->slots;
    channel->capacity = capacity;
    channel->elem_type = elem;
    if (capacity > 0) channel->buffer = m_heap.make_slots(size_t(capacity) * elem->slots);
    return channel;
}

SelectResult VM::select(const SelectSite& site, Slot* registers, Goroutine* g) {
    size_t count = site.cases.size();
    if (m_select_cases.size() < count) m_select_cases.resize(count);
    SelectCase* cases = m_select_cases.data();
    for (size_t k = 0; k < count; ++k) { // field by field: no temporaries through memory
        const SelectCaseSite& c = site.cases[k];
        cases[k].channel = static_cast<Channel*>(registers[c.channel].p);
        cases[k].value = c.is_send || c.has_value ? &registers[c.value] : nullptr;
        cases[k].ok = c.has_ok ? &registers[c.ok] : nullptr;
        cases[k].is_send = c.is_send;
    }
    return chan_select(m_scheduler, cases, int(count), site.has_default, g);
}

// Go compiles a select of one case and no default as the plain channel operation, so a
// goroutine blocked there waits for "chan receive" rather than "select".
WaitReason VM::select_wait_reason(const SelectSite& site, const Slot* registers) {
    if (site.cases.empty()) return WaitReason::SelectNoCases;
    if (site.cases.size() > 1 || site.has_default) return WaitReason::Select;
    const SelectCaseSite& only = site.cases[0];
    bool nil = registers[only.channel].p == nullptr;
    if (only.is_send) return nil ? WaitReason::ChanSendNilChan : WaitReason::ChanSend;
    return nil ? WaitReason::ChanReceiveNilChan : WaitReason::ChanReceive;
}

// The next goroutine to run, after firing the timers that are due. With nothing runnable
// but timers pending, sleeps until the earliest; with goroutines waiting for standard
// input, polls it meanwhile (vm_stdin.cpp). Null: nothing can ever run again.
Goroutine* VM::next_goroutine() {
    if (!m_timers.empty()) fire_timers();
    if (!m_stdin_waiters.empty()) poll_stdin(0);
    for (;;) {
        if (Goroutine* g = m_scheduler.pick()) return g;
        if (m_timers.empty() && m_stdin_waiters.empty()) return nullptr;
        int64_t wait = m_timers.empty() ? -1 : m_timers.next_when() - monotonic_now();
        if (wait > 0 || m_stdin_waiters.size() > 0) {
            m_out.flush(); // output before a pause is seen before it
            if (!m_stdin_waiters.empty()) {
                // round up to whole milliseconds: waking early would spin
                int64_t ms = wait <= 0 ? 0 : std::min<int64_t>((wait + 999'999) / 1'000'000, 1 << 30);
                int timeout_ms = m_timers.empty() ? -1 : int(ms);
                bool ready = !s_interrupt && poll_stdin(timeout_ms); // (a signal ends it early)
                if (s_interrupt) return nullptr;                      // Ctrl-C in a REPL session
                if (ready) continue;
            } else {
                timespec ts{time_t(wait / 1'000'000'000), long(wait % 1'000'000'000)};
                if (!s_interrupt) nanosleep(&ts, nullptr); // (a signal ends it early)
                if (s_interrupt) return nullptr;           // Ctrl-C in a REPL session: see execute
            }
        }
        if (!m_timers.empty()) fire_timers();
    }
}

void VM::semaphore_wait(const Slot* address, WaitReason reason) {
    m_semaphores[address].push_back(m_scheduler.current());
    park_current(reason);
}

bool VM::semaphore_signal(const Slot* address) {
    auto it = m_semaphores.find(address);
    if (it == m_semaphores.end()) return false;
    Goroutine* g = it->second.front();
    it->second.pop_front();
    if (it->second.empty()) m_semaphores.erase(it);
    m_scheduler.ready(g);
    return true;
}

// No goroutine can run and nothing will wake one: Go's fatal deadlock error.
int VM::report_deadlock() {
    std::string text = "fatal error: all goroutines are asleep - deadlock!\n\n";
    append_all_goroutines(text, m_program, m_scheduler.first_live());
    append_seed(text);
    write_error(text);
    return 2;
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
    case TypeKind::Map:
        return false;
    case TypeKind::Struct:
        for (const RtField& field : type.fields)
            if (!comparable(*field.type)) return false;
        return true;
    case TypeKind::Array:
        return comparable(*type.elem);
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
    case TypeKind::Array:
        equal = true;
        for (int64_t k = 0; k < type.length; ++k) {
            size_t offset = size_t(k) * type.elem->slots;
            const RtType* bad = compare_values(*type.elem, left + offset, right + offset, equal);
            if (bad != nullptr || !equal) return bad;
        }
        return nullptr;
    default:
        equal = left->u == right->u;
        return nullptr;
    }
}

} // namespace

bool VM::comparable_type(const RtType& type) { return comparable(type); }

bool VM::interfaces_equal(InterfaceRef left, InterfaceRef right, bool& equal) {
    Slot a[2], b[2];
    store_interface(a, left);
    store_interface(b, right);
    static const RtType interface_type{TypeKind::Interface, "interface {}", 2};
    return values_equal(interface_type, a, b, equal);
}

// Go's == on values of `type` (arrays, structs and what they hold, interfaces). Comparing
// interfaces whose dynamic type is not comparable panics, as in Go.
bool VM::values_equal(const RtType& type, const Slot* left, const Slot* right, bool& equal) {
    const RtType* bad = compare_values(type, left, right, equal);
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
