// Compiler, -race: before each access to memory that another goroutine can reach (globals,
// cells of captured and address-taken variables, pointer targets, slice elements, maps),
// emit() puts a RACE opcode naming the location. Only functions of the main package are
// instrumented, and only when FrontendOptions::race is set: otherwise nothing changes.
// The name is the source text of the innermost expression being compiled (RaceContext),
// else the variable the instruction's storage belongs to.
#include "lang/compiler_internal.hpp"
#include "lang/parser.hpp"

namespace csp {

namespace {

bool is_race_checked(Opcode op) {
    switch (op) {
    case Opcode::LOADG: case Opcode::STOREG: case Opcode::LOADCELL: case Opcode::STORECELL:
    case Opcode::LOADUP: case Opcode::STOREUP: case Opcode::LOADP: case Opcode::STOREP:
    case Opcode::LOADPN: case Opcode::STOREPN: case Opcode::LOADMEM: case Opcode::STOREMEM:
    case Opcode::SGET: case Opcode::SSET: case Opcode::MAPGET: case Opcode::MAPGETOK:
    case Opcode::MAPSET: case Opcode::MAPDEL: case Opcode::MAPLEN: case Opcode::MAPCLEAR:
    case Opcode::MAPITER:
        return true;
    default: return false;
    }
}

bool is_variable_access(Opcode op) {
    return op == Opcode::LOADG || op == Opcode::STOREG || op == Opcode::LOADCELL ||
           op == Opcode::STORECELL || op == Opcode::LOADUP || op == Opcode::STOREUP;
}

Expr* unparen(Expr* e) {
    while (e && e->kind == ExprKind::Paren) e = static_cast<ParenExpr*>(e)->inner;
    return e;
}

// ".f.g" or "[2]": the path to slot `offset` of a value of type t; for an access of
// several slots, to the outermost value no wider than it.
std::string slot_path(const Type* t, uint32_t offset, uint32_t width = 1) {
    std::string path;
    while (t && offset < slot_width(t) && (width == 1 || slot_width(t) > width)) {
        const Type* u = t->underlying();
        if (u->cls == TypeClass::Struct) {
            size_t i = u->fields.size();
            while (i-- > 0 && field_offset(u, uint32_t(i)) > offset) {}
            if (i >= u->fields.size()) break;
            path += '.';
            path += u->fields[i].name;
            offset -= field_offset(u, uint32_t(i));
            t = u->fields[i].type;
        } else if (u->cls == TypeClass::Array && slot_width(u->elem) > 0) {
            uint32_t w = slot_width(u->elem);
            path += '[';
            path += std::to_string(offset / w);
            path += ']';
            offset %= w;
            t = u->elem;
        } else {
            break;
        }
    }
    return path;
}

} // namespace

// A captured local written only by its declaration: every other goroutine reads it after
// the go statement that follows that write, so no access to it can race.
bool FunctionCompiler::is_race_free_variable(Opcode op, uint32_t b) const {
    if (op != Opcode::LOADCELL && op != Opcode::STORECELL && op != Opcode::LOADUP && op != Opcode::STOREUP)
        return false;
    if (m_race_expr != nullptr) {
        Expr* e = unparen(m_race_expr);
        if (e->kind != ExprKind::Name) return false; // x.f, x[i]: the name's storage is read for them
    }
    Storage::Kind kind = op == Opcode::LOADUP || op == Opcode::STOREUP ? Storage::Up : Storage::Cell;
    for (const auto& [symbol, storage] : m_storage)
        if (storage.kind == kind && storage.index == b)
            return symbol->kind == SymbolKind::Var && !symbol->global && !symbol->address_taken &&
                   !symbol->reassigned;
    return false;
}

// After SELEM put the address of the element `e` of the slice in R[header..] into
// R[address].
void FunctionCompiler::race_element(uint32_t address, uint32_t header, const Type* slice_type, IndexExpr* e) {
    if (!m_race_on || e == nullptr) return;
    m_race_element = RaceElement{address, header, slice_type, expr_string(e->base)};
}

void FunctionCompiler::race_instrument(Opcode op, uint32_t a, uint32_t b, uint32_t c) {
    // Accesses through the element just addressed keep its naming; anything else ends it.
    bool through_element = m_race_element.address != UINT32_MAX && b == m_race_element.address &&
                           (op == Opcode::LOADCELL || op == Opcode::STORECELL || op == Opcode::LOADP ||
                            op == Opcode::STOREP || op == Opcode::LOADPN || op == Opcode::STOREPN ||
                            op == Opcode::LOADMEM || op == Opcode::STOREMEM);
    RaceElement element = std::move(m_race_element);
    bool one_slot = op == Opcode::LOADCELL || op == Opcode::STORECELL || op == Opcode::LOADP || op == Opcode::STOREP;
    if (element.address != UINT32_MAX) {
        // The element stays addressed past its own accesses and past the computation of
        // a value to store (in the registers from R[a] on), nothing else.
        uint32_t written = UINT32_MAX;
        switch (op) {
        case Opcode::STORECELL: case Opcode::STOREP: case Opcode::STOREPN: case Opcode::STOREMEM:
            written = through_element ? 0 : UINT32_MAX;
            break;
        case Opcode::LOADCELL: case Opcode::LOADP: written = through_element ? 1 : UINT32_MAX; break;
        case Opcode::LOADPN: case Opcode::LOADMEM: written = through_element ? c : UINT32_MAX; break;
        case Opcode::MOVE: case Opcode::LOADK: case Opcode::LOADI: case Opcode::LOADF: written = 1; break;
        case Opcode::MOVE2: case Opcode::LOADK2: case Opcode::BOX: case Opcode::BOXN: written = 2; break;
        case Opcode::MOVEN: case Opcode::LOADNIL: written = c; break;
        default: break;
        }
        if (written != UINT32_MAX && !(a <= element.address && element.address - a < written))
            m_race_element = element;
    }
    if (!is_race_checked(op) || is_race_free_variable(op, b)) return;
    RaceName name = race_name(op, a, b, c);
    uint16_t data = 0; // RACE's c: 1 + the register holding the slice's data pointer
    if (through_element) {
        // One slot: the path to it within the element (".name"); several: the element.
        const Type* elem = element.slice_type->underlying()->elem;
        uint32_t width = one_slot ? 1 : c;
        name = RaceName{element.base, true, std::max(slot_width(elem), 1u), slot_path(elem, one_slot ? c : 0, width)};
        data = uint16_t(element.header + 1);
    }
    std::vector<RaceName>& names = m_pc.m_program.race_names;
    uint32_t id = 0;
    while (id < names.size() && !(names[id] == name)) ++id;
    if (id == names.size()) names.push_back(name);
    if (id > 0xFFFF) id = 0xFFFF; // absurdly many locations: the last ones share a name
    // b: the access's ordinal among the function's, for the detector's per-context memo
    // of sites (the last ones share 0xFFFF, which the detector does not memoise).
    uint16_t ordinal = m_fn.race_accesses < 0xFFFF ? uint16_t(m_fn.race_accesses++) : uint16_t(0xFFFF);
    m_fn.code.push_back(Instr::make(Opcode::RACE, uint16_t(id), ordinal, data));
    m_fn.lines.push_back(m_line);
}

// A call of a standard package's native race* hook in a program compiled without -race:
// not compiled at all (its arguments are addresses, without effects).
bool FunctionCompiler::is_dropped_race_hook(CallExpr* e) const {
    if (m_pc.m_race) return false;
    Expr* callee = unparen(e->callee);
    if (callee->kind != ExprKind::Name) return false;
    Symbol* s = static_cast<NameExpr*>(callee)->symbol;
    if (!s || !s->function || !s->function->native) return false;
    if (s->function->package == m_pc.m_checked.main) return false;
    return s->name.starts_with("race");
}

RaceName FunctionCompiler::race_name(Opcode op, uint32_t a, uint32_t b, uint32_t c) {
    Expr* e = unparen(m_race_expr);
    bool element_op = op == Opcode::SGET || op == Opcode::SSET;
    bool map_op = op >= Opcode::MAPGET && op <= Opcode::MAPITER;
    if (map_op && e && e->kind == ExprKind::Index) e = unparen(static_cast<IndexExpr*>(e)->base);
    if (map_op && e && e->kind == ExprKind::Call && !static_cast<CallExpr*>(e)->args.empty())
        e = unparen(static_cast<CallExpr*>(e)->args[0]); // delete(m, k), len(m), clear(m)
    if (map_op && e) return {expr_string(e), false, 1, {}}; // a map races as a whole
    if (e && e->kind == ExprKind::Index && element_op)
        return {expr_string(static_cast<IndexExpr*>(e)->base), true, 1, {}};
    // A variable read while compiling x[i] or x.f is x itself (a slice header, a pointer).
    bool inside = e && (e->kind == ExprKind::Index || e->kind == ExprKind::Selector || e->kind == ExprKind::Star);
    if (e && !(inside && is_variable_access(op))) return {expr_string(e), false, 1, {}};
    switch (op) {
    case Opcode::LOADG: case Opcode::STOREG:
        for (const auto& [symbol, slot] : m_pc.m_globals)
            if (b >= slot && b < slot + slot_width(symbol->type))
                return {symbol->name + slot_path(symbol->type, b - slot), false, 1, {}};
        break;
    case Opcode::LOADCELL: case Opcode::STORECELL: case Opcode::LOADUP: case Opcode::STOREUP: {
        Storage::Kind kind = op == Opcode::LOADUP || op == Opcode::STOREUP ? Storage::Up : Storage::Cell;
        for (const auto& [symbol, storage] : m_storage)
            if (storage.kind == kind && storage.index == b) return {symbol->name + slot_path(symbol->type, c), false, 1, {}};
        break;
    }
    default: break;
    }
    (void)a;
    return {e ? expr_string(e) : std::string("?"), element_op, 1, {}};
}

} // namespace csp
