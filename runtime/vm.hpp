// The virtual machine: runs a Program's bytecode on a goroutine's register stack, owns
// the heap, stdout and the panic state, and is the API natives use. The dispatch loop is
// VM::execute in runtime/vm.cpp; setup and the loop's cold paths are in vm_support.cpp.
#pragma once
#include "runtime/bytecode.hpp"
#include "runtime/race.hpp"
#include "runtime/channel.hpp"
#include "runtime/goroutine.hpp"
#include "runtime/heap.hpp"
#include "runtime/output.hpp"
#include "runtime/scheduler.hpp"
#include "runtime/timers.hpp"
#include "runtime/value.hpp"

#include <csignal>
#include <cstddef>
#include <deque>
#include <map>
#include <utility>
#include <unordered_map>
#include <iosfwd>
#include <string>
#include <string_view>
#include <vector>

namespace csp {

// The panic in flight, if any. Set by the loop's runtime errors, PANIC, or a native's
// raise_*; the loop checks it after every native call.
// Go's runtime error types: runtime.errorString ("runtime error: ..."), boundsError (index
// and slice bounds), plainError (no prefix: nil map, channels), *TypeAssertionError.
enum class RuntimeErrorKind : uint8_t { ErrorString, Bounds, Plain, TypeAssertion, Auto };

struct PanicState {
    bool active = false;
    InterfaceRef value;        // what was passed to panic (a runtime.Error for runtime errors)
    bool signal = false;       // a nil dereference: Go adds the "[signal SIGSEGV ...]" line
    bool fatal = false;        // a fatal error: unrecoverable, reported as "fatal error: ..."
    std::string fatal_message; // for fatal: the text after "fatal error: "
    bool exit = false;         // os.Exit: not a panic; the program ends at once, no defers run
    int exit_status = 0;       // for exit: the status to end with
    bool goexit = false;       // runtime.Goexit: the goroutine's deferred calls run, then it ends
};

class VM {
  public:
    static constexpr size_t default_max_stack_bytes = 1'000'000'000; // Go's 64-bit limit
    // Back-edges and calls a goroutine runs before it yields to the others (Go preempts
    // after 10 ms; an instruction count keeps a seeded run repeatable).
    static constexpr int preemption_quantum = 1 << 14;

    explicit VM(const Program& program, std::vector<std::string> args = {}, uint64_t seed = 1);
    VM(const VM&) = delete;
    VM& operator=(const VM&) = delete;

    // Runs program.functions[init_function] to completion. Returns the exit status: 0, or 2
    // after an uncaught panic or a fatal error (reported on stderr after flushing stdout).
    // Flushes stdout before returning. Call once.
    int run();

    // REPL sessions (runtime/vm_session.cpp). The program object grows between runs
    // (lang/repl_session.hpp appends functions, types and globals); each input's entry
    // function runs as a new main goroutine while goroutines of earlier inputs live on.
    enum class EntryOutcome { Returned, Panicked, Deadlocked, Exited, Interrupted };
    struct EntryResult {
        EntryOutcome outcome;
        int status; // Exited: os.Exit's status; 2 for a panic or deadlock; else 0
    };
    // Globals keep their addresses (pointers to them live in the heap): room for
    // `slots` of them is reserved up front. Call before the first run.
    void reserve_globals(size_t slots) { m_globals.reserve(slots); }
    // Takes in the functions, types and globals the program gained; false when the
    // globals outgrew the reservation or the types their 16-bit operands (nothing changes).
    bool sync_program();
    // Runs program.functions[function] as the main goroutine of one input, with the
    // scheduler running every goroutine, until it returns, panics (reported; the
    // goroutine dies), exits, or cannot go on (a deadlock, reported; it stays parked).
    // An unnumbered entry (id 0, for the REPL's own work) leaves Go's numbering alone.
    EntryResult run_entry(uint32_t function, bool numbered = true);
    // Ctrl-C (async-signal-safe): the running input stops at the next preemption point;
    // its main goroutine is abandoned, other goroutines stay as they are.
    static void request_interrupt() { s_interrupt = 1; }
    static void clear_interrupt() { s_interrupt = 0; } // a Ctrl-C before the input is read
    static constexpr int interrupted_status = 130;

