// The -race data-race detector: vector clocks per goroutine with FastTrack epochs, shadow
// state per memory slot (keyed by address), happens-before edges from go statements,
// channels and the sync hooks, and Go-format reports naming the racing location.
// Only programs compiled with FrontendOptions::race call it (RACE opcodes, race hooks).
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace csp {

struct Goroutine;
struct Frame;
struct Function;
struct Program;

class RaceDetector {
  public:
    // `write_report` prints a report (stdout is flushed first by the VM's writer).
    using Writer = void (*)(void* context, const std::string& text);
    RaceDetector(const Program& program, Writer writer, void* context);

    // A go statement: the child starts with the parent's clock. `frames[0 .. count)` is
    // the parent's stack (innermost last), its pcs pointing after the go instruction.
    void goroutine_started(Goroutine* parent, Goroutine* child, const Frame* frames, size_t count);
    void goroutine_exited(Goroutine* g);

    // A load (write false) or store of the slot at `address` by g, whose innermost frame
    // is frames[count - 1] with pc at the access. `name` indexes Program::race_names;
    // `index` is the element index for indexed names.
    void access(Goroutine* g, const void* address, bool write, uint32_t name, int64_t index,
                const Frame* frames, size_t count);

    // Synchronisation on `key` (any address): acquire joins the key's clock into g's;
    // release stores g's clock in it (release_merge joins it in); release_acquire is
    // acquire then release (a channel buffer slot); rendezvous makes two goroutines see
    // each other (an unbuffered channel's hand-off).
    void acquire(Goroutine* g, const void* key);
    void release(Goroutine* g, const void* key);
    void release_merge(Goroutine* g, const void* key);
    void release_acquire(Goroutine* g, const void* key);
    void rendezvous(Goroutine* a, Goroutine* b);

    // The collector freed [begin, begin + bytes): its slots' shadow state goes.
    void forget(const void* begin, size_t bytes);

    uint64_t races() const { return m_races; }
    // Every goroutine has a vector clock as long as the goroutines ever started, so the
    // detector follows this many and then stops (bounding its memory at about 130 MB).
    static constexpr size_t max_goroutines = 4096;
    size_t goroutines() const { return m_threads.size(); }
    // "Found N data race(s)\n", or "" when none was found.
    std::string summary() const;

  private:
    struct Thread {
        uint64_t goid;
        std::vector<uint64_t> clock; // by thread index
        uint32_t created_at;         // interned stack of the go statement (0: none)
        bool finished = false;
    };
    struct Access {
        uint32_t tid = UINT32_MAX; // UINT32_MAX: no access
        uint64_t clock = 0;
        uint32_t stack = 0;
        uint32_t name = 0;
        int64_t index = 0;
        bool write = false;
    };
    struct Shadow {
        Access write;
        std::vector<Access> reads; // one entry: FastTrack's read epoch; more: a read vector
    };

    uint32_t thread_of(Goroutine* g);
    uint32_t new_thread(uint64_t goid);
    uint32_t intern_stack(const Frame* frames, size_t count);
    uint32_t build_stack(const Frame* frames, size_t count);
    bool happens_before(const Access& previous, uint32_t tid) const;
    void tick(uint32_t tid) { ++m_threads[tid].clock[tid]; }
    void join(std::vector<uint64_t>& into, const std::vector<uint64_t>& from);
    void report(const void* address, const Access& current, const Access& previous);
    std::string describe(const Access& access) const;
    void append_stack(std::string& out, uint32_t stack) const;

    const Program& m_program;
    Writer m_writer;
    void* m_context;
    std::vector<Thread> m_threads;
    std::unordered_map<const Goroutine*, uint32_t> m_thread_of;
    std::unordered_map<const void*, std::vector<uint64_t>> m_sync; // clocks of sync keys
    std::unordered_map<const void*, Shadow> m_shadow;
    // Interned stacks: (function, line) pairs innermost first, by id (0 is empty).
    std::vector<std::vector<std::pair<const Function*, uint32_t>>> m_stacks;
    std::unordered_map<std::string, uint32_t> m_stack_ids;
    std::unordered_map<uint64_t, uint32_t> m_stack_by_hash; // by the frames' pcs (intern_stack)
    std::unordered_set<const void*> m_reported_addresses;
    std::unordered_set<uint64_t> m_reported_pairs;
    uint64_t m_races = 0;
};

// The detector of the running VM when its program was compiled with -race, else null:
// the channel engine, the scheduler and the collector test it before calling hooks.
inline RaceDetector* race_detector = nullptr;

} // namespace csp
