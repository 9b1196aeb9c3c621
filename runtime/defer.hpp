// A goroutine's deferred calls and panics in flight: the defer stack (one record per
// executed `defer` statement, waiting for its frame to return) and the panic list that
// Go's uncaught-panic report prints. The VM steps that run deferred calls on return and
// on panic, and recover, are in defer.cpp. See runtime/README.md, "Defer, panic, recover".
#pragma once
#include "runtime/value.hpp"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <new>
#include <vector>

namespace csp {

inline constexpr size_t no_frame = SIZE_MAX;

// The deferred calls of one goroutine, innermost last. Records live in one growable
// array of slots, so the collector scans them like registers (closures and arguments
// are roots). A record is, from its first slot: the closure (null for a nil func), its
// arg_slots argument slots, then three bookkeeping slots: the index of the frame that
// ran the defer statement, the instruction where that frame resumes if this deferred
// call recovers a panic, and arg_slots | (wrapper << 32).
// Invariant: records are ordered by frame index (a frame's records sit above its
// callers'), and a frame drains its records before it returns, so the newest record
// always belongs to the innermost frame that has any.
class DeferStack {
  public:
    struct Record {
        Closure* closure;
        const Slot* args; // valid until the next push
        uint32_t arg_slots;
        uint32_t wrapper; // nonzero: program function wrapper - 1 faults a nil closure (see DEFER)
        uint32_t resume;  // code index where the frame resumes after this call recovers
        size_t frame;
    };

    DeferStack() = default;
    DeferStack(const DeferStack&) = delete;
    DeferStack& operator=(const DeferStack&) = delete;
    ~DeferStack() { std::free(m_slots); }

    bool empty() const { return m_top == 0; }
    // The frame index of the newest record; no_frame when there is none. RUNDEFERS
    // compares it with its own frame's index, so it is kept ready rather than decoded.
    size_t top_frame() const { return m_top_frame; }
    size_t slots_in_use() const { return m_top; }
    size_t capacity() const { return m_capacity; }
    const Slot* slots() const { return m_slots; }

    // Throws std::bad_alloc when `max_bytes` would be passed or the system refuses.
    void push(const Slot* closure_and_args, uint32_t arg_slots, uint32_t wrapper, uint32_t resume,
              size_t frame, size_t max_bytes);
    Record pop();

  private:
    Slot* m_slots = nullptr;
    uint32_t m_capacity = 0; // in slots (32 bits: a parked goroutine's size counts)
    uint32_t m_top = 0;      // slots in use
    size_t m_top_frame = no_frame;
};

// One panic in flight on a goroutine, as Go's _panic.
struct PanicRecord {
    InterfaceRef value;            // the argument of panic (a runtime.Error for runtime errors)
    bool recovered = false;        // recover returned it; removed once its deferred call returns
    size_t panic_frame = no_frame; // its runtime "panic" frame while it runs a deferred call
    size_t deferring_frame = no_frame; // the frame whose deferred call it runs: recovery resumes it
    uint32_t resume = 0;               // ... at this instruction (the record's resume)
    // Go's preprintpanics: the text of an error or Stringer value, from its method, once
    // the panic is uncaught; `printing` while the method runs.
    std::string text;
    bool has_text = false;
    bool printed = false; // its method was called (or is running)
    bool printing = false;
    bool goexit = false; // runtime.Goexit's unwinding: not recoverable, ends the goroutine quietly
};

// The panics of a goroutine, oldest first (Go's _panic list, reversed); an uncaught panic
// prints them all. Invariant: every panic but the newest is running a deferred call, and
// their panic frames, still on the stack, rise from oldest to newest. A newer panic that
// runs a record of a frame below an older one's panic frame abandons that deferred call
// (Go marks the older panic aborted): so when a panic recovers at frame F, it is removed
// with the panics right under it whose panic frames are above F (Go's aborted ones).
// The values are roots for the collector.
struct PanicList {
    std::vector<PanicRecord> records;
    bool signal = false; // a nil dereference is among them: reports add Go's "[signal ...]" line
};

} // namespace csp
