// The map opcodes, out of the dispatch loop behind one call site (see runtime/map.hpp for
// the table itself). Operands: the map in R[b], its key right after it, T[c] the map type.
#include "runtime/map.hpp"
#include "runtime/value.hpp"
#include "runtime/vm.hpp"

#include <cstring>

namespace csp {

const Instr* VM::map_operation(Slot* R, const Instr* pc) {
    Instr instr = pc[-1];
    Slot* a = &R[instr.a];
    Slot* b = &R[instr.b];
    auto* m = static_cast<MapHeader*>(b->p);
    bool keyed = instr.op == Opcode::MAPGET || instr.op == Opcode::MAPGETOK || instr.op == Opcode::MAPSET ||
                 instr.op == Opcode::MAPDEL;
    if (keyed && key_may_be_unhashable(*m_types[instr.c]->key)) {
        if (const RtType* t = unhashable_key(*m_types[instr.c]->key, b + 1)) {
            panic_runtime_error("runtime error: hash of unhashable type " + t->name);
            return nullptr;
        }
    }
    switch (instr.op) {
    case Opcode::MAKEMAP: a->p = map_make(m_heap, *m_types[instr.c], b->i); break;
    case Opcode::MAPGET: case Opcode::MAPGETOK: {
        uint32_t width = m_types[instr.c]->elem->slots;
        const Slot* v = map_find(m, b + 1);
        if (v) std::memmove(a, v, width * sizeof(Slot));
        else std::memset(static_cast<void*>(a), 0, width * sizeof(Slot));
        if (instr.op == Opcode::MAPGETOK) a[width].u = v != nullptr;
        break;
    }
    case Opcode::MAPSET: {
        if (m == nullptr) {
            panic_runtime_error("assignment to entry in nil map");
            return nullptr;
        }
        Slot* v = map_insert(m_heap, m, b + 1);
        std::memmove(v, a, m->value_slots * sizeof(Slot));
        break;
    }
    case Opcode::MAPDEL: map_delete(m, b + 1); break;
    case Opcode::MAPLEN: a->i = m ? m->count : 0; break;
    case Opcode::MAPCLEAR: map_clear(static_cast<MapHeader*>(a->p)); break;
    case Opcode::MAPITER: {
        uint64_t start = m && m->capacity ? m_scheduler.random(uint32_t(m->capacity)) : 0;
        map_iter_init(m, a, start);
        break;
    }
    case Opcode::MAPNEXT:
        if (map_iter_next(m, a, &R[instr.c])) pc++;
        break;
    default: break;
    }
    return pc;
}

} // namespace csp
