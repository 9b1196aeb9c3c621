// Script mode as a rewrite of the AST: statements into main.main, top-level variables
// into package-level ones initialised in order (ValueSpec::script_global), implicit
// imports of the standard packages a script names. The checker and compiler then see an
// ordinary main package; positions are the script's own, so errors point at its lines.
#include "lang/script.hpp"

#include <set>
#include <unordered_map>
#include <unordered_set>

namespace csp {

namespace {

bool ident_start(char c) { return std::isalpha((unsigned char)c) || c == '_' || (unsigned char)c >= 0x80; }
bool ident_char(char c) { return ident_start(c) || std::isdigit((unsigned char)c); }

// Skips a comment or a string, rune or raw string literal at text[i]; returns the offset
// after it, or i when there is none there.
size_t skip_non_code(const std::string& text, size_t i) {
    char c = text[i];
    if (c == '/' && i + 1 < text.size() && text[i + 1] == '/') {
        size_t end = text.find('\n', i);
        return end == std::string::npos ? text.size() : end;
    }
    if (c == '/' && i + 1 < text.size() && text[i + 1] == '*') {
        size_t end = text.find("*/", i + 2);
        return end == std::string::npos ? text.size() : end + 2;
    }
    if (c == '`') {
        size_t end = text.find('`', i + 1);
        return end == std::string::npos ? text.size() : end + 1;
    }
    if (c == '"' || c == '\'') {
        size_t k = i + 1;
        while (k < text.size() && text[k] != c && text[k] != '\n') k += text[k] == '\\' ? 2 : 1;
        return std::min(k + 1, text.size());
    }
    return i;
}

// Names used as `name.X` (not `x.name.X`) outside comments and literals, with the
// position of their first use.
std::vector<std::pair<std::string, uint32_t>> qualifier_names(const std::string& text) {
    std::vector<std::pair<std::string, uint32_t>> out;
    std::unordered_set<std::string> seen;
    size_t i = 0;
    while (i < text.size()) {
        size_t after = skip_non_code(text, i);
        if (after != i) {
            i = after;
            continue;
        }
        if (!ident_start(text[i])) {
            i++;
            continue;
        }
        size_t start = i;
        while (i < text.size() && ident_char(text[i])) i++;
        size_t before = start;
        while (before > 0 && (text[before - 1] == ' ' || text[before - 1] == '\t')) before--;
        bool selected = before > 0 && text[before - 1] == '.';
        if (!selected && i + 1 < text.size() && text[i] == '.' && ident_start(text[i + 1])) {
            std::string name = text.substr(start, i - start);
            if (seen.insert(name).second) out.push_back({name, uint32_t(start)});
        }
    }
    return out;
}

class ScriptRewriter {
  public:
    ScriptRewriter(File& file, Diagnostics& diags, const ScriptOptions& options)
        : m_file(file), m_diags(diags), m_options(options) {}

    void run() {
        if (repl()) replace_redeclared();
        if (m_options.show_expression) show_expression();
        build_main();
        if (!m_options.repl_package.empty()) settle(); // (imports __repl for the input too)
        import_used_packages();
        m_file.package_name = "main";
        m_file.is_script = false;
    }
    bool showed() const { return m_showed; }

  private:
    bool retained(const Node* n) const { return n->pos.offset < m_options.current_input; }
    bool repl() const { return !m_options.repl_package.empty(); }

    static std::string method_key(const FuncDecl* f) {
        const Expr* t = f->receiver->type;
        if (t && t->kind == ExprKind::Star) t = static_cast<const StarExpr*>(t)->operand;
        std::string type = t && t->kind == ExprKind::Name ? static_cast<const NameExpr*>(t)->name : "";
        return type + "." + f->name.name;
    }

    static uint32_t item_start(const TopLevel& item) {
        const Node* n = item.func ? static_cast<const Node*>(item.func)
                        : item.type ? static_cast<const Node*>(item.type)
                        : item.value ? static_cast<const Node*>(item.value)
                                     : static_cast<const Node*>(item.statement);
        return n->pos.offset;
    }

    // Identifiers (not selected fields) in the text between two offsets.
    std::unordered_set<std::string> identifiers(uint32_t from, uint32_t to) const {
        const std::string& text = m_file.source->text();
        std::unordered_set<std::string> out;
        size_t i = from;
        while (i < to && i < text.size()) {
            size_t after = skip_non_code(text, i);
            if (after != i) {
                i = after;
                continue;
            }
            if (!ident_start(text[i])) {
                i++;
                continue;
            }
            size_t start = i;
            while (i < text.size() && ident_char(text[i])) i++;
            if (start == 0 || text[start - 1] != '.') out.insert(text.substr(start, i - start));
        }
        return out;
    }