    Heap& heap() { return m_heap; }
    Output& out() { return m_out; }
    const Program& program() const { return m_program; }
    const std::vector<std::string>& args() const { return m_args; }
    const Goroutine& current_goroutine() const { return *m_scheduler.current(); }
    Scheduler& scheduler() { return m_scheduler; }

    // For natives: start a panic, taking effect when the native returns (it should return
    // promptly; its results are ignored). A runtime error's message reads "runtime error: ...".
    void raise_panic_message(std::string runtime_error_message);
    void raise_panic(InterfaceRef value);        // panic(value), as the PANIC opcode
    void raise_panic_string(std::string_view s); // panic("s") with a plain string value
    void raise_fatal_error(std::string message); // "fatal error: <message>": unrecoverable
    void request_exit(int status);               // os.Exit: ends the program, running no defers
    bool panicking() const { return m_panic.active; }
    // runtime.Goexit, for a native: when it returns, the running goroutine runs its
    // deferred calls (recover returns nil in them) and ends; the others go on.
    void goexit_current() {
        m_panic.active = true;
        m_panic.goexit = true;
        m_panic.value = {};
    }

    // For natives that block or yield (time.Sleep, sync, runtime.Gosched): when the
    // native returns, the running goroutine parks for `reason` (whoever it registered
    // with wakes it through the scheduler) or goes to the back of the run queue.
    void park_current(WaitReason reason) { m_switch = {SwitchRequest::Park, reason}; }
    void yield_current() { m_switch = {SwitchRequest::Yield, WaitReason::None}; }
    TimerHeap& timers() { return m_timers; }
    // For natives reading standard input (os.Stdin): whether a read would not block, and,
    // when not, parking the running goroutine [IO wait] until it would (the scheduler
    // polls stdin along with its timers; vm_stdin.cpp). A program blocked there is not
    // deadlocked, as in Go where the reader sits in a system call.
    static bool stdin_ready();
    void wait_for_stdin();
    // package time's Time as the runtime makes it (time.Now, the values timers send):
    // {seconds since January 1 year 1 UTC, nanoseconds, monotonic reading}.
    static constexpr size_t time_slots = 4; // sec, nsec, mono, *Location
    static void time_now(Slot* out); // the first three slots of a time.Time
    // The *Location (package time's Local) of the times timers send: a global's address.
    void set_time_location(void* location) { m_time_location = location; }
    // Runtime semaphores (Go's semtable), for package sync: the running goroutine waits on
    // `address` (parking for `reason` when the native returns); signal wakes the first
    // waiter there, false when none waits.
    void semaphore_wait(const Slot* address, WaitReason reason = WaitReason::Semacquire);
    bool semaphore_signal(const Slot* address);
    // Whether == is defined on values of `type` (Go's t.equal != nil; reflect's Comparable).
    static bool comparable_type(const RtType& type);
    const PanicState& panic_state() const { return m_panic; }
    // Whether dynamic type `type` has every method of interface type `iface` (for natives
    // such as errors.As; interfaces.cpp).
    bool implements(const RtType* type, const RtType* iface);

    // Writes to stderr (or the error stream) after flushing stdout, as all runtime
    // diagnostics and builtin print do.
    void write_error(std::string_view text);

    // Settings. Tests send diagnostics to a stream instead of file descriptor 2.
    void set_error_stream(std::ostream* stream) { m_error_stream = stream; }
    void set_max_stack_bytes(size_t bytes) { m_max_stack_bytes = bytes; }
    // A seed the user did not choose is printed after a panic or deadlock, to replay it.
    void set_report_seed(bool report) { m_report_seed = report; }
    size_t max_stack_bytes() const { return m_max_stack_bytes; }

    // The dynamic type of runtime error panic values: kind String, name "runtime.Error".
    static const RtType& runtime_error_type();
    // The plain `string` type, used for panics raised with raise_panic_string.
    static const RtType& string_type();

