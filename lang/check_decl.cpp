// Checker, part 1: the universe, packages, package-level declarations resolved lazily in
// dependency order, function signatures and bodies, and unused-name reports.
#include "lang/checker_internal.hpp"

#include <cctype>

#include <algorithm>
#include <iostream>
#include <map>
#include <set>

namespace csp {

Symbol* Checker::new_symbol(SymbolKind kind, const std::string& name, Pos pos, const Type* type) {
    auto sym = std::make_unique<Symbol>();
    sym->kind = kind;
    sym->name = name;
    sym->pos = pos;
    sym->type = type;
    m_program.symbols.push_back(std::move(sym));
    return m_program.symbols.back().get();
}

Scope* Checker::open_scope() {
    auto scope = std::make_unique<Scope>();
    scope->parent = m_scope;
    scope->function = m_function;
    m_program.scopes.push_back(std::move(scope));
    m_scope = m_program.scopes.back().get();
    return m_scope;
}

void Checker::close_scope() { m_scope = m_scope->parent; }

void Checker::declare(Scope* scope, Symbol* sym) {
    if (sym->name == "_") return;
    auto [it, inserted] = scope->names.emplace(sym->name, sym);
    if (!inserted) {
        sym->used = true; // only names in a scope are reported unused (Go's usage pass)
        error(sym->pos, sym->name + " redeclared in this block\n\t" + position(it->second->pos) +
                            ": other declaration of " + sym->name);
    }
}

// `file:LINE:COL`, as Go's continuation lines name other positions.
std::string Checker::position(Pos pos) const {
    LineCol lc = m_current_diags->file().line_col(pos);
    return m_current_diags->file().name() + ":" + std::to_string(lc.line) + ":" +
           std::to_string(lc.column);
}

Symbol* Checker::lookup(const std::string& name) {
    for (Scope* s = m_scope; s; s = s->parent) {
        auto it = s->names.find(name);
        if (it != s->names.end()) return it->second;
    }
    return nullptr;
}

// Marks a use, and records captures: a local of an enclosing function used here is
// captured by this function and every function between.
void Checker::use_symbol(Symbol* sym) {
    if (sym->kind != SymbolKind::Var || sym->global || !sym->owner || !m_function) return;
    if (sym->owner == m_function) return;
    sym->captured = true;
    for (FunctionInfo* f = m_function; f && f != sym->owner; f = f->parent)
        if (std::find(f->captures.begin(), f->captures.end(), sym) == f->captures.end())
            f->captures.push_back(sym);
}

void Checker::declare_universe() {
    m_universe = open_scope();
    auto type_name = [&](const char* name, const Type* t) {
        declare(m_universe, new_symbol(SymbolKind::TypeName, name, {}, t));
    };
    static const std::pair<const char*, BasicKind> basics[] = {
        {"bool", BasicKind::Bool},       {"int", BasicKind::Int},         {"int8", BasicKind::Int8},
        {"int16", BasicKind::Int16},     {"int32", BasicKind::Int32},     {"int64", BasicKind::Int64},
        {"uint", BasicKind::Uint},       {"uint8", BasicKind::Uint8},     {"uint16", BasicKind::Uint16},
        {"uint32", BasicKind::Uint32},   {"uint64", BasicKind::Uint64},   {"uintptr", BasicKind::Uintptr},
        {"float32", BasicKind::Float32}, {"float64", BasicKind::Float64}, {"string", BasicKind::String},
    };
    for (auto& [name, kind] : basics) type_name(name, m_types.basic(kind));
    type_name("byte", m_types.byte());
    type_name("rune", m_types.rune());
    type_name("any", m_types.any());
    type_name("error", m_types.error());
    for (const char* name : {"complex64", "complex128"})
        type_name(name, m_types.invalid()); // reported as unsupported where used
    auto constant = [&](const char* name, Constant v, BasicKind k) {
        Symbol* s = new_symbol(SymbolKind::Const, name, {}, m_types.basic(k));
        s->value = v;
        s->global = true;
        declare(m_universe, s);
    };
    constant("true", Constant::boolean(true), BasicKind::UntypedBool);
    constant("false", Constant::boolean(false), BasicKind::UntypedBool);
    constant("iota", Constant::integer(0), BasicKind::UntypedInt);
    declare(m_universe, new_symbol(SymbolKind::Nil, "nil", {}, m_types.basic(BasicKind::UntypedNil)));
    static const std::pair<const char*, Builtin> builtins[] = {
        {"len", Builtin::Len},     {"cap", Builtin::Cap},         {"print", Builtin::Print},
        {"println", Builtin::Println}, {"panic", Builtin::Panic}, {"min", Builtin::Min},
        {"max", Builtin::Max},     {"append", Builtin::Append},   {"make", Builtin::Make},
        {"new", Builtin::New},     {"copy", Builtin::Copy},       {"delete", Builtin::Delete},
        {"clear", Builtin::Clear}, {"close", Builtin::Close},     {"recover", Builtin::Recover},
        {"complex", Builtin::Complex}, {"real", Builtin::Real},   {"imag", Builtin::Imag},
    };
    for (auto& [name, b] : builtins) {
        Symbol* s = new_symbol(SymbolKind::Builtin, name, {}, m_types.invalid());
        s->builtin = b;
        declare(m_universe, s);
    }
}

void Checker::check_main(File& file) {
    declare_universe();
    auto pkg = std::make_unique<Package>();
    pkg->path = "main";
    pkg->name = "main";
    pkg->file = &file;
    m_program.main = pkg.get();
    Package* main = pkg.get();
    m_program.packages.push_back(std::move(pkg));
    if (file.is_script) {
        error(file.items.empty() ? Pos{0} : Pos{0},
              "expected 'package', found a script: script mode (a file without a package "
              "clause) is not supported yet");
        return;
    }
    if (file.package_name != "main" && m_program.entry == "main")
        error(file.package_pos, "package " + file.package_name + " is not a main package");
    m_package = main;
    main->scope = open_scope();
    std::vector<std::string> roots;
    for (ImportSpec* imp : file.imports) roots.push_back(imp->path);
    m_prefetch = std::make_unique<PackagePrefetch>(
        m_packages, roots, [&](const std::string& path) { return m_loaded.count(path) != 0; },
        PackagePrefetch::spare_cores());
    import_packages(*main);
    m_prefetch.reset(); // every import is parsed by now
    collect(*main);
    declare_methods(*main);
    // Resolve in source order so that errors come out in a stable order.
    for (TopLevel& item : file.items) {
        if (item.value)
            for (size_t i = 0; i < item.value->names.size(); i++)
                if (item.value->symbols.size() > i && item.value->symbols[i])
                    resolve_global(item.value->symbols[i]);
        if (item.type && item.type->symbol) resolve_global(item.type->symbol);
    }
    for (TopLevel& item : file.items)
        if (item.func && item.func->info) check_function_body(item.func->info);
    compute_init_order(*main);
    auto it = main->scope->names.find(m_program.entry);
    if ((file.package_name == "main" || m_program.entry != "main") &&
        (it == main->scope->names.end() || it->second->kind != SymbolKind::Func))
        error(file.package_pos, "function " + m_program.entry + " is undeclared in the main package");
    for (ImportSpec* imp : file.imports)
        if (imp->symbol && !imp->symbol->used && !imp->implicit)
            error(imp->pos, "\"" + imp->path + "\" imported and not used"); // Go 1.20's words
    if (!m_diags.has_errors())
        for (auto& [pos, message] : m_late_errors) error(pos, message);
}

void Checker::import_packages(Package& pkg) {
    for (ImportSpec* imp : pkg.file->imports) {
        Package* dep = nullptr;
        auto found = m_loaded.find(imp->path);
        if (found != m_loaded.end()) {
            dep = found->second;
        } else if (auto source = m_packages(imp->path)) {
            auto owned = std::make_unique<Package>();
            dep = owned.get();
            dep->path = imp->path;
            ParsedPackage parsed = m_prefetch ? m_prefetch->take(imp->path, *source)
                                              : PackagePrefetch::parse_package(imp->path, *source);
            dep->source = std::move(parsed.source);
            m_program.packages.insert(m_program.packages.end() - 1, std::move(owned));
            Diagnostics& dep_diags = *parsed.diags;
            dep->owned_file = std::move(parsed.file);
            if (dep->owned_file) check_package(*dep, dep_diags);
            if (dep_diags.has_errors()) {
                dep_diags.print(std::cerr);
                error(imp->path_pos, "internal error: standard package " + imp->path + " is invalid");
                continue;
            }
        } else {
            error(imp->path_pos, "package " + imp->path + " is not in std");
            continue;
        }
        if (std::find(pkg.imports.begin(), pkg.imports.end(), dep) == pkg.imports.end())
            pkg.imports.push_back(dep);
        std::string name = imp->alias.empty() ? dep->name : imp->alias;
        if (imp->alias == "_") continue; // imported for its initialisation only
        // A package of several files: imports are file-scoped (m_file_imports); the
        // package scope holds the first file's symbol for each name.
        bool several_files = &pkg == m_program.main && pkg.file->source && !pkg.file->source->segments().empty();
        const std::string* file = several_files ? &pkg.file->source->name_at(imp->pos) : nullptr;
        auto earlier = pkg.scope->names.find(name);
        if (several_files && earlier != pkg.scope->names.end() && earlier->second->kind == SymbolKind::Package &&
            &pkg.file->source->name_at(earlier->second->pos) != file) {
            Symbol* own = new_symbol(SymbolKind::Package, name, imp->pos, m_types.invalid());
            own->package = dep;
            imp->symbol = own;
            m_file_imports[{*file, name}] = own;
            continue;
        }
        if (imp->alias == ".") { // the package's exported names, unqualified
            for (auto& [member, member_sym] : dep->scope->names)
                if (!member.empty() && std::isupper(static_cast<unsigned char>(member[0])))
                    declare(pkg.scope, member_sym);
            Symbol* sym = new_symbol(SymbolKind::Package, dep->name, imp->pos, m_types.invalid());
            sym->package = dep;
            imp->symbol = sym; // used when one of the names is
            m_dot_imports[dep] = sym;
            continue;
        }
        Symbol* sym = new_symbol(SymbolKind::Package, name, imp->pos, m_types.invalid());
        sym->package = dep;
        imp->symbol = sym;
        declare(pkg.scope, sym);
        if (several_files) m_file_imports[{*file, name}] = sym;
    }
}

// In a package of several files, a package name means the import of the file where it
// is used: another file's import of the name is not visible (Go's file scope).
Symbol* Checker::in_file_scope(Symbol* s, Pos pos) {
    if (!s || s->kind != SymbolKind::Package || m_file_imports.empty() || m_package != m_program.main)
        return s;
    auto it = m_file_imports.find({m_package->file->source->name_at(pos), s->name});
    return it == m_file_imports.end() ? nullptr : it->second;
}

// Checks a standard package from its declaration source. Its errors go to `diags`.
void Checker::check_package(Package& pkg, Diagnostics& diags) {
    File& file = *pkg.owned_file;
    pkg.name = file.package_name;
    pkg.file = &file;
    m_loaded[pkg.path] = &pkg;
    Diagnostics* saved_diags = m_current_diags;
    Package* saved_pkg = m_package;
    Scope* saved_scope = m_scope;
    m_current_diags = &diags;
    m_package = &pkg;
    m_scope = m_universe;
    pkg.scope = open_scope();
    import_packages(pkg);
    collect(pkg);
    declare_methods(pkg);
    for (TopLevel& item : file.items) {
        if (item.value)
            for (Symbol* s : item.value->symbols)
                if (s) resolve_global(s);
        if (item.type && item.type->symbol) resolve_global(item.type->symbol);
        if (item.func && item.func->symbol) resolve_global(item.func->symbol);
    }
    for (TopLevel& item : file.items)
        if (item.func && item.func->info && !item.func->info->native)
            check_function_body(item.func->info);
    compute_init_order(pkg);
    m_current_diags = saved_diags;
    m_package = saved_pkg;
    m_scope = saved_scope;
}

// Declares every package-level name before any is resolved (Go's package scope).
void Checker::collect(Package& pkg) {
    for (TopLevel& item : pkg.file->items) {
        if (item.func) {
            FuncDecl* d = item.func;
            if (d->receiver) { // declared on its receiver type by declare_methods
                pkg.method_decls.push_back(d);
                continue;
            }
            if (d->name.name == "_") continue;
            if (d->name.name == "init") { // run at initialisation; its name is not declared
                FunctionInfo* info = declare_function(d, pkg);
                info->name = pkg.path + ".init." + std::to_string(pkg.init_funcs.size());
                Symbol* sym = new_symbol(SymbolKind::Func, "init", d->name.pos, nullptr);
                sym->global = sym->used = true;
                sym->func_decl = d;
                sym->function = info;
                sym->package = &pkg;
                sym->order = m_next_order++;
                d->symbol = sym;
                d->info = info;
                pkg.init_funcs.push_back(info);
                if (d->signature && (!d->signature->params.empty() || !d->signature->results.empty()))
                    error(d->name.pos, "func init must have no arguments and no return values");
                continue;
            }
            FunctionInfo* info = declare_function(d, pkg);
            Symbol* sym = new_symbol(SymbolKind::Func, d->name.name, d->name.pos, nullptr);
            sym->global = true;
            sym->func_decl = d;
            sym->function = info;
            sym->package = &pkg;
            sym->order = m_next_order++;
            d->symbol = sym;
            d->info = info;
            declare(pkg.scope, sym);
        } else if (item.value) {
            ValueSpec* spec = item.value;
            spec->symbols.resize(spec->names.size(), nullptr);
            for (size_t i = 0; i < spec->names.size(); i++) {
                Symbol* sym = new_symbol(spec->is_const ? SymbolKind::Const : SymbolKind::Var,
                                         spec->names[i].name, spec->names[i].pos, nullptr);
                sym->global = true;
                sym->spec = spec;
                sym->spec_index = i;
                sym->package = &pkg;
                sym->order = m_next_order++;
                sym->used = true; // package-level names are never "declared and not used"
                spec->symbols[i] = sym;
                declare(pkg.scope, sym);
            }
        } else if (item.type) {
            Symbol* sym = new_symbol(SymbolKind::TypeName, item.type->name.name,
                                     item.type->name.pos, nullptr);
            sym->global = true;
            sym->type_spec = item.type;
            sym->package = &pkg;
            sym->order = m_next_order++;
            item.type->symbol = sym;
            declare(pkg.scope, sym);
        } else if (item.statement) {
            error(item.statement->pos, "syntax error: non-declaration statement outside function body");
        }
    }
}

FunctionInfo* Checker::declare_function(FuncDecl* d, Package& pkg) {
    auto info = std::make_unique<FunctionInfo>();
    info->name = pkg.path + "." + d->name.name;
    info->package = &pkg;
    info->body = d->body;
    info->pos = d->pos;
    info->native = d->body == nullptr;
    if (info->native && pkg.path == "main")
        error(d->name.pos, "missing function body");
    m_program.functions.push_back(std::move(info));
    return m_program.functions.back().get();
}

// Resolves a package-level symbol on first need, so that declarations may appear in any
// order; a cycle through initialisers is Go's "initialization cycle".
void Checker::resolve_global(Symbol* sym) {
    if (sym->resolve_state == 2) return;
    if (sym->resolve_state == 1) {
        // Recursive types resolve via Named; cycles through values are reported by
        // compute_init_order, as Go's initialization order check does.
        if (sym->kind != SymbolKind::TypeName && !sym->type) sym->type = m_types.invalid();
        return;
    }
    sym->resolve_state = 1;
    Symbol* saved_decl = m_decl;
    m_decl = sym;
    Scope* saved_scope = m_scope;
    FunctionInfo* saved_fn = m_function;
    auto saved_targets = std::move(m_targets);
    m_targets.clear();
    m_scope = sym->package ? sym->package->scope : m_scope;
    m_function = nullptr;
    if (sym->kind == SymbolKind::Func) {
        FuncDecl* d = sym->func_decl;
        sym->type = signature_type(d->signature);
        sym->function->signature = sym->type;
    } else if (sym->spec) {
        resolve_value_spec(sym->spec, m_scope, true);
    } else if (sym->type_spec) {
        resolve_type_spec(sym->type_spec, sym);
    }
    m_scope = saved_scope;
    m_function = saved_fn;
    m_targets = std::move(saved_targets);
    m_decl = saved_decl;
    sym->resolve_state = 2;
}

void Checker::resolve_type_spec(TypeSpec* spec, Symbol* sym) {
    if (spec->alias) {
        sym->type = resolve_type(spec->type);
        return;
    }
    Type* named = m_types.new_type(TypeClass::Named);
    named->name = spec->name.name;
    named->package = m_package ? m_package->path : "main";
    named->type_name = sym;
    sym->type = named;
    m_type_path.push_back(sym);
    const Type* under = resolve_type(spec->type);
    m_type_path.pop_back();
    if (under && under->cls == TypeClass::Named && !under->base) {
        // `type A B` while B is being resolved: a cycle of named types (Go's validType).
        auto at = std::find(m_type_path.begin(), m_type_path.end(), under->type_name);
        std::vector<Symbol*> cycle(at, m_type_path.end());
        cycle.push_back(sym);
        report_type_cycle(cycle);
        under = m_types.invalid();
    }
    named->base = under ? under->underlying() : m_types.invalid();
    std::vector<const Type*> path;
    bool complete = true;
    valid_type(named, path, complete);
}

// var/const specs: `a, b T = x, y`, `a, b = f()`, `c = iota` (values inherited).
void Checker::resolve_value_spec(ValueSpec* spec, Scope* scope, bool global) {
    (void)scope;
    bool all_done = true;
    for (Symbol* s : spec->symbols) all_done &= s && s->type != nullptr;
    if (all_done) return;
    const Type* declared = spec->type ? resolve_type(spec->type) : nullptr;
    int saved_iota = m_iota;
    if (spec->is_const) m_iota = spec->iota;
    if (spec->is_const) const_spec(spec, declared);
    else var_spec(spec, declared);
    m_iota = saved_iota;
    (void)global;
}

// Go's arity check of a spec's names against its values.
void Checker::check_arity(ValueSpec* spec, bool is_const) {
    size_t l = spec->names.size(), r = spec->values.size();
    if (l < r) {
        Expr* extra = spec->values[l];
        if (spec->values_inherited) {
            error(spec->names[0].pos, "extra init expr at " + position(extra->pos));
        } else {
            error(extra->pos, "extra init expr " + expr_string(extra));
        }
    } else if (l > r && (is_const || r != 1)) {
        error(spec->names[r].pos, "missing init expr for " + spec->names[r].name);
    }
}

// Go's constDecl and initConst, for each name of the spec.
void Checker::const_spec(ValueSpec* spec, const Type* declared) {
    if (declared && declared != m_types.invalid() && declared->underlying()->cls != TypeClass::Basic) {
        error(spec->type->pos, "invalid constant type " + declared->spelling());
        declared = m_types.invalid();
    }
    Symbol* saved_decl = m_decl;
    for (size_t i = 0; i < spec->symbols.size(); i++) {
        Symbol* sym = spec->symbols[i];
        Expr* v = i < spec->values.size() ? spec->values[i] : nullptr;
        if (!sym || sym->type) continue;
        if (sym->global) m_decl = sym;
        sym->type = declared;
        if (!v || declared == m_types.invalid()) {
            sym->type = m_types.invalid();
            continue;
        }
        if (spec->values_inherited) {
            v->type = nullptr, v->mode = Mode::Invalid;
            m_error_pos = sym->pos;
        }
        expr(v, declared);
        if (!check_value(v)) {
            sym->type = m_types.invalid();
        } else if (v->mode != Mode::Constant) {
            error(v->pos, describe(v) + " is not constant");
            sym->type = m_types.invalid();
        } else {
            if (!sym->type) sym->type = v->type;
            if (assign(v, sym->type, {"constant declaration"})) sym->value = v->value;
        }
        m_error_pos.reset();
    }
    m_decl = saved_decl;
    check_arity(spec, true);
}

// Go's varDecl for each name of the spec: one value per name, or one multi-valued call.
void Checker::var_spec(ValueSpec* spec, const Type* declared) {
    for (Symbol* sym : spec->symbols)
        if (sym && !sym->type) sym->type = declared;
    size_t n = spec->symbols.size(), r = spec->values.size();
    Symbol* saved_decl = m_decl;
    bool global = spec->symbols[0]->global;
    if (r == 1 && n > 1) {
        if (global) m_decl = spec->symbols[0];
        init_vars(spec->symbols, spec->values, {"assignment"});
        for (Symbol* sym : spec->symbols) // one initialiser: the same dependencies
            if (global) sym->deps = spec->symbols[0]->deps;
    } else {
        for (size_t i = 0; i < n; i++) {
            Symbol* sym = spec->symbols[i];
            if (i >= r) {
                if (!sym->type) sym->type = m_types.invalid();
                continue;
            }
            if (global) m_decl = sym;
            expr(spec->values[i], declared);
            init_var(sym, spec->values[i], {"variable declaration"});
        }
    }
    m_decl = saved_decl;
    if (!declared || r > 0) check_arity(spec, false);
    for (Symbol* sym : spec->symbols) // Go's varDecl: no follow-on errors for invalid types
        if (sym->type == m_types.invalid()) sym->used = true;
}

const Type* Checker::signature_type(FuncTypeExpr* f) {
    std::vector<const Type*> params, results;
    std::vector<std::string> param_names, result_names;
    bool variadic = false;
    for (size_t i = 0; i < f->params.size(); i++) {
        Field& field = f->params[i];
        const Type* t = resolve_type(field.type);
        if (field.variadic) {
            if (i + 1 != f->params.size() || field.names.size() > 1)
                error(field.pos, "can only use ... with final parameter in list");
            t = m_types.slice(t);
            variadic = true;
        }
        size_t count = std::max<size_t>(1, field.names.size());
        for (size_t k = 0; k < count; k++) params.push_back(t);
        for (size_t k = 0; k < count; k++)
            param_names.push_back(field.names.empty() ? "" : field.names[k].name);
    }
    for (Field& field : f->results) {
        const Type* t = resolve_type(field.type);
        size_t count = std::max<size_t>(1, field.names.size());
        for (size_t k = 0; k < count; k++) results.push_back(t);
        for (size_t k = 0; k < count; k++)
            result_names.push_back(field.names.empty() ? "" : field.names[k].name);
    }
    const Type* sig = m_types.signature(std::move(params), std::move(results), variadic,
                                        std::move(param_names), std::move(result_names));
    f->type = sig;
    return sig;
}

void Checker::check_unused(Scope*) {
    for (Symbol* s : m_locals)
        if (s->kind == SymbolKind::Var && !s->used && !s->is_param && s->name != "_")
            error(s->pos, "declared and not used: " + s->name);
}

// Declares parameters and results in a new scope and checks the body.
void Checker::check_function_body(FunctionInfo* fn) {
    FuncDecl* decl = nullptr;
    for (TopLevel& item : m_package->file->items)
        if (item.func && item.func->info == fn) decl = item.func;
    if (!decl || !decl->body) return;
    if (decl->symbol) resolve_global(decl->symbol); // even a redeclared function's own symbol
    Symbol* saved_decl = m_decl;
    m_decl = decl->symbol;
    FunctionInfo* saved_fn = m_function;
    auto saved_locals = std::move(m_locals);
    m_locals.clear();
    m_function = fn;
    open_scope();
    if (fn->method) declare(m_scope, fn->params[0]); // the receiver, made by declare_method
    const Type* sig = fn->signature;
    size_t pi = 0;
    for (Field& field : decl->signature->params) {
        for (Ident& id : field.names) {
            Symbol* s = new_symbol(SymbolKind::Var, id.name, id.pos, sig->params[pi++]);
            s->owner = fn;
            s->is_param = true;
            fn->params.push_back(s);
            declare(m_scope, s);
        }
        if (field.names.empty()) {
            Symbol* s = new_symbol(SymbolKind::Var, "_", field.pos, sig->params[pi++]);
            s->owner = fn;
            s->is_param = true;
            fn->params.push_back(s);
        }
    }
    size_t ri = 0;
    for (Field& field : decl->signature->results) {
        for (Ident& id : field.names) {
            Symbol* s = new_symbol(SymbolKind::Var, id.name, id.pos, sig->results[ri++]);
            s->owner = fn;
            s->is_param = true;
            s->reassigned = true; // return statements assign it
            fn->results.push_back(s);
            fn->named_results = true;
            declare(m_scope, s);
        }
        if (field.names.empty()) {
            Symbol* s = new_symbol(SymbolKind::Var, "", field.pos, sig->results[ri++]);
            s->owner = fn;
            s->is_param = true;
            fn->results.push_back(s);
        }
    }
    block(decl->body, false);
    if (!sig->results.empty() && !terminates(decl->body)) error(decl->body->rbrace, "missing return");
    check_unused(m_scope);
    for (LabeledStmt* l : m_labels)
        if (!l->used) error(l->label.pos, "label " + l->label.name + " defined and not used");
    m_labels.clear();
    close_scope();
    m_function = saved_fn;
    m_locals = std::move(saved_locals);
    m_decl = saved_decl;
}

// Records that the package-level declaration being checked refers to `to`.
void Checker::add_dependency(Symbol* to) {
    if (!m_decl || to->order < 0 || to->package != m_package) return;
    if (to->kind != SymbolKind::Var && to->kind != SymbolKind::Const && to->kind != SymbolKind::Func)
        return;
    if (std::find(m_decl->deps.begin(), m_decl->deps.end(), to) == m_decl->deps.end())
        m_decl->deps.push_back(to);
}

namespace {

// A node of Go's initialisation dependency graph: `succ` are its dependencies, `pred`
// the nodes depending on it.
struct InitNode {
    explicit InitNode(Symbol* o) : obj(o) {}
    Symbol* obj;
    std::set<size_t> pred, succ;
    size_t ndeps = 0;
    bool done = false;
};

// Go's findPath: the dependency path from `from` to `to`, reversed ({to, ..., from's dep}).
std::vector<Symbol*> find_path(Symbol* from, Symbol* to, std::set<Symbol*>& seen) {
    if (!seen.insert(from).second) return {};
    for (Symbol* d : from->deps) {
        if (d == to) return {d};
        std::vector<Symbol*> path = find_path(d, to, seen);
        if (!path.empty()) {
            path.push_back(d);
            return path;
        }
    }
    return {};
}

// Go's dependencyGraph: functions are removed, their callers inheriting their dependencies.
std::vector<InitNode> dependency_graph(const std::vector<Symbol*>& objects) {
    std::vector<InitNode> graph;
    std::map<Symbol*, size_t> index;
    for (Symbol* obj : objects) index[obj] = graph.size(), graph.emplace_back(obj);
    for (InitNode& n : graph)
        for (Symbol* d : n.obj->deps)
            if (auto it = index.find(d); it != index.end()) {
                n.succ.insert(it->second);
                graph[it->second].pred.insert(index[n.obj]);
            }
    std::vector<size_t> funcs;
    for (size_t i = 0; i < graph.size(); i++)
        if (graph[i].obj->kind == SymbolKind::Func) funcs.push_back(i);
    std::stable_sort(funcs.begin(), funcs.end(), [&](size_t a, size_t b) {
        return graph[a].pred.size() * graph[a].succ.size() < graph[b].pred.size() * graph[b].succ.size();
    });
    for (size_t n : funcs) {
        for (size_t p : graph[n].pred) {
            if (p == n) continue;
            for (size_t s : graph[n].succ)
                if (s != n) graph[p].succ.insert(s), graph[s].pred.insert(p);
            graph[p].succ.erase(n);
        }
        for (size_t s : graph[n].succ) graph[s].pred.erase(n);
        graph[n].done = true;
    }
    for (InitNode& n : graph) n.ndeps = n.succ.size();
    return graph;
}

} // namespace

// Go's initOrder: variables are initialised when all they depend on is, the one with
// the fewest outstanding dependencies first, then in source order; a variable still
// waiting when its turn comes is in a cycle, reported with Go's wording.
void Checker::compute_init_order(Package& pkg) {
    std::vector<Symbol*> objects;
    for (TopLevel& item : pkg.file->items) {
        if (item.value && !item.value->script_global) // scripts initialise these in main
            for (Symbol* s : item.value->symbols)
                if (s) objects.push_back(s);
        if (item.func && item.func->symbol) objects.push_back(item.func->symbol);
    }
    std::vector<InitNode> graph = dependency_graph(objects);
    pkg.init_order.clear();
    for (;;) {
        InitNode* next = nullptr;
        for (InitNode& n : graph)
            if (!n.done && (!next || n.ndeps < next->ndeps ||
                            (n.ndeps == next->ndeps && n.obj->order < next->obj->order)))
                next = &n;
        if (!next) break;
        next->done = true;
        if (next->ndeps > 0) {
            std::set<Symbol*> seen;
            std::vector<Symbol*> cycle = find_path(next->obj, next->obj, seen);
            if (!cycle.empty()) report_cycle(cycle);
        }
        for (size_t p : next->pred) graph[p].ndeps--;
        ValueSpec* spec = next->obj->kind == SymbolKind::Var ? next->obj->spec : nullptr;
        if (!spec || next->obj->spec_index >= spec->values.size()) continue;
        auto& order = pkg.init_order;
        if (std::find(order.begin(), order.end(), spec) == order.end()) order.push_back(spec);
    }
}

void Checker::report_cycle(const std::vector<Symbol*>& cycle) {
    Symbol* obj = cycle[0];
    std::string msg = "initialization loop for " + obj->name;
    for (size_t i = cycle.size(); i-- > 0;) {
        msg += "\n\t" + position(obj->pos) + ": " + obj->name + " refers to";
        obj = cycle[i];
    }
    error(cycle[0]->pos, msg + "\n\t" + position(obj->pos) + ": " + obj->name);
}

} // namespace csp