    // REPL: a declaration kept from an earlier input gives way to a later one of the same
    // name (a replaced type takes its methods with it).
    void replace_redeclared() {
        std::unordered_set<std::string> later, later_types;
        std::vector<TopLevel> kept;
        for (size_t k = m_file.items.size(); k-- > 0;) {
            TopLevel item = m_file.items[k];
            const Node* node = item.func ? static_cast<Node*>(item.func)
                               : item.type ? static_cast<Node*>(item.type)
                               : item.value ? static_cast<Node*>(item.value)
                                            : static_cast<Node*>(item.statement);
            bool old = retained(node);
            if (item.func) {
                std::string key = item.func->receiver ? method_key(item.func) : item.func->name.name;
                std::string type = key.substr(0, key.find('.'));
                if (old && (later.count(key) || (item.func->receiver && later_types.count(type)))) continue;
                later.insert(key);
            } else if (item.type) {
                if (old && later.count(item.type->name.name)) continue;
                later.insert(item.type->name.name);
                later_types.insert(item.type->name.name); // methods declared before it go
            } else if (item.value) {
                for (Ident& id : item.value->names) {
                    if (old && later.count(id.name)) id.name.assign(1, '_');
                    later.insert(id.name);
                }
            } else if (item.statement && item.statement->kind == StmtKind::Define) {
                // `x := x + 1` reads the x it would replace: it assigns x instead.
                auto* s = static_cast<AssignStmt*>(item.statement);
                uint32_t end = k + 1 < m_file.items.size() ? item_start(m_file.items[k + 1])
                                                           : uint32_t(m_file.source->text().size());
                std::unordered_set<std::string> read = identifiers(s->op_pos.offset, end);
                for (Expr* e : s->lhs)
                    if (!read.count(static_cast<NameExpr*>(e)->name)) later.insert(static_cast<NameExpr*>(e)->name);
            }
            kept.push_back(item);
        }
        m_file.items.assign(kept.rbegin(), kept.rend());
        // Imports of earlier inputs are kept once each, and none is "imported and not used".
        std::unordered_set<std::string> names;
        std::vector<ImportSpec*> imports;
        for (size_t k = m_file.imports.size(); k-- > 0;) {
            ImportSpec* imp = m_file.imports[k];
            imp->implicit = true;
            std::string name = imp->alias.empty() ? imp->path.substr(imp->path.rfind('/') + 1) : imp->alias;
            if (retained(imp) && names.count(name)) continue;
            names.insert(name);
            imports.insert(imports.begin(), imp);
        }
        m_file.imports = std::move(imports);
    }

    // fmt.Print, Println and Printf: their results (bytes written, error) are not shown.
    static bool prints_itself(const Expr* e) {
        if (e->kind != ExprKind::Call) return false;
        auto* callee = static_cast<const CallExpr*>(e)->callee;
        if (callee->kind != ExprKind::Selector) return false;
        auto* s = static_cast<const SelectorExpr*>(callee);
        return s->base->kind == ExprKind::Name && static_cast<const NameExpr*>(s->base)->name == "fmt" &&
               (s->field == "Print" || s->field == "Println" || s->field == "Printf");
    }

    // REPL: `expr` alone becomes `__repl.Show(expr)`.
    void show_expression() {
        ExprStmt* found = nullptr;
        for (TopLevel& item : m_file.items) {
            if (!item.statement || retained(item.statement)) continue;
            if (found || item.statement->kind != StmtKind::Expr) return;
            found = static_cast<ExprStmt*>(item.statement);
        }
        if (!found || prints_itself(found->expr)) return;
        CallExpr* call = repl_call("Show", found->expr->pos);
        call->args.push_back(found->expr);
        found->expr = call;
        m_showed = true;
    }

    // `__repl.NAME()`, importing the REPL's package on first use.
    CallExpr* repl_call(const char* name, Pos at) {
        auto* package = m_file.make<NameExpr>(at);
        package->name = show_package_name;
        auto* selector = m_file.make<SelectorExpr>(at);
        selector->base = package;
        selector->field = name;
        selector->field_pos = at;
        auto* call = m_file.make<CallExpr>(at);
        call->callee = selector;
        call->rparen = at;
        if (!m_repl_imported) {
            auto* imp = m_file.make<ImportSpec>(at);
            imp->alias = show_package_name;
            imp->path = m_options.repl_package;
            imp->path_pos = at;
            imp->implicit = true;
            m_file.imports.push_back(imp);
            m_repl_imported = true;
        }
        return call;
    }

    // REPL: main ends with `__repl.Settle()`, at the end of the input.
    void settle() {
        Block* body = m_file.items.back().func->body;
        auto* s = m_file.make<ExprStmt>(body->rbrace);
        s->expr = repl_call("Settle", body->rbrace);
        body->statements.push_back(s);
    }