  private:
    int execute(); // the dispatch loop (vm.cpp)

    // Cold paths called by the loop (vm_support.cpp). Each that can fail the program
    // expects the goroutine's frame_count and the faulting frame's pc to be saved.
    void panic_runtime_error(std::string message, bool signal = false,
                             RuntimeErrorKind kind = RuntimeErrorKind::Auto);
    int report_panic();
    int report_stack_overflow(const Function* callee);
    int report_out_of_memory(size_t requested, size_t in_use);
    bool grow_stack(size_t base, const Function* callee);
    Closure* static_closure(uint32_t function_index);
    void collect_garbage(const Frame* innermost); // gathers the roots, then Heap::collect
    void start_goroutine(const Function* function, const Closure* closure, const Slot* args,
                         const Frame& creator);
    Channel* make_channel(const RtType* elem, int64_t capacity); // null after a panic
    SelectResult select(const SelectSite& site, Slot* registers, Goroutine* g);
    static WaitReason select_wait_reason(const SelectSite& site, const Slot* registers);
    int report_deadlock();
    Goroutine* next_goroutine(); // fires due timers; waits for one if nothing can run
    // Timers (vm_timers.cpp): firing the due ones, AfterFunc's goroutines, GC roots.
    void fire_timers();
    bool poll_stdin(int timeout_ms); // readies the stdin waiters when input is ready
    void start_timer_goroutine(const Closure* closure);
    void timer_roots(std::vector<Slot>& out) const;
    void append_seed(std::string& text) const;
    void concat(Slot* result, StringRef left, StringRef right);
    void print(const Slot* value, const RtType& type, uint16_t flags);
    // Interfaces (interfaces.cpp). itab: the functions implementing iface's methods for
    // dynamic type `type`, in iface's order (cached, also in the type); null if one is
    // missing. implements: whether type's method set has every method of iface.
    const Function* const* itab(const RtType* type, const RtType* iface);
    [[gnu::cold]] void panic_type_assertion(const RtType* static_type, const RtType* concrete,
                                            const RtType* asserted);
    [[gnu::cold]] void panic_missing_method(const RtType* concrete, const RtType* iface);
    // IEQ: Go's interface equality; false (with a panic raised) when the dynamic types
    // are the same uncomparable type.
    bool interfaces_equal(InterfaceRef left, InterfaceRef right, bool& equal);

    // Defer, panic and recover (defer.cpp). The steps that can end the program return
    // false with the exit status in `status`; true means: continue at the goroutine's top
    // frame (whose registers and pc they may have changed). They expect frame_count saved.
    enum class DeferredCall { Running, Stopped, Panicked };
    void defer_call(size_t frame_index, const Slot* closure_and_args, uint32_t arg_slots,
                    uint32_t wrapper);
    bool run_deferred_on_return(int& status); // RUNDEFERS found a record of the top frame
    bool start_panic(int& status);            // m_panic holds a panic just raised
    bool continue_panic(int& status);         // UNWIND: a panic's deferred call returned
    void end_goexited_goroutine();            // Goexit's deferred calls are done
    InterfaceRef recover(size_t frame_index);
    DeferredCall next_panic_deferred_call(int& status);
    DeferredCall call_deferred(const DeferStack::Record& record, size_t base, int& status);
    void resume_recovered(size_t frame_index, uint32_t resume);
    std::string panic_report_text() const;
    bool preprint_next_panic(int& status);
    bool set_panic_text(StringRef text, int& status);
    // Slices, arrays and string conversions (vm_slices.cpp), out of the loop's way. Those
    // returning bool return false after raising a panic.
    [[gnu::cold]] void raise_index_error(int64_t index, int64_t length);
    const Instr* slice_operation(Slot* R, const Slot* K, const Instr* pc);
    // The map opcodes (vm_maps.cpp); null after raising a panic.
    const Instr* map_operation(Slot* R, const Instr* pc);
    static void copy_slots(Slot* to, const Slot* from, size_t count) {
        for (size_t k = 0; k < count; ++k) to[k] = from[k];
    }
    void duplicate_slots(Slot* result, const Slot* from, uint64_t count);
    bool make_slice(Slot* result, const RtType& elem, int64_t length, int64_t capacity);
    bool slice_slice(Slot* result, const Slot* slice, const Slot* bounds, uint32_t width, bool three_index,
                     bool array);
    bool slice_string(Slot* result, const Slot* string, const Slot* bounds);
    bool append_values(Slot* slice, const Slot* values, int64_t count, const RtType& elem);
    bool append_slice(Slot* slice, const Slot* values, const RtType& elem);
    bool append_string(Slot* slice, StringRef bytes, const RtType& elem);
    bool grow_slice(Slot* slice, int64_t needed, const RtType& elem);
    void copy_elements(Slot* result, const Slot* operands, uint32_t width);
    void copy_string(Slot* result, const Slot* operands);
    void clear_elements(Slot* slice, uint32_t width);
    bool equal_values(Slot* result, const RtType& type, const Slot* left, const Slot* right);
    bool values_equal(const RtType& type, const Slot* left, const Slot* right, bool& equal);
    void string_to_bytes(Slot* result, StringRef text, bool exact_capacity);
    void string_to_runes(Slot* result, StringRef text, bool exact_capacity);
    void bytes_to_string(Slot* result, SliceRef bytes);
    void runes_to_string(Slot* result, SliceRef runes);
    void rune_to_string(Slot* result, int64_t rune);

