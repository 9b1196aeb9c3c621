// The VM's side of the race detector (runtime/race.hpp): starting and finishing it, and
// RACE, which decodes the access instruction after it to find the address it touches.
#include "runtime/vm.hpp"

#include "runtime/race_access.hpp"

namespace csp {

namespace {

void write_race_report(void* context, const std::string& text) {
    static_cast<VM*>(context)->write_error(text);
}

} // namespace

void VM::race_start() {
    if (!m_program.race) return;
    m_race = std::make_unique<RaceDetector>(m_program, write_race_report, this);
    race_detector = m_race.get();
}

int VM::race_finish(int status) {
    if (!m_race) return status;
    if (status == 0 && m_race->races() > 0) { // Go's racefini on a clean exit: status 66
        write_error(m_race->summary());
        status = 66;
    }
    race_detector = nullptr;
    return status;
}

// Loads and stores of several slots check each (capped: a huge array copy is one value).
// `race` is the RACE opcode; `race + 1`, the access.
void VM::race_access(Slot* R, Frame* frames, const Frame* frame, const Instr* race) {
    if (race_detector == nullptr) return; // stopped (RaceDetector::access returned false)
    const Instr& in = race[1];
    const Slot* base = nullptr;
    size_t slots = 1;
    bool write = false;
    int64_t delta = 0;
    switch (in.op) {
    case Opcode::STOREP:
    case Opcode::STORECELL: write = true; [[fallthrough]];
    case Opcode::LOADP:
    case Opcode::LOADCELL:
        if (R[in.b].p != nullptr) base = static_cast<const Slot*>(R[in.b].p) + in.c;
        break;
    case Opcode::STOREG: write = true; [[fallthrough]];
    case Opcode::LOADG: base = &m_globals[in.b]; break;
    case Opcode::STOREUP: write = true; [[fallthrough]];
    case Opcode::LOADUP: base = frame->closure->cells[in.b] + in.c; break;
    case Opcode::STOREPN:
    case Opcode::STOREMEM: write = true; [[fallthrough]];
    case Opcode::LOADPN:
    case Opcode::LOADMEM:
        base = static_cast<const Slot*>(R[in.b].p);
        slots = std::min<size_t>(in.c, 64);
        break;
    case Opcode::SGET:
    case Opcode::SSET: {
        const Slot* slice = &R[in.op == Opcode::SGET ? in.b : in.a];
        int64_t index = R[in.op == Opcode::SGET ? in.c : in.b].i;
        write = in.op == Opcode::SSET;
        if (uint64_t(index) >= slice[1].u) break; // out of range: the access panics
        base = static_cast<const Slot*>(slice[0].p) + index;
        // An indexed name is printed with the index, found again from the address.
        if (m_program.race_names[race->a].indexed) delta = int64_t(reinterpret_cast<uintptr_t>(base) / 8) - index;
        break;
    }
    case Opcode::MAPSET:
    case Opcode::MAPDEL: write = true; [[fallthrough]];
    case Opcode::MAPGET:
    case Opcode::MAPGETOK:
    case Opcode::MAPLEN:
    case Opcode::MAPITER: base = static_cast<const Slot*>(R[in.b].p); break;
    case Opcode::MAPCLEAR:
        write = true;
        base = static_cast<const Slot*>(R[in.a].p);
        break;
    default: break;
    }
    if (base == nullptr) return; // nil: the access itself panics, or touches nothing
    // An element reached through SELEM: RACE's c is 1 + the register of the slice's data
    // pointer, from which the report recovers the index (RaceName).
    if (race->c != 0) delta = int64_t(reinterpret_cast<uintptr_t>(R[race->c - 1].p) / 8);
    // The access itself comes next: its cache miss now overlaps the shadow cell's.
    __builtin_prefetch(base);
    if (!m_race->access(m_scheduler.current(), base, slots, write, *race, delta, frames, size_t(frame - frames) + 1)) {
        write_error(m_race->stop_message());
        race_detector = nullptr; // every hook checks it; the races found so far count
    }
}

} // namespace csp
