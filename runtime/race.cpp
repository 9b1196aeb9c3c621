// The data-race detector (race.hpp): FastTrack over vector clocks. A goroutine gets a
// clock component (a slot) at its first access to shared memory; one that never accesses
// has no component (its ticks are no-ops) yet carries a clock along sync edges. This is
// exact: shadow epochs only name slots, and a slot's component starts at 1, which no
// other clock has seen. A slot's shadow holds its last write as an epoch and its reads as
// one epoch or, when concurrent readers exist, a vector of them. An access races with a
// previous one unless that one's epoch is covered by the accessing goroutine's clock.
// Reports follow Go's (ThreadSanitizer's) format, with the location's name in place of
// the address, and are suppressed for an address or a pair of stacks already reported,
// as Go's suppress_equal_addresses and suppress_equal_stacks do.
#include "runtime/race.hpp"
#include "runtime/race_access.hpp"

#include "runtime/bytecode.hpp"
#include "runtime/goroutine.hpp"

#include <algorithm>
#include <iterator>

namespace csp {

RaceDetector::RaceDetector(const Program& program, Writer writer, void* context)
    : m_program(program), m_writer(writer), m_context(context) {
    m_stacks.emplace_back();                           // id 0: no stack
    m_contexts.push_back(Context{0, nullptr, nullptr, {}, 0, 0}); // id 0: below every first frame
    m_sites.push_back(Site{0, no_slot, 0, 0});          // id 0: no access
}

bool RaceDetector::assign_slot(const Goroutine* g, GoroutineState& state) {
    if (m_slots.size() >= max_slots) return false;
    state.slot = uint32_t(m_slots.size());
    m_slots.push_back(SlotInfo{g->id, state.created_at, false});
    state.clock.set(state.slot, 1);
    state.now = 1;
    return true;
}

std::string RaceDetector::stop_message() const {
    if (m_out_of_sites)
        return "csp: -race: more than " + std::to_string(max_sites) + " access sites: race detection stops here\n";
    return "csp: -race: more than " + std::to_string(max_slots) +
           " goroutines access shared memory: race detection stops here\n";
}

// ---- calling contexts and stacks ---------------------------------------------------------

namespace {

// The line of the instruction before `pc` (a call, a go statement, a RACE opcode).
uint32_t line_before(const Function* f, const Instr* pc) {
    size_t next = size_t(pc - f->code.data());
    return next > 0 && next <= f->lines.size() ? f->lines[next - 1] : 0;
}

} // namespace

// The context of frames[k]: cached in the frame (a call resets it), else interned from
// its parent's context, the line of the parent's call and its function. Frames below a
// live frame and their pcs do not change while it lives, so the cached id stays right.
// Keyed by line, not pc, as reports show lines: calls on one line share a context, so a
// binary recursion (two calls in one expression) has as many contexts as levels. The
// parent's memo, keyed by call pc, skips both the line and the table.
uint32_t RaceDetector::context_of(Frame* frames, size_t k) {
    size_t j = k; // frames[j .. k] need computing
    while (j > 0 && frames[j - 1].race_context == 0) --j;
    uint32_t parent = j == 0 ? 0 : frames[j - 1].race_context;
    for (; j <= k; ++j) {
        const Instr* call_pc = j == 0 ? nullptr : frames[j - 1].pc;
        const Function* function = frames[j].function;
        uint32_t id = 0;
        for (const Context::Child& memo : m_contexts[parent].children)
            if (memo.call_pc == call_pc && memo.function == function) id = memo.id;
        if (id == 0) [[unlikely]]
            id = child_context(parent, j == 0 ? nullptr : frames[j - 1].function, call_pc, function);
        frames[j].race_context = parent = id;
    }
    return parent;
}

// The context of `function` called at `call_pc` in `caller` (null for a goroutine's first
// frame) under `parent`: interned by line, then memoised in the parent by call pc.
uint32_t RaceDetector::child_context(uint32_t parent, const Function* caller, const Instr* call_pc,
                                     const Function* function) {
    uint32_t line = caller == nullptr ? 0 : line_before(caller, call_pc);
    Key3 key{parent, reinterpret_cast<uintptr_t>(function), line};
    uint32_t id = m_context_ids.find(key);
    if (id == 0) {
        id = uint32_t(m_contexts.size());
        // Its memos, one per RACE opcode of its function, come with it.
        m_contexts.push_back(Context{parent, function, call_pc, {}, 0, uint32_t(m_site_memos.size())});
        m_site_memos.resize(m_site_memos.size() + function->race_accesses);
        m_context_ids.insert(key, id);
    }
    Context& p = m_contexts[parent];
    p.children[p.next_child++ % 4] = Context::Child{call_pc, function, id};
    return id;
}

// The stack of an access (or go statement) at `pc` in the innermost frame of `context`.
uint32_t RaceDetector::stack_at(uint32_t context, const Instr* pc) {
    Key3 key{context, reinterpret_cast<uintptr_t>(pc), 0};
    if (uint32_t known = m_stack_at.find(key)) return known - 1;
    std::vector<std::pair<const Function*, uint32_t>> stack;
    for (uint32_t c = context; c != 0; pc = m_contexts[c].parent_pc, c = m_contexts[c].parent) {
        const Function* f = m_contexts[c].function;
        if (f->wrapper || f->name.starts_with("runtime.") || f->panic_frame) continue;
        stack.emplace_back(f, line_before(f, pc));
    }
    uint32_t id = intern_stack(std::move(stack));
    m_stack_at.insert(key, id + 1);
    return id;
}

// Stacks are interned by content, so that equal stacks reached through different
// contexts (a wrapper frame, another call pc on the same line) suppress each other.
uint32_t RaceDetector::intern_stack(std::vector<std::pair<const Function*, uint32_t>> stack) {
    std::string key; // field by field: the pairs' padding bytes are indeterminate
    for (const auto& [function, line] : stack) {
        auto address = reinterpret_cast<uintptr_t>(function);
        key.append(reinterpret_cast<const char*>(&address), sizeof(address));
        key.append(reinterpret_cast<const char*>(&line), sizeof(line));
    }
    auto [it, inserted] = m_stack_ids.emplace(std::move(key), uint32_t(m_stacks.size()));
    if (inserted) m_stacks.push_back(std::move(stack));
    return it->second;
}

// The site of an access by `slot` at `pc` in the innermost frame of `context`; 0 when
// sites ran out.
uint32_t RaceDetector::site_of(uint32_t context, const Instr* pc, uint32_t slot, uint32_t name, int64_t delta) {
    Key3 key{uint64_t(context) | uint64_t(slot) << 32, reinterpret_cast<uintptr_t>(pc), uint64_t(delta)};
    uint32_t id = m_site_ids.find(key);
    if (id != 0) return id;
    if (m_sites.size() > max_sites) {
        m_out_of_sites = true;
        return 0;
    }
    id = uint32_t(m_sites.size());
    m_sites.push_back(Site{stack_at(context, pc), slot, name, delta});
    m_site_ids.insert(key, id);
    return id;
}

uint32_t RaceDetector::new_site(uint32_t context, uint32_t slot, const Instr& race, int64_t delta, const Instr* pc) {
    uint32_t site = site_of(context, pc, slot, race.a, delta);
    if (site != 0 && race.b != no_ordinal) m_site_memos[m_contexts[context].memos + race.b] = SiteMemo{slot, site, delta};
    return site;
}

// ---- goroutines and synchronisation ---------------------------------------------------------

void RaceDetector::goroutine_started(Goroutine* parent, Goroutine* child, Frame* frames, size_t count) {
    GoroutineState& p = state_of(parent);
    uint32_t created_at = stack_at(context_of(frames, count - 1), frames[count - 1].pc);
    new_state(child, GoroutineState{p.clock, 0, no_slot, created_at}); // p stays valid: a deque
    tick(p);
}

RaceDetector::GoroutineState& RaceDetector::new_state(const Goroutine* g, GoroutineState&& init) {
    GoroutineState* s;
    if (!m_free_states.empty()) {
        s = m_free_states.back();
        m_free_states.pop_back();
        *s = std::move(init);
    } else {
        s = &m_states.emplace_back(std::move(init));
    }
    const_cast<Goroutine*>(g)->race_state = s;
    return *s;
}

void RaceDetector::goroutine_exited(Goroutine* g) {
    auto* s = static_cast<GoroutineState*>(g->race_state);
    if (s == nullptr) return;
    if (s->slot != no_slot) m_slots[s->slot].finished = true;
    m_free_states.push_back(s);
    g->race_state = nullptr; // the Goroutine's memory may be reused by a new one
}

void RaceDetector::acquire(Goroutine* g, const void* key) {
    if (const RaceClock* clock = m_sync.find(key)) state_of(g).clock.join(*clock);
}

// A goroutine whose clock is empty (it has seen no goroutine that accesses shared memory,
// and has no slot itself) adds nothing where it releases: no key is made for it, so a
// fan-out of such goroutines through a buffered channel keeps no clock per buffer slot.
void RaceDetector::release(Goroutine* g, const void* key) {
    GoroutineState& s = state_of(g);
    if (s.clock.empty()) {
        if (RaceClock* k = m_sync.find(key)) k->assign(s.clock);
        return;
    }
    m_sync[key].assign(s.clock); // reuses the key's storage
    tick(s);
}

void RaceDetector::release_merge(Goroutine* g, const void* key) {
    GoroutineState& s = state_of(g);
    if (s.clock.empty()) return;
    m_sync[key].join(s.clock);
    tick(s);
}

void RaceDetector::release_acquire(Goroutine* g, const void* key) {
    GoroutineState& s = state_of(g);
    if (s.clock.empty()) {
        if (const RaceClock* k = m_sync.find(key)) s.clock.assign(*k);
        return;
    }
    s.clock.join_both(m_sync[key]);
    tick(s);
}

void RaceDetector::rendezvous(Goroutine* a, Goroutine* b) {
    GoroutineState& sa = state_of(a);
    GoroutineState& sb = state_of(b); // a and b differ: state_of(b) leaves sa valid
    if (!sa.clock.empty() || !sb.clock.empty()) {
        sa.clock.join_both(sb.clock);
    }
    tick(sa);
    tick(sb);
}

// ---- accesses -------------------------------------------------------------------------

// A cell whose reads are a vector (concurrent readers), kept in m_read_vectors.
bool RaceDetector::check_read_vector(GoroutineState& s, RaceCell& cell, const void* address, bool write,
                                     uint32_t& site, const Instr& race, int64_t delta, Frame* frames, size_t count) {
    uint64_t now = s.now;
    std::vector<uint64_t>& reads = m_read_vectors[address];
    if (!write)
        for (uint64_t r : reads)
            if (r >> RaceCell::site_bits == now && slot_of(r) == s.slot) return true;
    if (site == 0 && (site = site_for(s, race, delta, frames, count)) == 0) return false;
    uint64_t current = now << RaceCell::site_bits | site;
    if (cell.write != 0 && !happens_before(cell.write, s)) {
        report(address, current, write, cell.write, true);
    } else if (write) {
        for (uint64_t r : reads)
            if (!happens_before(r, s)) {
                report(address, current, write, r, false);
                break;
            }
    }
    if (write) {
        cell.write = current;
        reads.clear(); // the entry stays: a cell flipping between the forms allocates once
        cell.read = 0;
        return true;
    }
    // A read after every earlier read collapses them into its epoch; a read concurrent
    // with one of them keeps one epoch per slot.
    if (std::all_of(reads.begin(), reads.end(), [&](uint64_t r) { return happens_before(r, s); })) {
        reads.clear();
        cell.read = current;
        return true;
    }
    for (uint64_t& r : reads)
        if (slot_of(r) == s.slot) {
            r = current;
            return true;
        }
    reads.push_back(current);
    return true;
}

void RaceDetector::forget(const void* begin, size_t bytes) {
    m_shadow.forget(begin, bytes);
    m_read_vectors.erase_range(begin, bytes);
    m_sync.erase_range(begin, bytes);
}

void RaceDetector::forget_span(const void* span, size_t first_block) {
    m_shadow.forget_span(span);
    const char* begin = static_cast<const char*>(span) + first_block;
    m_read_vectors.erase_range(begin, RaceShadow::span_bytes - first_block);
    m_sync.erase_range(begin, RaceShadow::span_bytes - first_block);
}

std::string RaceDetector::summary() const {
    return m_races == 0 ? std::string() : "Found " + std::to_string(m_races) + " data race(s)\n";
}

// ---- reports ----------------------------------------------------------------------------

std::string RaceDetector::describe(const void* address, uint64_t epoch) const {
    const Site& site = m_sites[epoch & RaceCell::site_mask];
    const RaceName& name = m_program.race_names[site.name];
    std::string text = name.text;
    if (name.indexed) { // appended piece by piece: GCC 12 misreads `"[" + string` (-Wrestrict)
        text += '[';
        text += std::to_string((int64_t(reinterpret_cast<uintptr_t>(address) / 8) - site.delta) / int64_t(name.width));
        text += ']';
        text += name.suffix;
    }
    uint64_t goid = m_slots[site.slot].goid;
    if (goid == 1) {
        text += " by main goroutine:\n";
    } else {
        text += " by goroutine ";
        text += std::to_string(goid);
        text += ":\n";
    }
    return text;
}

void RaceDetector::append_stack(std::string& out, uint32_t stack) const {
    for (const auto& [function, line] : m_stacks[stack]) {
        out += "  ";
        out += function->name;
        out += "()\n      ";
        out += function->file.empty() ? m_program.file_path : function->file;
        out += ':';
        out += std::to_string(line);
        out += '\n';
    }
}

void RaceDetector::report(const void* address, uint64_t current, bool write, uint64_t previous, bool previous_write) {
    const Site& now = m_sites[current & RaceCell::site_mask];
    const Site& before = m_sites[previous & RaceCell::site_mask];
    uint64_t low = std::min(now.stack, before.stack), high = std::max(now.stack, before.stack);
    uint64_t pair = low << 32 | high;
    if (m_reported_addresses.count(address) || m_reported_pairs.count(pair)) return;
    m_reported_addresses.insert(address);
    m_reported_pairs.insert(pair);
    ++m_races;
    std::string out = "==================\nWARNING: DATA RACE\n";
    out += (write ? "Write at " : "Read at ") + describe(address, current);
    append_stack(out, now.stack);
    out += (previous_write ? "\nPrevious write at " : "\nPrevious read at ") + describe(address, previous);
    append_stack(out, before.stack);
    for (uint32_t slot : {now.slot, before.slot}) {
        const SlotInfo& t = m_slots[slot];
        if (t.goid == 1 || t.created_at == 0) continue;
        out += "\nGoroutine " + std::to_string(t.goid) + (t.finished ? " (finished)" : " (running)") + " created at:\n";
        append_stack(out, t.created_at);
    }
    out += "==================\n";
    m_writer(m_context, out);
}

} // namespace csp
