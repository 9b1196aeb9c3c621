// The VM as a REPL session drives it: the program grows between inputs, and each input
// runs as a new main goroutine on the same heap, globals and scheduler, so that state and
// goroutines of earlier inputs live on. See docs/repl.md.
#include "runtime/vm.hpp"

namespace csp {

bool VM::sync_program() {
    if (m_program.global_slots > m_globals.capacity()) return false;
    for (size_t k = m_functions.size(); k < m_program.functions.size(); ++k)
        m_functions.push_back(m_program.functions[k].get());
    // The VM's own interface types (error, Stringer: see the constructor) follow the
    // program's: they move up, and the preprint code naming them follows.
    size_t own = 2, synced = m_types.size() - own;
    if (m_program.types.size() + own > 0xFFFF) return false;
    m_types.resize(synced);
    for (size_t k = synced; k < m_program.types.size(); ++k)
        m_types.push_back(m_program.types[k].get());
    m_types.push_back(&m_error_interface);
    m_types.push_back(&m_stringer_interface);
    m_preprint_function.code[0].b = uint16_t(m_types.size() - 2);
    m_preprint_function.code[2].b = uint16_t(m_types.size() - 1);
    m_static_closures.resize(m_functions.size(), nullptr);
    m_globals.resize(m_program.global_slots); // within capacity: addresses stay
    return true;
}

VM::EntryResult VM::run_entry(uint32_t function, bool numbered) {
    if (!m_ran) m_scheduler.set_first_goroutine_id(m_program.first_goroutine_id);
    m_ran = true;
    const Function* entry = m_functions.at(function);
    m_main = numbered ? m_scheduler.spawn() : m_scheduler.spawn_unnumbered();
    m_scheduler.set_current(m_main);
    m_main->status = GoroutineStatus::Running;
    int status;
    if (!grow_stack(0, entry)) {
        status = report_stack_overflow(entry);
    } else {
        for (size_t k = 0; k < entry->frame_slots; ++k) m_main->stack[k].u = 0;
        m_main->frames[0] = Frame{entry, nullptr, entry->code.data(), 0};
        m_main->frame_count = 1;
        status = execute();
    }
    m_out.flush();
    Goroutine* g = m_scheduler.current();
    if (m_panic.exit) return {EntryOutcome::Exited, m_panic.exit_status};
    if (status == interrupted_status && s_interrupt) { // every goroutine is queued or waits
        s_interrupt = 0;
        // The input's goroutine goes if it is queued or asleep; parked on a channel (whose
        // wait queue holds it) it is left there, as after a deadlock.
        bool asleep = m_main->status == GoroutineStatus::Waiting && m_main->wait_reason == WaitReason::Sleep;
        if ((m_main->status == GoroutineStatus::Runnable && m_scheduler.unqueue(m_main)) ||
            (asleep && m_timers.stop_wakeup(m_main)))
            m_scheduler.exit(m_main);
        m_main = nullptr;
        m_scheduler.set_current(nullptr);
        return {EntryOutcome::Interrupted, status};
    }
    if (status == 0) { // main of this input returned
        m_scheduler.exit(m_main);
        m_main = nullptr;
        return {EntryOutcome::Returned, 0};
    }
    if (g != nullptr && g->status == GoroutineStatus::Running) {
        // A panic (or stack overflow, or out of memory) ended g, reported already. Other
        // goroutines, this input's main among them if g was another, live on.
        m_scheduler.exit(g);
        m_scheduler.set_current(nullptr);
        m_panic = PanicState{};
        return {EntryOutcome::Panicked, status};
    }
    return {EntryOutcome::Deadlocked, status}; // every goroutine waits; they stay so
}

} // namespace csp
