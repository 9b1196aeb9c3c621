// A goroutine's execution state: its register stack and its frame records. The dispatch
// loop works on one Goroutine at a time (the scheduler, a later issue, will switch them);
// stacks grow by doubling up to the VM's byte limit, past which Go's stack overflow ends
// the program. See runtime/README.md, "Frames and calls".
#pragma once
#include "runtime/bytecode.hpp"
#include "runtime/channel.hpp"
#include "runtime/defer.hpp"
#include "runtime/value.hpp"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <algorithm>
#include <memory>
#include <new>
#include <type_traits>
#include <vector>

namespace csp {

// One activation. Frames hold offsets, not pointers, into the stack: the stack moves
// when it grows, and the loop rebuilds its register pointer from `base` after every call,
// return and growth.
struct Frame {
    const Function* function; // the code being run (never a native)
    const Closure* closure;   // the func value called (CALLV, for LOADUP); null after CALL
    const Instr* pc;          // next instruction; written when this frame calls or faults
    uint32_t base;            // stack index of this frame's R[0] (Goroutine::reserve keeps it 32-bit)
    // -race: the detector's calling-context id for this frame (RaceDetector::context_of),
    // 0 until computed. Every push writes 0: a reused record never carries a stale id.
    uint32_t race_context = 0;
};
static_assert(sizeof(Frame) == 32);

// A growable array of trivially copyable elements, grown with realloc: large blocks are
// moved by the kernel (mremap) rather than copied, so deep recursion neither copies its
// stack nor touches twice its memory. New elements are uninitialised. It may start in
// borrowed storage (a goroutine's own block), which it leaves for malloc'ed memory when
// it grows.
template <typename T> class StackArray {
    static_assert(std::is_trivially_copyable_v<T>);
    static constexpr size_t borrowed_bit = size_t(1) << (sizeof(size_t) * 8 - 1);

  public:
    explicit StackArray(size_t size) { resize(size); }
    StackArray(T* storage, size_t size) : m_data(storage), m_size(size | borrowed_bit) {}
    StackArray(const StackArray&) = delete;
    StackArray& operator=(const StackArray&) = delete;
    ~StackArray() {
        if (!(m_size & borrowed_bit)) std::free(m_data);
    }

    T* data() { return m_data; }
    const T* data() const { return m_data; }
    size_t size() const { return m_size & ~borrowed_bit; }
    T& operator[](size_t index) { return m_data[index]; }
    const T& operator[](size_t index) const { return m_data[index]; }

    // Throws std::bad_alloc when the system refuses; the contents are then unchanged.
    void resize(size_t size) {
        if (size > (SIZE_MAX >> 1) / sizeof(T)) throw std::bad_alloc();
        if (m_size & borrowed_bit) {
            void* moved = std::malloc(size * sizeof(T));
            if (moved == nullptr && size != 0) throw std::bad_alloc();
            if (moved != nullptr) std::memcpy(moved, m_data, std::min(size, this->size()) * sizeof(T));
            m_data = static_cast<T*>(moved);
            m_size = size;
            return;
        }
        void* grown = std::realloc(m_data, size * sizeof(T));
        if (grown == nullptr && size != 0) throw std::bad_alloc();
        m_data = static_cast<T*>(grown);
        m_size = size;
    }

  private:
    T* m_data = nullptr;
    size_t m_size = 0; // with borrowed_bit set while m_data is borrowed
};

// Zeroes the registers [from, to) of a frame being pushed. Frames are small, so a plain
// loop beats a call to memset; the empty asm keeps GCC from turning it into one.
inline void clear_registers(Slot* from, Slot* to) {
    for (Slot* slot = from; slot < to; ++slot) {
        slot->u = 0;
#if defined(__GNUC__)
        asm("" : "+r"(slot));
#endif
    }
}

// Why a goroutine is waiting: Go's waitReason strings appear in deadlock dumps.
enum class WaitReason : uint8_t {
    None, ChanReceive, ChanSend, Select, SelectNoCases, ChanReceiveNilChan, ChanSendNilChan,
    Sleep, Semacquire, SyncMutexLock, SyncRWMutexLock, SyncRWMutexRLock, SyncWaitGroupWait,
    SyncCondWait, IoWait,
};
const char* wait_reason_text(WaitReason reason); // "chan receive", "select (no cases)" ...

// Who owns a goroutine in each status (runtime2.go's _Grunnable etc.):
// - Runnable: on the scheduler's run queue (or in its runnext slot), not running.
// - Running: the scheduler's current goroutine; the dispatch loop holds its state.
// - Waiting: parked; on no queue of the scheduler, reachable from the wait queues of the
//   channels (or timers, or sync objects) it waits on, which make it Runnable again.
// - Dead: returned from its function; the scheduler frees it.
enum class GoroutineStatus : uint8_t { Runnable, Running, Waiting, Dead };

// What few goroutines need, behind one pointer allocated on first use (Goroutine::extra),
// so that a parked goroutine does not pay for it: a select's waiters and the panics in
// flight.
struct GoroutineExtra {
    std::vector<Waiter> select_waiters; // one per case of a blocked select
    int32_t select_chosen = -1;         // the case a blocked select resumed with
    PanicList panics;                   // roots for the collector
};

// Fields are ordered to leave no padding: a million parked goroutines each cost
// sizeof(Goroutine) plus their stack and frame blocks (see runtime/README.md).
struct Goroutine {
    static constexpr size_t initial_stack_slots = 256;
    static constexpr size_t initial_frames = 32;

