// A goroutine's execution state: its register stack and its frame records. The dispatch
// loop works on one Goroutine at a time (the scheduler, a later issue, will switch them);
// stacks grow by doubling up to the VM's byte limit, past which Go's stack overflow ends
// the program. See runtime/README.md, "Frames and calls".
#pragma once
#include "runtime/bytecode.hpp"
#include "runtime/value.hpp"

#include <cstddef>
#include <cstdint>
#include <vector>

namespace csp {

// One activation. Frames hold offsets, not pointers, into the stack: the stack moves
// when it grows, and the loop rebuilds its register pointer from `base` after every call,
// return and growth.
struct Frame {
    const Function* function; // the code being run (never a native)
    const Closure* closure;   // the func value called (CALLV, for LOADUP); null after CALL
    const Instr* pc;          // next instruction; written when this frame calls or faults
    size_t base;              // stack index of this frame's R[0]
};
static_assert(sizeof(Frame) == 32);

struct Goroutine {
    static constexpr size_t initial_stack_slots = 256;
    static constexpr size_t initial_frames = 32;

    uint64_t id = 1;
    // Registers of all frames; stack.size() is the usable capacity (always fully
    // constructed). Invariant: every live frame's [base, base + frame_slots) is inside it.
    std::vector<Slot> stack;
    // frames[0 .. frame_count) are live, the innermost last; frames.size() is the capacity.
    std::vector<Frame> frames;
    size_t frame_count = 0;

    Goroutine();

    // Makes room for a frame of `slots` registers starting at stack index `base`, plus one
    // more frame record. Returns false, changing nothing, when the stack would then use
    // more than `max_bytes` (slots and frame records together): a stack overflow.
    bool reserve(size_t base, size_t slots, size_t max_bytes);
};

} // namespace csp
