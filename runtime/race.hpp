// The -race data-race detector: FastTrack epochs over vector clocks whose components are
// only the goroutines that access shared memory ("slots"), shadow cells per memory slot
// (race_shadow.hpp), happens-before edges from go statements, channels and the sync
// hooks, calling contexts cached in the frames, and Go-format reports naming the racing
// location. Only programs compiled with FrontendOptions::race call it (RACE opcodes, hooks).
#pragma once
#include "runtime/race_shadow.hpp"

#include "runtime/goroutine.hpp"

#include <cstddef>
#include <deque>
#include <cstdint>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace csp {

struct Goroutine;
struct Frame;
struct Function;
struct Instr;
struct Program;

class RaceDetector {
  public:
    // `write_report` prints a report (stdout is flushed first by the VM's writer).
    using Writer = void (*)(void* context, const std::string& text);
    RaceDetector(const Program& program, Writer writer, void* context);

    // A go statement: the child starts with the parent's clock. `frames[0 .. count)` is
    // the parent's stack (innermost last), its pcs pointing after the go instruction.
    void goroutine_started(Goroutine* parent, Goroutine* child, Frame* frames, size_t count);
    void goroutine_exited(Goroutine* g);

    // A load (write false) or store of `slots` slots from `base` by g, whose innermost
    // frame is frames[count - 1] with pc after the RACE opcode `race` (its a: the location
    // in Program::race_names, b: its ordinal in the function). `delta` is address / 8 -
    // the element index for indexed names, else 0. Returns false when the detector cannot
    // follow g (max_slots, max_sites): the caller then prints stop_message() and stops
    // calling the detector.
    bool access(Goroutine* g, const Slot* base, size_t slots, bool write, const Instr& race, int64_t delta,
                Frame* frames, size_t count);

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
    // The collector freed every block of the heap span at `span` (blocks from
    // `first_block` bytes on): one call for them all.
    void forget_span(const void* span, size_t first_block);
    // The heap's spans (RaceShadow::span_formatted / span_released).
    RaceShadow& shadow() { return m_shadow; }

    // Whether a goroutine has accessed shared memory yet. Until one does, every clock is
    // empty and the synchronisation hooks have nothing to record: callers may skip them.
    bool tracking() const { return !m_slots.empty(); }
    uint64_t races() const { return m_races; }
    // Each goroutine's clock has a component per slot, so the detector follows this many
    // goroutines that access shared memory (any number that do not) and then stops.
    static constexpr size_t max_slots = 4096;
    // Access sites (calling context, access, slot, slice) an epoch word can name.
    static constexpr uint32_t max_sites = uint32_t(RaceCell::read_vector) - 1;
    size_t slots() const { return m_slots.size(); }
    size_t sync_keys() const { return m_sync.size(); } // addresses holding a released clock
    size_t contexts() const { return m_contexts.size(); }
    std::string stop_message() const;
    // "Found N data race(s)\n", or "" when none was found.
    std::string summary() const;