    // main.main runs the statements in order; top-level variables are package-level ones
    // initialised by a DeclStmt where they stand (retained ones are never initialised).
    void build_main() {
        std::vector<TopLevel> items;
        auto* body = m_file.make<Block>(Pos{0});
        body->rbrace = Pos{uint32_t(m_file.source->text().size())};
        for (TopLevel& item : m_file.items) {
            if (item.value && !item.value->is_const) {
                item.value->script_global = true;
                for (Ident& id : item.value->names) m_variables.insert(id.name);
                if (!retained(item.value)) body->statements.push_back(declaration(item.value));
                items.push_back(item);
            } else if (item.statement && item.statement->kind == StmtKind::Define) {
                define(static_cast<AssignStmt*>(item.statement), items, body->statements);
            } else if (item.statement) {
                body->statements.push_back(item.statement);
            } else if (item.func && !item.func->receiver && item.func->name.name == "main") {
                m_diags.error(item.func->name.pos, "a script cannot declare func main: its statements are main");
            } else {
                items.push_back(item);
            }
        }
        Pos at = body->statements.empty() ? Pos{0} : body->statements[0]->pos;
        body->pos = at;
        auto* main = m_file.make<FuncDecl>(at);
        main->name = {"main", at};
        main->signature = m_file.make<FuncTypeExpr>(at);
        main->body = body;
        TopLevel item;
        item.func = main;
        items.push_back(item);
        m_file.items = std::move(items);
    }

    DeclStmt* declaration(ValueSpec* spec) {
        auto* d = m_file.make<DeclStmt>(spec->pos);
        d->values.push_back(spec);
        return d;
    }

    // `a, b := x, y` at the top level declares package-level a and b, as `var a, b = x, y`
    // would. As in a function body, a name the script declared before is assigned: it
    // is declared under a hidden name that is then assigned to it.
    void define(AssignStmt* s, std::vector<TopLevel>& items, std::vector<Stmt*>& body) {
        auto* spec = m_file.make<ValueSpec>(s->pos);
        spec->values = s->rhs;
        spec->script_global = true;
        auto* assign = m_file.make<AssignStmt>(s->pos, StmtKind::Assign);
        assign->op_pos = s->op_pos;
        bool fresh = false;
        for (Expr* e : s->lhs) {
            auto* name = static_cast<NameExpr*>(e);
            if (name->name == "_" || !m_variables.count(name->name)) {
                fresh |= name->name != "_";
                m_variables.insert(name->name);
                spec->names.push_back({name->name, name->pos});
                continue;
            }
            std::string hidden = name->name; // name·N
            hidden.append("\xC2\xB7").append(std::to_string(++m_hidden));
            spec->names.push_back({hidden, name->pos});
            auto* target = m_file.make<NameExpr>(name->pos);
            target->name = name->name;
            auto* value = m_file.make<NameExpr>(name->pos);
            value->name = hidden;
            assign->lhs.push_back(target);
            assign->rhs.push_back(value);
        }
        // (A REPL input's `x := x + 1` assigns the x of an earlier input.)
        if (!fresh && !repl())
            m_diags.error(s->op_pos, "no new variables on left side of :=");
        TopLevel item;
        item.value = spec;
        items.push_back(item);
        body.push_back(declaration(spec));
        if (!assign->lhs.empty()) body.push_back(assign);
    }

    // `strings.X` imports "strings" unless the script declares or imports the name.
    void import_used_packages() {
        if (!m_options.standard_package) return;
        std::unordered_set<std::string> declared = m_variables;
        for (ImportSpec* imp : m_file.imports) {
            std::string path = imp->path;
            declared.insert(imp->alias.empty() ? path.substr(path.rfind('/') + 1) : imp->alias);
        }
        for (TopLevel& item : m_file.items) {
            if (item.func && !item.func->receiver) declared.insert(item.func->name.name);
            if (item.type) declared.insert(item.type->name.name);
            if (item.value)
                for (Ident& id : item.value->names) declared.insert(id.name);
        }
        for (auto& [name, offset] : qualifier_names(m_file.source->text())) {
            if (declared.count(name)) continue;
            std::optional<std::string> path = m_options.standard_package(name);
            if (!path) continue;
            auto* imp = m_file.make<ImportSpec>(Pos{offset});
            imp->path = *path;
            imp->path_pos = Pos{offset};
            imp->implicit = true;
            m_file.imports.push_back(imp);
        }
    }

    File& m_file;
    Diagnostics& m_diags;
    const ScriptOptions& m_options;
    std::unordered_set<std::string> m_variables; // top-level variables declared so far
    int m_hidden = 0;
    bool m_repl_imported = false;
    bool m_showed = false; // an expression input became a call of Show
};

} // namespace

bool transform_script(File& file, Diagnostics& diags, const ScriptOptions& options) {
    ScriptRewriter rewriter(file, diags, options);
    rewriter.run();
    return rewriter.showed();
}

std::optional<std::string> standard_package_path(
    const std::string& name, const std::function<bool(const std::string& path)>& exists) {
    // Go's standard packages whose name is the last element of a longer path.
    static const std::unordered_map<std::string, std::string> nested = {
        {"atomic", "sync/atomic"}, {"rand", "math/rand"},   {"bits", "math/bits"},
        {"utf8", "unicode/utf8"},  {"filepath", "path/filepath"}, {"heap", "container/heap"},
        {"list", "container/list"}, {"errgroup", "golang.org/x/sync/errgroup"},
    };
    auto it = nested.find(name);
    std::string path = it != nested.end() ? it->second : name;
    if (exists(path)) return path;
    return std::nullopt;
}

} // namespace csp
