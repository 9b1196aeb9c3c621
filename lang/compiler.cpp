// Compiler, part 1: the program (functions, globals, runtime types, the entry function)
// and the function compiler's emission and register helpers.
#include "lang/compiler_internal.hpp"

#include <algorithm>
#include <filesystem>
#include <unordered_set>

namespace csp {

// Widths past this are reported as too large to compile (and never overflow).
static constexpr uint64_t max_width = uint64_t(1) << 30;

// Structs hold their fields inline, in order; arrays their elements.
static uint64_t aggregate_width(const Type* u) {
    if (u->width_cache) return u->width_cache - 1;
    uint64_t n = 0;
    if (u->cls == TypeClass::Struct)
        for (const StructField& f : u->fields) n = std::min(max_width, n + slot_width(f.type));
    else
        n = u->length > 0 ? std::min<uint64_t>(max_width, uint64_t(u->length) * slot_width(u->elem)) : 0;
    u->width_cache = n + 1;
    return n;
}

uint32_t slot_width(const Type* t) {
    if (!t) return 1;
    const Type* u = t->underlying();
    if (u->cls == TypeClass::Basic && (u->basic == BasicKind::String || u->basic == BasicKind::UntypedString))
        return 2;
    if (u->cls == TypeClass::Interface) return 2;
    if (u->cls == TypeClass::Slice) return 3;
    if (u->cls == TypeClass::Struct || u->cls == TypeClass::Array) return uint32_t(aggregate_width(u));
    if (u->cls == TypeClass::Tuple) {
        uint32_t n = 0;
        for (const Type* m : u->params) n += slot_width(m);
        return n;
    }
    return 1;
}

static TypeKind rt_kind(const Type* t) {
    const Type* u = t->underlying();
    switch (u->cls) {
    case TypeClass::Signature: return TypeKind::Func;
    case TypeClass::Interface: return TypeKind::Interface;
    case TypeClass::Slice: return TypeKind::Slice;
    case TypeClass::Struct: return TypeKind::Struct;
    case TypeClass::Pointer: return TypeKind::Pointer;
    case TypeClass::Array: return TypeKind::Array;
    case TypeClass::Map: return TypeKind::Map;
    default: break;
    }
    switch (u->basic) {
    case BasicKind::Bool: case BasicKind::UntypedBool: return TypeKind::Bool;
    case BasicKind::Int: case BasicKind::UntypedInt: return TypeKind::Int;
    case BasicKind::Int8: return TypeKind::Int8;
    case BasicKind::Int16: return TypeKind::Int16;
    case BasicKind::Int32: case BasicKind::UntypedRune: return TypeKind::Int32;
    case BasicKind::Int64: return TypeKind::Int64;
    case BasicKind::Uint: return TypeKind::Uint;
    case BasicKind::Uint8: return TypeKind::Uint8;
    case BasicKind::Uint16: return TypeKind::Uint16;
    case BasicKind::Uint32: return TypeKind::Uint32;
    case BasicKind::Uint64: return TypeKind::Uint64;
    case BasicKind::Uintptr: return TypeKind::Uintptr;
    case BasicKind::Float32: return TypeKind::Float32;
    case BasicKind::Float64: case BasicKind::UntypedFloat: return TypeKind::Float64;
    case BasicKind::String: case BasicKind::UntypedString: return TypeKind::String;
    default: return TypeKind::Nil;
    }
}

static uint64_t go_size(const Type* t);

// Go's unsafe.Alignof on a 64-bit target.
static uint64_t go_align(const Type* t) {
    const Type* u = t->underlying();
    if (u->cls == TypeClass::Array) return go_align(u->elem);
    if (u->cls == TypeClass::Struct) {
        uint64_t a = 1;
        for (const StructField& f : u->fields) a = std::max(a, go_align(f.type));
        return a;
    }
    if (u->cls == TypeClass::Basic && u->basic != BasicKind::String && u->basic != BasicKind::UntypedString)
        return std::min<uint64_t>(go_size(t), 8);
    return 8;
}

// Go's struct layout: each field at its alignment, a final zero-size field padded, the
// whole rounded to the struct's alignment (saturating).
static uint64_t go_struct_size(const Type* u) {
    uint64_t offset = 0, align = go_align(u);
    for (const StructField& f : u->fields) {
        uint64_t a = go_align(f.type), size = go_size(f.type);
        offset = (offset + a - 1) / a * a;
        offset = size > UINT64_MAX / 2 - offset ? UINT64_MAX / 2 : offset + size;
    }
    if (!u->fields.empty() && go_size(u->fields.back().type) == 0 && offset > 0) offset++;
    return (offset + align - 1) / align * align;
}

// Go's unsafe.Sizeof on a 64-bit target; append's growth rounds by it.
static uint64_t go_size(const Type* t) {
    const Type* u = t->underlying();
    switch (u->cls) {
    case TypeClass::Basic:
        switch (u->basic) {
        case BasicKind::Bool: case BasicKind::UntypedBool: case BasicKind::Int8: case BasicKind::Uint8:
            return 1;
        case BasicKind::Int16: case BasicKind::Uint16: return 2;
        case BasicKind::Int32: case BasicKind::Uint32: case BasicKind::Float32:
        case BasicKind::UntypedRune:
            return 4;
        case BasicKind::String: case BasicKind::UntypedString: return 16;
        default: return 8;
        }
    case TypeClass::Slice: return 24;
    case TypeClass::Interface: return 16;
    case TypeClass::Array: {
        uint64_t elem = go_size(u->elem);
        return elem != 0 && uint64_t(u->length) > UINT64_MAX / elem ? UINT64_MAX : uint64_t(u->length) * elem;
    }
    case TypeClass::Struct: return go_struct_size(u);
    default: return 8; // pointers, funcs, maps, channels
    }
}

ProgramCompiler::ProgramCompiler(CheckedProgram& checked, const NativeResolver& natives, Program& program)
    : m_checked(checked), m_natives(natives), m_program(program) {}

uint32_t field_offset(const Type* struct_type, uint32_t index) {
    const Type* u = struct_type->underlying();
    uint32_t offset = 0;
    for (uint32_t i = 0; i < index; i++) offset += slot_width(u->fields[i].type);
    return offset;
}

// One descriptor per type, shared by identical types (keyed by their spelling; a named
// type declared in a function also by its identity, as two may share a name).
// REPL sessions: where each named type reachable in t, and each of its methods, was
// declared (offsets in the session's text or a package's source, which never change), so
// that a type declared anew gets a descriptor of its own.
static void named_identities(const Type* t, std::string& out, std::unordered_set<const Type*>& seen) {
    if (!t || !seen.insert(t).second) return;
    if (t->cls == TypeClass::Named) {
        out.append(t->package).append(1, '.').append(t->name).append(1, '@');
        out.append(std::to_string(t->type_name ? t->type_name->pos.offset : 0));
        for (const DeclaredMethod& m : t->declared_methods)
            out.append(1, ',').append(m.name).append(1, '@').append(std::to_string(m.symbol ? m.symbol->pos.offset : 0));
        out.append(1, ';');
        named_identities(t->base, out, seen);
        return;
    }
    named_identities(t->elem, out, seen);
    named_identities(t->key, out, seen);
    for (const Type* p : t->params) named_identities(p, out, seen);
    for (const Type* r : t->results) named_identities(r, out, seen);
    for (const StructField& f : t->fields) named_identities(f.type, out, seen);
    for (const InterfaceMethodType& m : t->methods) named_identities(m.signature, out, seen);
}

uint32_t ProgramCompiler::rt_type(const Type* t) {
    std::string name = t->to_string();
    std::string key = name;
    if (m_type_cache) {
        std::unordered_set<const Type*> seen;
        key.append(1, '|');
        named_identities(t, key, seen);
    } else if (t->cls == TypeClass::Named && t->type_name && !t->type_name->global) {
        key.append(1, '#').append(std::to_string(reinterpret_cast<uintptr_t>(t)));
    }
    auto& cache = m_type_cache ? *m_type_cache : m_rt_types;
    auto it = cache.find(key);
    if (it != cache.end()) return it->second;
    auto rt = std::make_unique<RtType>();
    rt->kind = rt_kind(t);
    rt->name = name;
    rt->slots = slot_width(t);
    RtType* out = rt.get();
    uint32_t index = uint32_t(m_program.types.size());
    m_program.types.push_back(std::move(rt));
    cache[key] = index; // before the parts, which may refer back to t
    out->size = go_size(t);
    const Type* u = t->underlying();
    if (u->cls == TypeClass::Slice || u->cls == TypeClass::Array || u->cls == TypeClass::Pointer)
        out->elem = m_program.types[rt_type(u->elem)].get();
    if (u->cls == TypeClass::Array) out->length = u->length;
    if (u->cls == TypeClass::Struct)
        for (uint32_t i = 0; i < u->fields.size(); i++) {
            const StructField& f = u->fields[i];
            const RtType* ft = m_program.types[rt_type(f.type)].get();
            out->fields.push_back({f.name, ft, field_offset(u, i), f.embedded});
        }
    fill_methods(t, out); // method tables for dispatch through interfaces
    if (u->cls == TypeClass::Map) {
        out->key = m_program.types[rt_type(u->key)].get();
        out->elem = m_program.types[rt_type(u->elem)].get();
    }
    return index;
}

// (*T).m for a method m with a value receiver: a function taking a *T that calls m with
// the value it points to (Go's autogenerated wrapper; a nil pointer faults here).
uint32_t ProgramCompiler::pointer_method_wrapper(FunctionInfo* method) {
    auto found = m_pointer_wrappers.find(method);
    if (found != m_pointer_wrappers.end()) return found->second;
    auto fn = std::make_unique<Function>();
    std::string name = method->name;
    size_t dot = name.find('.');
    size_t last = name.rfind('.');
    fn->name = name.substr(0, dot + 1) + "(*" + name.substr(dot + 1, last - dot - 1) + ")" + name.substr(last);
    fn->wrapper = true;
    fn->file = "<autogenerated>";
    const Type* sig = method->signature;
    uint32_t receiver = slot_width(method->params[0]->type);
    fn->param_slots = 1;
    for (const Type* p : sig->params) fn->param_slots += slot_width(p);
    for (const Type* r : sig->results) fn->result_slots += slot_width(r);
    fn->has_params = true;
    uint32_t base = std::max(fn->param_slots, fn->result_slots);
    auto add = [&](Opcode op, uint32_t a, uint32_t b, uint32_t c) {
        fn->code.push_back(Instr::make(op, uint16_t(a), uint16_t(b), uint16_t(c)));
        fn->lines.push_back(1);
    };
    // Go's panicwrap: "value method main.T.m called using nil *T pointer".
    std::string type_name = name.substr(dot + 1, last - dot - 1);
    std::string message = "value method " + name + " called using nil *" + type_name + " pointer";
    fn->constants.push_back(Slot{.s = m_program.intern(message)});
    fn->constants.push_back(Slot{.i = int64_t(message.size())});
    add(Opcode::PANICWRAP, 0, 0, 0);
    add(Opcode::LOADPN, base, 0, receiver);
    if (fn->param_slots > 1) add(Opcode::MOVEN, base + receiver, 1, fn->param_slots - 1);
    add(Opcode::CALL, base, uint32_t(method->index), 0);
    add(Opcode::RET, base, fn->result_slots, 0);
    fn->frame_slots = base + std::max(receiver + fn->param_slots - 1, fn->result_slots);
    if (fn->frame_slots > 0xFFF0) throw std::runtime_error("internal error: method " + method->name + " is too large");
    uint32_t index = uint32_t(m_program.functions.size());
    m_program.functions.push_back(std::move(fn));
    m_pointer_wrappers[method] = index;
    return index;
}

uint32_t ProgramCompiler::method_expression(SelectorExpr* e) {
    FunctionInfo* method = e->symbol->function;
    bool through_pointer = e->base->type->underlying()->cls == TypeClass::Pointer &&
                           method->params[0]->type->underlying()->cls != TypeClass::Pointer;
    return through_pointer ? pointer_method_wrapper(method) : uint32_t(method->index);
}

// The function behind a method value x.m (Go's m-fm): its closure's one cell holds the
// receiver, evaluated when the value was made; it calls the method with the receiver
// and its own arguments, and returns what the method returns.
uint32_t ProgramCompiler::method_value_wrapper(FunctionInfo* method) {
    auto found = m_method_wrappers.find(method);
    if (found != m_method_wrappers.end()) return found->second;
    auto fn = std::make_unique<Function>();
    fn->name = method->name + "-fm";
    fn->wrapper = true;
    const Type* sig = method->signature;
    uint32_t receiver = slot_width(method->params[0]->type);
    for (const Type* p : sig->params) fn->param_slots += slot_width(p);
    for (const Type* r : sig->results) fn->result_slots += slot_width(r);
    fn->has_params = !sig->params.empty();
    uint32_t base = std::max(fn->param_slots, fn->result_slots);
    auto add = [&](Opcode op, uint32_t a, uint32_t b, uint32_t c) {
        fn->code.push_back(Instr::make(op, uint16_t(a), uint16_t(b), uint16_t(c)));
        fn->lines.push_back(0);
    };
    for (uint32_t k = 0; k < receiver; k++) add(Opcode::LOADUP, base + k, 0, k);
    if (fn->param_slots) add(Opcode::MOVEN, base + receiver, 0, fn->param_slots);
    add(Opcode::CALL, base, uint32_t(method->index), 0);
    add(Opcode::RET, base, fn->result_slots, 0);
    fn->frame_slots = base + std::max(receiver + fn->param_slots, fn->result_slots);
    if (fn->frame_slots > 0xFFF0) throw std::runtime_error("internal error: method " + method->name + " is too large");
    uint32_t index = uint32_t(m_program.functions.size());
    m_program.functions.push_back(std::move(fn));
    m_method_wrappers[method] = index;
    return index;
}

uint32_t ProgramCompiler::global_slot(Symbol* s) {
    auto it = m_globals.find(s);
    if (it != m_globals.end()) return it->second;
    std::string key;
    if (m_layout) {
        // the type's identity too: a variable of a type declared anew is a new variable
        std::unordered_set<const Type*> seen;
        key = (s->package ? s->package->path : "main") + "." + s->name + " " + s->type->to_string() + "|";
        named_identities(s->type, key, seen);
        if (auto kept = m_layout->find(key); kept != m_layout->end()) return m_globals[s] = kept->second;
    }
    uint32_t slot = m_program.global_slots;
    if (slot_width(s->type) >= max_width - slot)
        throw std::runtime_error("internal error: the package variables are too large");
    m_program.global_slots += slot_width(s->type);
    m_globals[s] = slot;
    if (m_layout) (*m_layout)[key] = slot;
    return slot;
}

const SourceFile* ProgramCompiler::source(FunctionInfo* info) const {
    Package* pkg = info ? info->package : m_checked.main;
    if (!pkg) pkg = m_checked.main;
    if (pkg->source) return pkg->source.get();
    return pkg->file ? pkg->file->source : nullptr;
}

// Package variables get their slots up front, narrow ones first: a wide array after them
// keeps the others' slot numbers within LOADG/STOREG's 16-bit operand.
void ProgramCompiler::assign_global_slots() {
    std::vector<Symbol*> wide;
    for (auto& pkg : m_checked.packages) {
        if (!pkg->file) continue;
        for (TopLevel& item : pkg->file->items) {
            if (!item.value || item.value->is_const) continue;
            for (Symbol* s : item.value->symbols) {
                if (!s || !s->type) continue;
                if (slot_width(s->type) > wide_global_slots) wide.push_back(s);
                else global_slot(s);
            }
        }
    }
    for (Symbol* s : wide) global_slot(s);
}

void ProgramCompiler::compile() {
    assign_global_slots();
    // Every function gets its index first, so calls can name functions compiled later.
    for (auto& info : m_checked.functions) {
        info->index = int(m_program.functions.size());
        auto fn = std::make_unique<Function>();
        fn->name = info->name;
        m_program.functions.push_back(std::move(fn));
    }
    for (auto& info : m_checked.functions) {
        Function& fn = *m_program.functions[info->index];
        if (info->native) {
            fn.native = m_natives ? m_natives(info->name) : nullptr;
            if (!fn.native) throw std::runtime_error("internal error: no native body for " + info->name);
            if (info->signature) {
                for (const Type* p : info->signature->params) fn.param_slots += slot_width(p);
                for (const Type* r : info->signature->results) fn.result_slots += slot_width(r);
                fn.has_params = !info->signature->params.empty();
            }
            fn.frame_slots = std::max(fn.param_slots, fn.result_slots);
            continue;
        }
        if (!info->body) continue;
        FunctionCompiler fc(*this, info.get(), fn);
        fc.compile_body(info->body);
    }
    // Go's package initialisation, which runtime.doInit runs before main.main: each package
    // after those it imports, its variables in dependency order (its function "P.init",
    // which traces show), then its init functions in source order.
    std::vector<Package*> order;
    std::vector<Package*> seen;
    auto visit = [&](auto& self, Package* pkg) -> void {
        if (std::find(seen.begin(), seen.end(), pkg) != seen.end()) return;
        seen.push_back(pkg);
        for (Package* dep : pkg->imports) self(self, dep);
        order.push_back(pkg);
    };
    visit(visit, m_checked.main);
    std::vector<uint32_t> init_calls;
    for (Package* pkg : order) {
        if (!pkg->init_order.empty() || pkg == m_checked.main) {
            auto vars = std::make_unique<Function>();
            vars->name = pkg->path + ".init";
            uint32_t index = uint32_t(m_program.functions.size());
            m_program.functions.push_back(std::move(vars));
            FunctionCompiler fc(*this, nullptr, *m_program.functions[index]);
            fc.compile_init(pkg->init_order);
            init_calls.push_back(index);
        }
        for (FunctionInfo* f : pkg->init_funcs) init_calls.push_back(uint32_t(f->index));
    }
    auto do_init = std::make_unique<Function>();
    do_init->name = "runtime.doInit";
    for (uint32_t f : init_calls) do_init->code.push_back(Instr::make(Opcode::CALL, 0, uint16_t(f)));
    do_init->code.push_back(Instr::make(Opcode::RET, 0, 0));
    do_init->lines.assign(do_init->code.size(), 0);
    do_init->frame_slots = 1;
    uint32_t init_index = uint32_t(m_program.functions.size());
    m_program.functions.push_back(std::move(do_init));
    auto entry = std::make_unique<Function>();
    entry->name = "runtime.main";
    Symbol* main_sym = m_checked.main->scope->names.at(m_checked.entry);
    entry->code.push_back(Instr::make(Opcode::CALL, 0, uint16_t(init_index)));
    entry->code.push_back(Instr::make(Opcode::CALL, 0, uint16_t(main_sym->function->index)));
    entry->code.push_back(Instr::make(Opcode::RET, 0, 0));
    entry->lines.assign(3, 0);
    entry->frame_slots = 1;
    m_program.init_function = uint32_t(m_program.functions.size());
    // Standard packages whose Go counterparts import os, whose initialisation starts the
    // runtime's finalizer goroutine (id 5).
    static const char* const uses_os[] = {"os", "fmt", "log", "flag", "path/filepath"};
    for (auto& pkg : m_checked.packages)
        for (const char* path : uses_os)
            if (pkg->path == path) m_program.first_goroutine_id = 6;
    m_program.functions.push_back(std::move(entry));
    add_runtime_error_types();
}


std::unique_ptr<Program> compile_program(CheckedProgram& checked, const NativeResolver& natives,
                                         const std::string& file_path, bool race) {
    auto program = std::make_unique<Program>();
    program->file_path = file_path;
    if (checked.main && checked.main->file && checked.main->file->source)
        program->source_text = std::string(checked.main->file->source->text());
    ProgramCompiler pc(checked, natives, *program);
    program->race = pc.m_race = race;
    pc.compile();
    return program;
}

uint32_t compile_program_into(CheckedProgram& checked, const NativeResolver& natives, Program& program,
                              SessionTables& tables) {
    ProgramCompiler pc(checked, natives, program);
    pc.m_layout = &tables.globals;
    pc.m_type_cache = &tables.types;
    pc.compile();
    return program.init_function;
}

// ---- FunctionCompiler: emission ---------------------------------------------------------

FunctionCompiler::FunctionCompiler(ProgramCompiler& pc, FunctionInfo* info, Function& out)
    : m_pc(pc), m_info(info), m_fn(out) {
    // A standard package's functions are located in its embedded source in traces.
    if (info && info->package && info->package != pc.m_checked.main)
        if (const SourceFile* src = pc.source(info)) out.file = src->name();
    // In a package of several files, each function is located in its own file.
    if (info && info->package == pc.m_checked.main)
        if (const SourceFile* src = pc.source(info); src && !src->segments().empty())
            out.file = std::filesystem::absolute(src->name_at(info->pos)).lexically_normal().string();
    m_race_on = pc.m_race && info && info->package == pc.m_checked.main;
}

uint32_t FunctionCompiler::emit(Opcode op, uint32_t a, uint32_t b, uint32_t c) {
    if (a > 0xFFFF || b > 0xFFFF || c > 0xFFFF)
        throw std::runtime_error("internal error: function " + m_fn.name + " is too large to compile");
    if (m_race_on) [[unlikely]]
        race_instrument(op, a, b, c);
    m_fn.code.push_back(Instr::make(op, uint16_t(a), uint16_t(b), uint16_t(c)));
    m_fn.lines.push_back(m_line);
    return here() - 1;
}

uint32_t FunctionCompiler::emit_jump(Opcode op, uint32_t a) { return emit(op, a, 0, 0); }
uint32_t FunctionCompiler::emit_branch(Opcode op, uint32_t a, uint32_t b) { return emit(op, a, b, 0); }

void FunctionCompiler::patch_to(uint32_t at, uint32_t target) {
    Instr& in = m_fn.code[at];
    int64_t offset = int64_t(target) - int64_t(at) - 1;
    bool wide = in.op == Opcode::JMP || in.op == Opcode::JMPIF || in.op == Opcode::JMPIFNOT;
    if (wide) {
        in = Instr::make_sbx(in.op, in.a, int32_t(offset));
        return;
    }
    if (offset < -32768 || offset > 32767)
        throw std::runtime_error("internal error: function " + m_fn.name + " is too large to compile");
    in.c = uint16_t(int16_t(offset));
}

void FunctionCompiler::patch(uint32_t at) { patch_to(at, here()); }

void FunctionCompiler::jump_back(uint32_t target) {
    uint32_t at = emit_jump(Opcode::JMP);
    patch_to(at, target);
}

uint32_t FunctionCompiler::constant(Slot s) {
    for (uint32_t i = 0; i < m_fn.constants.size(); i++)
        if (m_fn.constants[i].u == s.u) return i;
    m_fn.constants.push_back(s);
    return uint32_t(m_fn.constants.size() - 1);
}

void FunctionCompiler::set_line(Pos pos) {
    const SourceFile* src = m_pc.source(m_info);
    if (src) m_line = src->line_col(pos).line;
}

uint32_t FunctionCompiler::alloc(uint32_t n) {
    uint32_t r = m_top;
    m_top += n;
    if (m_top > m_fn.frame_slots) m_fn.frame_slots = m_top;
    if (m_top > 0xFFF0)
        throw std::runtime_error("function " + m_fn.name + " needs more than 65520 registers: " +
                                 "local arrays this large are not supported yet");
    return r;
}

// Parameters take the first registers; captured ones move into cells at entry.
void FunctionCompiler::compile_body(Block* body) {
    m_fn.has_params = !m_info->params.empty();
    set_line(m_info->pos);
    m_fn.line = m_line;
    for (Symbol* p : m_info->params) {
        uint32_t r = alloc(slot_width(p->type));
        m_storage[p] = {Storage::Register, r};
    }
    m_fn.param_slots = m_top;
    for (const Type* t : m_info->signature->results) m_fn.result_slots += slot_width(t);
    for (size_t i = 0; i < m_info->captures.size(); i++)
        m_storage[m_info->captures[i]] = {Storage::Up, uint32_t(i)};
    set_line(body->pos);
    for (Symbol* p : m_info->params) {
        if (!p->needs_cell()) continue;
        uint32_t w = slot_width(p->type);
        uint32_t reg = m_storage[p].index;
        uint32_t cell = alloc(1);
        emit(Opcode::NEWCELL, cell, w);
        for (uint32_t k = 0; k < w; k++) emit(Opcode::STORECELL, reg + k, cell, k);
        m_storage[p] = {Storage::Cell, cell};
    }
    for (Symbol* r : m_info->results) { // named (or unnamed) results start at zero
        if (r->name.empty()) continue;
        declare_local(r, 0, false);
    }
    if (has_defers()) begin_defers();
    block(body);
    set_line(body->rbrace);
    if (has_defers()) {
        defer_exit(body);
        return;
    }
    if (m_info->signature->results.empty()) emit(Opcode::RET, 0, 0);
    else if (m_info->named_results) {
        ReturnStmt bare;
        bare.pos = body->rbrace;
        return_stmt(&bare);
    }
}

void FunctionCompiler::compile_init(const std::vector<ValueSpec*>& specs) {
    for (ValueSpec* spec : specs) init_global(spec);
    emit(Opcode::RET, 0, 0);
}

// Assigns a package-level spec's values to its variables (main.init's work; a script's
// main.main does it where the declaration stands, zeroing variables without values).
void FunctionCompiler::init_global(ValueSpec* spec) {
    {
        set_line(spec->pos);
        uint32_t mark = m_top;
        if (spec->values.empty()) {
            for (Symbol* s : spec->symbols) {
                if (s->name == "_") continue;
                uint32_t w = slot_width(s->type);
                uint32_t r = alloc(w);
                emit(Opcode::LOADNIL, r, 0, w);
                store_var(s, r);
            }
        } else if (spec->values.size() == spec->symbols.size()) {
            for (size_t i = 0; i < spec->symbols.size(); i++) {
                Symbol* s = spec->symbols[i];
                uint32_t w = slot_width(s->type);
                uint32_t r = alloc(w);
                coerce_to(spec->values[i], s->type, r);
                if (s->name != "_") store_var(s, r);
            }
        } else if (spec->values.size() == 1) {
            uint32_t base = values(spec->values[0]);
            uint32_t off = 0;
            for (Symbol* s : spec->symbols) {
                if (s->name != "_") store_var(s, base + off);
                off += slot_width(s->type);
            }
        }
        m_top = mark;
    }
}

} // namespace csp