    uint64_t id = 1;
    Goroutine* next_runnable = nullptr; // run queue link (Runnable only)
    Goroutine* prev_live = nullptr;     // the scheduler's list of every live goroutine
    Goroutine* next_live = nullptr;
    GoroutineStatus status = GoroutineStatus::Runnable;
    WaitReason wait_reason = WaitReason::None;
    bool woken_by_close = false; // a blocked send was woken by close: it must panic
    // Where the goroutine was started, for traces ("created by main.main" + file:line).
    uint32_t creator_line = 0;
    const Function* creator = nullptr;
    // Blocking channel operations: this waiter, or one per case for a select (in extra).
    Waiter waiter;
    Slot* select_result = nullptr; // a blocked SELECT's destination register
    // Registers of all frames; stack.size() is the capacity. Invariant: every live
    // frame's [base, base + frame_slots) is inside it, and was zeroed beyond the
    // arguments when the frame was pushed.
    StackArray<Slot> stack;
    // frames[0 .. frame_count) are live, the innermost last; frames.size() is the capacity.
    StackArray<Frame> frames;
    size_t frame_count = 0;
    // Deferred calls waiting for their frames to return (runtime/defer.hpp): roots for
    // the collector. Inline, not in extra: `defer wg.Done()` is common in new goroutines.
    DeferStack defers;
    // Under -race, the detector's state for this goroutine (RaceDetector owns it): found
    // without a lookup at every access and hand-off.
    void* race_state = nullptr;

    // A goroutine with room for `stack_slots` registers and `frame_records` frames; both
    // grow on demand. New goroutines start small so that a parked one costs little.
    explicit Goroutine(size_t stack_slots = initial_stack_slots, size_t frame_records = initial_frames);

    // A goroutine in one heap block with its first `stack_slots` registers and
    // `frame_records` frames (spawning is the hot path of fan-out programs); free it with
    // destroy(). Throws std::bad_alloc.
    static Goroutine* create(size_t stack_slots, size_t frame_records);
    static void destroy(Goroutine* g);

    // Makes room for a frame of `slots` registers starting at stack index `base`, plus one
    // more frame record. Returns false, changing nothing, when the stack would then use
    // more than `max_bytes` (slots and frame records together): a stack overflow.
    bool reserve(size_t base, size_t slots, size_t max_bytes);

    // Makes a dead goroutine new again, keeping its stack, frame and defer blocks (the
    // scheduler reuses dead goroutines). Its defer stack must be empty.
    void reset() {
        id = 1;
        next_runnable = prev_live = next_live = nullptr;
        status = GoroutineStatus::Runnable;
        wait_reason = WaitReason::None;
        woken_by_close = false;
        creator_line = 0;
        creator = nullptr;
        waiter = Waiter{};
        select_result = nullptr;
        frame_count = 0;
        race_state = nullptr;
        m_extra.reset();
    }

    // The rarely used members, allocated on first use; extra_if_any() does not allocate.
    GoroutineExtra& extra() {
        if (m_extra == nullptr) m_extra = std::make_unique<GoroutineExtra>();
        return *m_extra;
    }
    GoroutineExtra* extra_if_any() { return m_extra.get(); }
    const GoroutineExtra* extra_if_any() const { return m_extra.get(); }
    // The panics in flight (allocates the extra block: call it where a panic is involved).
    PanicList& panics() { return extra().panics; }

  private:
    Goroutine(Slot* stack_storage, size_t stack_slots, Frame* frame_storage, size_t frame_records);
    std::unique_ptr<GoroutineExtra> m_extra;
};
// A parked goroutine's fixed cost: grows only for a good reason (192 bytes: the
// goroutine's part of its block, see Goroutine::create).
static_assert(sizeof(Goroutine) <= 192);

} // namespace csp
