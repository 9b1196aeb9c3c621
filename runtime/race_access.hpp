// The race detector's per-access path (RaceDetector::access and what it inlines), kept
// in a header so that the VM's RACE opcode (vm_race.cpp) compiles it in place: most
// accesses end here without another call. The rarer paths stay in race.cpp.
#pragma once
#include "runtime/race.hpp"

#include "runtime/bytecode.hpp"

namespace csp {

// The site of an access by s at the RACE opcode `race` (pc after it) in frames[count - 1],
// 0 when sites ran out: the memo of its context and ordinal, else site_of (which then
// fills the memo). Most accesses find their memo.
inline uint32_t RaceDetector::site_for(const GoroutineState& s, const Instr& race, int64_t delta, Frame* frames,
                                       size_t count) {
    uint32_t context = frames[count - 1].race_context;
    if (context == 0) [[unlikely]] context = context_of(frames, count - 1);
    if (race.b != no_ordinal) [[likely]] {
        const SiteMemo& memo = m_site_memos[m_contexts[context].memos + race.b];
        if (memo.slot == s.slot && memo.delta == delta && memo.id != 0) return memo.id;
    }
    return new_site(context, s.slot, race, delta, frames[count - 1].pc);
}

// FastTrack's rules, the common cases inline: a cell with at most one read epoch. `site`
// is the access's site once known (0: not yet; all slots of one access share it).
inline bool RaceDetector::check(GoroutineState& s, RaceCell& cell, const void* address, bool write, uint32_t& site,
                                const Instr& race, int64_t delta, Frame* frames, size_t count) {
    uint64_t now = s.now, last_write = cell.write, last_read = cell.read;
    // Same goroutine, same epoch: nothing new. (A read vector's word has clock 0, which
    // no epoch has.)
    if (write ? last_read == 0 && last_write >> RaceCell::site_bits == now && slot_of(last_write) == s.slot
              : last_read >> RaceCell::site_bits == now && slot_of(last_read) == s.slot)
        return true;
    if (last_read == RaceCell::read_vector) [[unlikely]]
        return check_read_vector(s, cell, address, write, site, race, delta, frames, count);
    if (site == 0 && (site = site_for(s, race, delta, frames, count)) == 0) return false;
    uint64_t current = now << RaceCell::site_bits | site;
    bool write_ordered = last_write == 0 || happens_before(last_write, s);
    bool read_ordered = last_read == 0 || happens_before(last_read, s);
    if (!write_ordered) [[unlikely]]
        report(address, current, write, last_write, true);
    else if (write && !read_ordered) [[unlikely]]
        report(address, current, write, last_read, false);
    if (write) {
        cell.write = current;
        cell.read = 0;
    } else if (read_ordered) {
        cell.read = current; // every earlier read is before this one: it stands for them
    } else {
        m_read_vectors[address].assign({last_read, current}); // concurrent reads: keep both
        cell.read = RaceCell::read_vector;
    }
    return true;
}

inline bool RaceDetector::access(Goroutine* g, const Slot* base, size_t slots, bool write, const Instr& race, int64_t delta,
                          Frame* frames, size_t count) {
    GoroutineState& s = state_of(g);
    if (s.slot == no_slot) [[unlikely]]
        if (!assign_slot(g, s)) return false;
    uint32_t site = 0;
    if (RaceCell* cells = m_shadow.cells(base, slots)) [[likely]] { // one block's: consecutive
        for (size_t k = 0; k < slots; ++k)
            if (!check(s, cells[k], base + k, write, site, race, delta, frames, count)) return false;
        return true;
    }
    for (size_t k = 0; k < slots; ++k)
        if (!check(s, m_shadow.cell(base + k), base + k, write, site, race, delta, frames, count)) return false;
    return true;
}

} // namespace csp