    inline static volatile std::sig_atomic_t s_interrupt = 0; // see request_interrupt

    const Program& m_program;
    std::vector<std::string> m_args;
    std::vector<const Function*> m_functions; // program.functions, unwrapped
    std::vector<const RtType*> m_types;       // program.types, unwrapped
    std::vector<Closure*> m_static_closures;  // LOADF's closures, made on first use
    Function m_panic_function;                // the frame a panic runs deferred calls above
    Function m_preprint_function;             // calls Error or String of an uncaught panic's value
    RtType m_error_interface{TypeKind::Interface, "error", 2};
    RtType m_stringer_interface{TypeKind::Interface, "fmt.Stringer", 2};
    Function m_go_func_function;              // "created by time.goFunc" of AfterFunc's goroutines
    std::vector<Slot> m_globals;
    Scheduler m_scheduler;
    TimerHeap m_timers;
    std::unordered_map<const Slot*, std::deque<Goroutine*>> m_semaphores; // waiters by address
    std::vector<Goroutine*> m_stdin_waiters; // parked in wait_for_stdin
    enum class SwitchRequest : uint8_t { None, Park, Yield };
    struct {
        SwitchRequest kind = SwitchRequest::None;
        WaitReason reason = WaitReason::None;
    } m_switch; // set by a native, acted on when it returns
    Goroutine* m_main = nullptr;
    void* m_time_location = nullptr; // see set_time_location // when its bottom frame returns, the program ends
    std::vector<SelectCase> m_select_cases; // SELECT's scratch
    // Interface tables by (dynamic type, interface); null entries: not implemented.
    std::map<std::pair<const RtType*, const RtType*>, std::vector<const Function*>> m_itabs;
    PanicState m_panic;
    Goroutine* m_goexited = nullptr; // ended by Goexit: the loop drops it and reschedules
    Heap m_heap;
    Output m_out;
    std::ostream* m_error_stream = nullptr;
    size_t m_max_stack_bytes = default_max_stack_bytes;
    bool m_ran = false;
    bool m_report_seed = false;

    // ---- the race detector (vm_race.cpp), present when the program was compiled with -race
  public:
    RaceDetector* race() { return m_race.get(); }

  private:
    void race_start();
    int race_finish(int status); // prints "Found N data race(s)"; a clean exit becomes 66
    // RACE: checks the access instruction `access` of the innermost frame `frame`.
    void race_access(Slot* R, Frame* frames, const Frame* frame, const Instr* race);
    std::unique_ptr<RaceDetector> m_race;
};

} // namespace csp