  private:
    static constexpr uint32_t no_slot = UINT32_MAX;
    static constexpr uint16_t no_ordinal = 0xFFFF; // RACE's b past a function's first 65535
    // A live goroutine: its vector clock (by slot; missing components are 0), its slot
    // once it accessed shared memory, and the stack of its go statement.
    struct GoroutineState {
        RaceClock clock;
        uint64_t now = 0; // clock.get(slot): only ticks change it (no one else can raise it)
        uint32_t slot = no_slot;
        uint32_t created_at = 0; // interned stack (0: none)
    };
    // A goroutine that accessed shared memory, kept after it exits for reports.
    struct SlotInfo {
        uint64_t goid;
        uint32_t created_at;
        bool finished;
    };
    // A calling context: the chain of frames below a frame, and the frame's function.
    struct Context {
        uint32_t parent;         // 0: the goroutine's first frame
        const Function* function;
        const Instr* parent_pc;  // the parent frame's pc (after its call; the first seen on its line)
        // Memos in front of the interning tables, which loops and recursion mostly hit:
        // the last child contexts made here (by call pc; replaced in turn), and the sites
        // of this context's accesses, by RACE ordinal (m_site_memos[memos + ordinal]; one
        // per RACE opcode of its function, made with the context).
        struct Child {
            const Instr* call_pc = nullptr;
            const Function* function = nullptr;
            uint32_t id = 0;
        } children[4];
        uint32_t next_child = 0; // the memo replaced next
        uint32_t memos = 0;
    };
    // An access site as last seen at one RACE of one context (by which slot, along which
    // slice): slots and slices mostly repeat there.
    struct SiteMemo {
        uint32_t slot = 0, id = 0;
        int64_t delta = 0;
    };
    // What an epoch word's site names: where (stack, location) and by whom the access was.
    struct Site {
        uint32_t stack;
        uint32_t slot;
        uint32_t name;
        int64_t delta; // indexed names: address / 8 - index (constant along one slice)
    };
    using Key3 = RaceInternTable::Key;
    // A goroutine's state hangs off Goroutine::race_state; main, or one the runtime
    // started, gets a fresh one when first seen.
    GoroutineState& state_of(const Goroutine* g) {
        if (g->race_state != nullptr) [[likely]]
            return *static_cast<GoroutineState*>(g->race_state);
        return new_state(g, GoroutineState{});
    }
    GoroutineState& new_state(const Goroutine* g, GoroutineState&& init);
    bool assign_slot(const Goroutine* g, GoroutineState& state);
    void tick(GoroutineState& s) {
        if (s.slot != no_slot) {
            s.clock.increment(s.slot);
            ++s.now;
        }
    }
    bool happens_before(uint64_t epoch, const GoroutineState& s) const {
        const Site& site = m_sites[epoch & RaceCell::site_mask];
        return site.slot == s.slot || (epoch >> RaceCell::site_bits) <= s.clock.get(site.slot);
    }
    uint32_t slot_of(uint64_t epoch) const { return m_sites[epoch & RaceCell::site_mask].slot; }
    uint32_t context_of(Frame* frames, size_t k);
    uint32_t child_context(uint32_t parent, const Function* caller, const Instr* call_pc, const Function* function);
    uint32_t stack_at(uint32_t context, const Instr* pc);
    uint32_t site_of(uint32_t context, const Instr* pc, uint32_t slot, uint32_t name, int64_t delta);
    uint32_t site_for(const GoroutineState& s, const Instr& race, int64_t delta, Frame* frames, size_t count);
    uint32_t new_site(uint32_t context, uint32_t slot, const Instr& race, int64_t delta, const Instr* pc);
    bool check(GoroutineState& s, RaceCell& cell, const void* address, bool write, uint32_t& site, const Instr& race,
               int64_t delta, Frame* frames, size_t count);
    bool check_read_vector(GoroutineState& s, RaceCell& cell, const void* address, bool write, uint32_t& site,
                           const Instr& race, int64_t delta, Frame* frames, size_t count);
    uint32_t intern_stack(std::vector<std::pair<const Function*, uint32_t>> stack);
    void report(const void* address, uint64_t current, bool write, uint64_t previous, bool previous_write);
    std::string describe(const void* address, uint64_t epoch) const;
    void append_stack(std::string& out, uint32_t stack) const;

    const Program& m_program;
    Writer m_writer;
    void* m_context;
    std::deque<GoroutineState> m_states;      // every goroutine's (a deque: stable)
    std::vector<GoroutineState*> m_free_states; // of exited goroutines, for reuse
    std::vector<SlotInfo> m_slots;
    RaceAddressMap<RaceClock> m_sync; // clocks of sync keys
    RaceShadow m_shadow;
    // The reads of cells whose read is RaceCell::read_vector; an entry stays (emptied)
    // when its cell's reads collapse, so that a cell flipping between the two forms does
    // not allocate each time. Freed memory's entries go (forget).
    RaceAddressMap<std::vector<uint64_t>> m_read_vectors;
    std::vector<Context> m_contexts;    // by id; 0 is the root
    std::vector<SiteMemo> m_site_memos; // Context::memos
    RaceInternTable m_context_ids;      // (parent, function, parent's line)
    RaceInternTable m_stack_at;         // (context, pc, 0) -> stack + 1
    std::vector<Site> m_sites;          // by id; 0 is none
    RaceInternTable m_site_ids;         // (context | slot << 32, pc, delta)
    // Interned stacks: (function, line) pairs innermost first, by id (0 is empty).
    std::vector<std::vector<std::pair<const Function*, uint32_t>>> m_stacks;
    std::unordered_map<std::string, uint32_t> m_stack_ids;
    std::unordered_set<const void*> m_reported_addresses;
    std::unordered_set<uint64_t> m_reported_pairs;
    uint64_t m_races = 0;
    bool m_out_of_sites = false;
};

// The detector of the running VM when its program was compiled with -race, else null:
// the channel engine, the scheduler and the collector test it before calling hooks.
inline RaceDetector* race_detector = nullptr;
// Whether synchronisation must be reported to the detector (RaceDetector::tracking).
inline bool race_tracking() { return race_detector != nullptr && race_detector->tracking(); }

} // namespace csp
