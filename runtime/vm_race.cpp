// The VM's side of the race detector (runtime/race.hpp): starting and finishing it, and
// RACE, which decodes the access instruction after it to find the address it touches.
#include "runtime/vm.hpp"

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
void VM::race_access(Slot* R, Frame* frames, const Frame* frame, const Instr* access, uint16_t name) {
    if (race_detector == nullptr) return; // stopped (RaceDetector::access returned false)
    Goroutine* g = m_scheduler.current();
    size_t depth = size_t(frame - frames) + 1;
    const Slot* base = nullptr;
    size_t slots = 1;
    bool write = false;
    int64_t index = 0;
    const Instr& in = *access;
    switch (in.op) {
    case Opcode::STOREG: write = true; [[fallthrough]];
    case Opcode::LOADG: base = &m_globals[in.b]; break;
    case Opcode::STORECELL:
    case Opcode::STOREP: write = true; [[fallthrough]];
    case Opcode::LOADCELL:
    case Opcode::LOADP:
        if (R[in.b].p != nullptr) base = static_cast<const Slot*>(R[in.b].p) + in.c;
        break;
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
        index = R[in.op == Opcode::SGET ? in.c : in.b].i;
        write = in.op == Opcode::SSET;
        if (uint64_t(index) < slice[1].u) base = static_cast<const Slot*>(slice[0].p) + index;
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
    for (size_t k = 0; k < slots; ++k)
        if (!m_race->access(g, base + k, write, name, index, frames, depth)) {
            write_error(m_race->stop_message());
            race_detector = nullptr; // every hook checks it; the races found so far count
            return;
        }
}

} // namespace csp
