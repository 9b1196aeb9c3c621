// Deferred calls, panics and recover, as Go's runtime/panic.go does them, without ever
// recursing on the C++ stack: each deferred call is a VM frame the dispatch loop runs.
//
// - On return, a function with defer statements executes RUNDEFERS, which pops this
//   frame's newest record and calls it with the return address pointing back at itself.
// - A panic never pops frames while it runs deferred calls (Go's traces show the frames
//   between the panic and the deferred call): it pushes the VM's "panic" frame on top of
//   the stack and the deferred call above that. When the call returns into the panic
//   frame, its UNWIND instruction either resumes the recovered frame at a RUNDEFERS that
//   runs its remaining deferred calls and returns, or runs the next record. No record
//   left: the panic is uncaught.
// - recover() succeeds in the frame directly above the newest panic's panic frame.
#include "runtime/defer.hpp"
#include "runtime/panic.hpp"
#include "runtime/vm.hpp"

#include <algorithm>
#include <cstring>

namespace csp {

// ---- The defer stack.

void DeferStack::push(const Slot* closure_and_args, uint32_t arg_slots, uint32_t wrapper,
                      uint32_t resume, size_t frame, size_t max_bytes) {
    size_t needed = size_t(m_top) + arg_slots + 4;
    if (needed > m_capacity) {
        size_t capacity = std::max<size_t>({needed, 2 * size_t(m_capacity), 16});
        if (capacity > max_bytes / sizeof(Slot)) capacity = needed;
        if (capacity > max_bytes / sizeof(Slot) || capacity > UINT32_MAX) throw std::bad_alloc();
        void* grown = std::realloc(m_slots, capacity * sizeof(Slot));
        if (grown == nullptr) throw std::bad_alloc();
        m_slots = static_cast<Slot*>(grown);
        m_capacity = uint32_t(capacity);
    }
    Slot* record = m_slots + m_top;
    std::memcpy(record, closure_and_args, (size_t(arg_slots) + 1) * sizeof(Slot));
    record[arg_slots + 1].u = frame;
    record[arg_slots + 2].u = resume;
    record[arg_slots + 3].u = uint64_t(arg_slots) | uint64_t(wrapper) << 32;
    m_top = uint32_t(needed);
    m_top_frame = frame;
}

DeferStack::Record DeferStack::pop() {
    uint64_t sizes = m_slots[m_top - 1].u;
    uint32_t arg_slots = uint32_t(sizes);
    auto resume = uint32_t(m_slots[m_top - 2].u);
    size_t frame = size_t(m_slots[m_top - 3].u);
    m_top -= arg_slots + 4;
    const Slot* record = m_slots + m_top;
    m_top_frame = m_top == 0 ? no_frame : size_t(m_slots[m_top - 3].u);
    Record popped;
    popped.closure = static_cast<Closure*>(record[0].p);
    popped.args = record + 1;
    popped.arg_slots = arg_slots;
    popped.wrapper = uint32_t(sizes >> 32);
    popped.resume = resume;
    popped.frame = frame;
    return popped;
}

// ---- Steps of the VM.

// The frame resumes after a recovery where Go's would: at the function's recovery exit
// when Go open-codes its defers, else at the pad the compiler put after this DEFER.
void VM::defer_call(size_t frame_index, const Slot* closure_and_args, uint32_t arg_slots,
                    uint32_t wrapper) {
    const Frame& frame = m_scheduler.current()->frames[frame_index];
    const Function& function = *frame.function;
    uint32_t resume = function.open_coded_defers ? function.recover_pc
                                                 : uint32_t(frame.pc - function.code.data()) + 1;
    m_scheduler.current()->defers.push(closure_and_args, arg_slots, wrapper, resume, frame_index,
                            m_heap.limit());
}

// Calls a popped record with its frame at stack index `base`: pushes a VM frame (Running:
// the loop continues in it), or calls a native in place (Running: the loop continues at
// the unchanged top frame, which returns here), or raises the nil-func panic.
VM::DeferredCall VM::call_deferred(const DeferStack::Record& record, size_t base, int& status) {
    Goroutine& goroutine = *m_scheduler.current();
    const Function* callee;
    uint32_t arg_slots = record.arg_slots;
    if (record.closure != nullptr) {
        callee = record.closure->function;
    } else if (record.wrapper != 0) {
        callee = m_functions[record.wrapper - 1]; // faults in its own frame, as Go's wrapper
        arg_slots = 0;
    } else {
        panic_runtime_error(std::string(nil_dereference_message), true);
        return DeferredCall::Panicked;
    }
    if (!goroutine.reserve(base, std::max(callee->frame_slots, arg_slots), m_max_stack_bytes)) {
        status = report_stack_overflow(callee);
        return DeferredCall::Stopped;
    }
    Slot* registers = goroutine.stack.data() + base;
    std::memcpy(registers, record.args, size_t(arg_slots) * sizeof(Slot));
    if (callee->native != nullptr) {
        callee->native(*this, registers);
        return m_panic.active ? DeferredCall::Panicked : DeferredCall::Running;
    }
    clear_registers(registers + arg_slots, registers + callee->frame_slots);
    goroutine.frames[goroutine.frame_count++] =
        Frame{callee, record.closure, callee->code.data(), uint32_t(base)};
    return DeferredCall::Running;
}

bool VM::run_deferred_on_return(int& status) {
    Goroutine& goroutine = *m_scheduler.current();
    const Frame& frame = goroutine.frames[goroutine.frame_count - 1];
    size_t base = frame.base + frame.function->frame_slots;
    DeferStack::Record record = goroutine.defers.pop();
    switch (call_deferred(record, base, status)) {
    case DeferredCall::Running:
        return true;
    case DeferredCall::Stopped:
        return false;
    case DeferredCall::Panicked:
        break;
    }
    return start_panic(status);
}

// Records the panic in m_panic on the goroutine's list and runs its first deferred call.
// A deferred call that panics at once (a native, a nil func) starts the next panic here,
// in a loop rather than by recursion.
bool VM::start_panic(int& status) {
    Goroutine& goroutine = *m_scheduler.current();
    for (;;) {
        if (m_panic.fatal || m_panic.exit) {
            status = report_panic();
            return false;
        }
        PanicRecord record;
        record.value = m_panic.value;
        record.goexit = m_panic.goexit;
        m_panic.goexit = false;
        goroutine.panics().records.push_back(std::move(record));
        goroutine.panics().signal |= m_panic.signal;
        m_panic.active = false;
        m_panic.signal = false;
        switch (next_panic_deferred_call(status)) {
        case DeferredCall::Running:
            return true;
        case DeferredCall::Stopped:
            return false;
        case DeferredCall::Panicked:
            break;
        }
    }
}

// The newest panic runs the newest deferred call: above the whole stack, over a panic
// frame whose line tells whether Go would have open-coded the deferring function's defers.
VM::DeferredCall VM::next_panic_deferred_call(int& status) {
    Goroutine& goroutine = *m_scheduler.current();
    std::vector<PanicRecord>& panics = goroutine.panics().records;
    if (goroutine.defers.empty() && panics.back().goexit) { // Goexit: the goroutine ends
        end_goexited_goroutine();
        return DeferredCall::Running;
    }
    if (goroutine.defers.empty()) { // uncaught
        if (preprint_next_panic(status)) return DeferredCall::Running;
        if (status == 0) status = report_panic();
        return DeferredCall::Stopped;
    }
    DeferStack::Record record = goroutine.defers.pop();
    const Frame& top = goroutine.frames[goroutine.frame_count - 1];
    size_t base = top.base + top.function->frame_slots;
    if (!goroutine.reserve(base, 0, m_max_stack_bytes)) {
        status = report_stack_overflow(&m_panic_function);
        return DeferredCall::Stopped;
    }
    bool open_coded = goroutine.frames[record.frame].function->open_coded_defers;
    const Instr* resume = m_panic_function.code.data() + (open_coded ? 1 : 2);
    goroutine.frames[goroutine.frame_count++] = Frame{&m_panic_function, nullptr, resume, uint32_t(base)};
    panics.back().panic_frame = goroutine.frame_count - 1;
    panics.back().deferring_frame = record.frame;
    panics.back().resume = record.resume;
    return call_deferred(record, base, status);
}

bool VM::continue_panic(int& status) {
    Goroutine& goroutine = *m_scheduler.current();
    --goroutine.frame_count; // the panic frame
    PanicRecord& panic = goroutine.panics().records.back();
    panic.panic_frame = no_frame;
    if (panic.recovered) {
        resume_recovered(panic.deferring_frame, panic.resume);
        return true;
    }
    switch (next_panic_deferred_call(status)) {
    case DeferredCall::Running:
        return true;
    case DeferredCall::Stopped:
        return false;
    case DeferredCall::Panicked:
        break;
    }
    return start_panic(status);
}

// Go's recovery: the newest panic and the aborted ones under it are done (see PanicList);
// the frame whose deferred call recovered continues where Go's would, running its
// remaining deferred calls and returning its results. Every frame above it is dropped
// (none holds a record any more).
void VM::resume_recovered(size_t frame_index, uint32_t resume) {
    Goroutine& goroutine = *m_scheduler.current();
    std::vector<PanicRecord>& panics = goroutine.panics().records;
    panics.pop_back();
    while (!panics.empty() && panics.back().panic_frame != no_frame &&
           panics.back().panic_frame > frame_index)
        panics.pop_back();
    if (panics.empty()) goroutine.panics().signal = false;
    goroutine.frame_count = frame_index + 1;
    Frame& frame = goroutine.frames[frame_index];
    frame.pc = frame.function->code.data() + resume;
}

// Goexit ran every deferred call: the goroutine ends as if its function had returned, and
// the loop picks the next one (m_goexited). Go's main goroutine would let the others run
// and then fail with "no goroutines"; csp ends it the same way as any other.
void VM::end_goexited_goroutine() {
    Goroutine* goroutine = m_scheduler.current();
    goroutine->panics().records.clear();
    goroutine->panics().signal = false;
    goroutine->frame_count = 0;
    m_goexited = goroutine;
}

InterfaceRef VM::recover(size_t frame_index) {
    GoroutineExtra* extra = m_scheduler.current()->extra_if_any();
    if (extra == nullptr || extra->panics.records.empty()) return {};
    std::vector<PanicRecord>& panics = extra->panics.records;
    PanicRecord& panic = panics.back();
    if (panic.goexit || panic.recovered || panic.panic_frame == no_frame || panic.panic_frame + 1 != frame_index)
        return {};
    panic.recovered = true;
    return panic.value;
}

// Go's preprintpanics, newest first: the next panic value with an Error (or else String)
// method gets it called, in the VM's preprint frame above the stack, whose PANICTEXT
// records the text and comes back here. False when none is left (status 0) or the stack
// cannot hold the frame (status set).
bool VM::preprint_next_panic(int& status) {
    status = 0;
    Goroutine& goroutine = *m_scheduler.current();
    std::vector<PanicRecord>& panics = goroutine.panics().records;
    for (size_t k = panics.size(); k-- > 0;) {
        PanicRecord& panic = panics[k];
        const RtType* type = panic.value.type;
        if (panic.printed || type == nullptr || type->error_text || type->kind == TypeKind::Interface)
            continue;
        const RtMethod* method = nullptr;
        for (const char* name : {"Error", "String"}) {
            for (const RtMethod& m : type->methods)
                if (m.name == name && m.signature == "func() string") method = &m;
            if (method) break;
        }
        if (!method) continue;
        panic.printed = panic.printing = true;
        const Frame& top = goroutine.frames[goroutine.frame_count - 1];
        size_t base = top.base + top.function->frame_slots;
        if (!goroutine.reserve(base, m_preprint_function.frame_slots, m_max_stack_bytes)) {
            status = report_stack_overflow(&m_preprint_function);
            return false;
        }
        Slot* registers = goroutine.stack.data() + base;
        clear_registers(registers, registers + m_preprint_function.frame_slots);
        store_interface(registers, panic.value);
        const Instr* start = m_preprint_function.code.data() + (method->name == "Error" ? 0 : 2);
        goroutine.frames[goroutine.frame_count++] = Frame{&m_preprint_function, nullptr, start, uint32_t(base)};
        return true;
    }
    return false;
}

bool VM::set_panic_text(StringRef text, int& status) {
    Goroutine& goroutine = *m_scheduler.current();
    for (PanicRecord& panic : goroutine.panics().records)
        if (panic.printing) {
            panic.printing = false;
            panic.has_text = true;
            panic.text = std::string(text.view());
        }
    --goroutine.frame_count; // the preprint frame
    if (preprint_next_panic(status)) return true;
    if (status == 0) status = report_panic();
    return false;
}

// Go's printpanics: oldest first, each later one after a tab, recovered ones marked.
std::string VM::panic_report_text() const {
    std::string text;
    static const PanicList none;
    const GoroutineExtra* extra = m_scheduler.current()->extra_if_any();
    const PanicList& list = extra != nullptr ? extra->panics : none;
    const std::vector<PanicRecord>& panics = list.records;
    if (panics.empty()) { // raised outside the loop (a native entry function)
        text = "panic: ";
        append_panic_value(text, m_panic.value, runtime_error_type());
        text += '\n';
        if (m_panic.signal) text += std::string(nil_signal_line) + '\n';
        return text;
    }
    for (size_t k = 0; k < panics.size(); ++k) {
        if (k > 0) text += '\t';
        text += "panic: ";
        if (panics[k].has_text) text += panics[k].text;
        else append_panic_value(text, panics[k].value, runtime_error_type());
        if (panics[k].recovered) text += " [recovered]";
        text += '\n';
    }
    if (list.signal) text += std::string(nil_signal_line) + '\n';
    return text;
}

} // namespace csp
