// ReplSession::compile: the kept declarations plus the new input, parsed as one script at
// the session's own line numbers, rewritten by script mode (declarations of earlier
// inputs kept but never run, replaced by later ones), checked, and compiled into the
// session's program. An expression input is first tried as a call printing its value.
#include "lang/repl_session.hpp"

#include "lang/parser.hpp"
#include "lang/script.hpp"

#include <algorithm>
#include <cctype>
#include <sstream>
#include <stdexcept>

namespace csp {

namespace {

bool word_char(char c) { return std::isalnum((unsigned char)c) || c == '_' || (unsigned char)c >= 0x80; }

// Where the declaration holding the spec at `pos` starts: its `var`/`const`/`type`/
// `import` keyword when the spec is the first of its declaration.
uint32_t declaration_start(const std::string& text, uint32_t pos, uint32_t floor) {
    size_t i = pos;
    auto skip_space = [&] {
        while (i > floor && std::isspace((unsigned char)text[i - 1])) i--;
    };
    skip_space();
    if (i > floor && text[i - 1] == '(') {
        i--;
        skip_space();
    }
    for (std::string_view keyword : {"var", "const", "type", "import"}) {
        size_t n = keyword.size();
        if (i >= floor + n && text.compare(i - n, n, keyword) == 0 && (i - n == floor || !word_char(text[i - n - 1])))
            return uint32_t(i - n);
    }
    return pos;
}

// Whether the spec at `pos` is inside a parenthesised group (`var ( ... )`).
bool in_group(const std::string& text, uint32_t pos, uint32_t floor) {
    size_t i = pos;
    while (i > floor && std::isspace((unsigned char)text[i - 1])) i--;
    return i > floor && text[i - 1] == '(';
}

void blank(std::string& text, size_t from, size_t to) {
    for (size_t k = from; k < to && k < text.size(); k++)
        if (text[k] != '\n') text[k] = ' ';
}

} // namespace

// One compilation of one input: the text, and what the input leaves for later ones.
struct ReplSession::Attempt {
    std::string text;    // the kept declarations, then the input
    uint32_t start = 0;  // where the input starts in `text`
    bool showed = false; // the input was an expression, compiled as a call printing it
    std::string kept;    // on success: the input reduced to its declarations
    uint32_t entry = 0;  // on success: the function to run
};

ReplSession::ReplSession(FrontendOptions options, std::string show_package, std::string name)
    : m_options(std::move(options)), m_show_package(std::move(show_package)), m_name(std::move(name)),
      m_program(std::make_unique<Program>()) {
    m_program->file_path = m_name;
}

std::optional<uint32_t> ReplSession::compile(const std::string& input, std::ostream& errors) {
    Attempt work;
    work.text = m_kept + input;
    work.start = uint32_t(m_kept.size());
    bool ok = false;
    run_with_stack(frontend_stack_bytes, [&] {
        std::ostringstream first_errors;
        ok = attempt(work, true, first_errors);
        if (ok || !work.showed) {
            errors << first_errors.str();
            return;
        }
        // Not a value to print (a call of no value): compile it as it stands. When that
        // fails too, the first errors are the ones that say why.
        std::ostringstream second_errors;
        ok = attempt(work, false, second_errors);
        if (!ok) errors << first_errors.str();
    });
    if (!ok) {
        skip(input);
        return std::nullopt;
    }
    m_lines += uint32_t(std::count(input.begin(), input.end(), '\n'));
    m_kept += work.kept;
    return work.entry;
}

std::optional<std::string> ReplSession::type_of(const std::string& expression, std::ostream& errors) {
    std::optional<std::string> result;
    run_with_stack(frontend_stack_bytes, [&] {
        std::string text = m_kept + expression + "\n";
        SourceFile source(m_name, text);
        Diagnostics diags(source);
        std::unique_ptr<File> file = parse_file(source, diags);
        if (file && !file->is_script) diags.error(file->package_pos, "not an expression");
        if (!file || diags.has_errors()) {
            diags.print(errors);
            return;
        }
        ScriptOptions script = script_options(m_options);
        script.current_input = uint32_t(m_kept.size());
        script.repl_package = m_show_package;
        script.show_expression = true;
        if (!transform_script(*file, diags, script)) {
            errors << "csp: :type takes one expression\n";
            return;
        }
        std::unique_ptr<CheckedProgram> checked = check_program(*file, diags, m_options.packages);
        if (diags.has_errors()) {
            diags.print(errors);
            return;
        }
        // The input is main's first statement: the call of Show around the expression.
        Block* body = file->items.back().func->body;
        auto* call = static_cast<CallExpr*>(static_cast<ExprStmt*>(body->statements.front())->expr);
        const Type* type = call->args[0]->type;
        if (type && type->cls == TypeClass::Tuple) {
            std::string spelled = "(";
            for (size_t i = 0; i < type->params.size(); i++)
                spelled += (i ? ", " : "") + type->params[i]->spelling();
            result = spelled + ")";
        } else {
            result = type ? type->spelling() : "invalid type";
        }
    });
    return result;
}

void ReplSession::skip(const std::string& input) {
    m_lines += uint32_t(std::count(input.begin(), input.end(), '\n'));
    std::string lines = input;
    blank(lines, 0, lines.size());
    m_kept += lines;
}

namespace {

// Where the input's statements (and lone `var` declarations) stand, and the names each
// declares: what the kept text blanks out or turns into `var name T;`.
struct Span {
    uint32_t from, to;
    std::vector<std::string> defined;
};

const Node* item_node(const TopLevel& item) {
    return item.func ? static_cast<const Node*>(item.func)
           : item.type ? static_cast<const Node*>(item.type)
           : item.value ? static_cast<const Node*>(item.value)
                        : static_cast<const Node*>(item.statement);
}

std::vector<Span> statement_spans(const File& file, const std::string& text, uint32_t start) {
    std::vector<uint32_t> starts; // where each item of the input starts, keyword included
    for (const TopLevel& item : file.items) {
        const Node* n = item_node(item);
        if (n->pos.offset < start) continue;
        starts.push_back(item.statement ? n->pos.offset : declaration_start(text, n->pos.offset, start));
    }
    for (const ImportSpec* imp : file.imports)
        if (imp->pos.offset >= start) starts.push_back(declaration_start(text, imp->pos.offset, start));
    std::sort(starts.begin(), starts.end());
    std::vector<Span> spans;
    for (const TopLevel& item : file.items) {
        // A lone `var` declaration is kept as `var name T;` too: its initialiser must not
        // be checked again against later redefinitions (a group is kept as written).
        uint32_t at = item_node(item)->pos.offset;
        bool lone_var = item.value && !item.value->is_const && at >= start &&
                        declaration_start(text, at, start) != at && !in_group(text, at, start);
        if (!lone_var && (!item.statement || at < start)) continue;
        uint32_t from = lone_var ? declaration_start(text, at, start) : at;
        auto next = std::upper_bound(starts.begin(), starts.end(), from);
        Span span{from, next == starts.end() ? uint32_t(text.size()) : *next, {}};
        if (lone_var)
            for (const Ident& id : item.value->names) span.defined.push_back(id.name);
        else if (item.statement->kind == StmtKind::Define)
            for (const Expr* e : static_cast<const AssignStmt*>(item.statement)->lhs)
                span.defined.push_back(static_cast<const NameExpr*>(e)->name);
        spans.push_back(span);
    }
    return spans;
}

// What later inputs see of the input: its declarations, `var name T;` for its variables.
std::string kept_text(const std::string& text, uint32_t start, const std::vector<Span>& spans,
                      const CheckedProgram& checked) {
    std::string kept = text.substr(start);
    for (auto span = spans.rbegin(); span != spans.rend(); ++span) {
        size_t from = span->from - start, to = span->to - start;
        blank(kept, from, to);
        std::string declared;
        for (const std::string& name : span->defined) {
            auto found = checked.main->scope->names.find(name);
            if (name == "_" || found == checked.main->scope->names.end() || !found->second->type) continue;
            declared += "var " + name + " " + found->second->type->spelling() + ";";
        }
        size_t room = 0;
        while (from + room < to && kept[from + room] == ' ') room++;
        kept.replace(from, std::min(room, declared.size()), declared);
    }
    return kept;
}

// The session's top-level names, for completion.
std::vector<std::string> session_names(const CheckedProgram& checked) {
    std::vector<std::string> names;
    for (const auto& [name, symbol] : checked.main->scope->names)
        if (name.find("\xC2\xB7") == std::string::npos && name != "main" && name != "_" &&
            symbol->kind != SymbolKind::Package)
            names.push_back(name);
    return names;
}

} // namespace

bool ReplSession::attempt(Attempt& work, bool show, std::ostream& errors) {
    SourceFile source(m_name, work.text);
    Diagnostics diags(source);
    std::unique_ptr<File> file = parse_file(source, diags);
    if (file && !file->is_script) diags.error(file->package_pos, "a package clause cannot be a REPL input");
    if (!file || diags.has_errors()) {
        diags.print(errors);
        return false;
    }
    std::vector<Span> spans = statement_spans(*file, work.text, work.start);
    ScriptOptions script = script_options(m_options);
    script.current_input = work.start;
    script.repl_package = m_show_package;
    script.show_expression = show;
    work.showed = transform_script(*file, diags, script);
    std::unique_ptr<CheckedProgram> checked = check_program(*file, diags, m_options.packages);
    if (diags.has_errors()) {
        diags.print(errors);
        return false;
    }
    work.kept = kept_text(work.text, work.start, spans, *checked);
    if (!compile_checked(*checked, work, errors)) return false;
    m_names = session_names(*checked);
    return true;
}

// Compiles into the session's program; a failure leaves it as it was.
bool ReplSession::compile_checked(CheckedProgram& checked, Attempt& work, std::ostream& errors) {
    size_t functions = m_program->functions.size(), types = m_program->types.size();
    uint32_t globals = m_program->global_slots;
    size_t error_types = m_program->runtime_error_types.size();
    SessionTables tables = m_tables;
    try {
        work.entry = compile_program_into(checked, m_options.natives, *m_program, m_tables);
        if (m_program->functions.size() > 0xFFF0 || m_program->types.size() > 0xFFF0)
            throw std::runtime_error("the session has grown too large to compile more; :reset");
    } catch (const std::runtime_error& error) {
        m_program->functions.resize(functions);
        m_program->types.resize(types);
        m_program->global_slots = globals;
        m_program->runtime_error_types.resize(error_types);
        m_tables = std::move(tables);
        errors << "csp: " << error.what() << "\n";
        return false;
    }
    return true;
}

std::vector<std::string> ReplSession::completions(const std::string& word) const {
    std::vector<std::string> out;
    auto starts = [](const std::string& s, const std::string& prefix) { return s.compare(0, prefix.size(), prefix) == 0; };
    size_t dot = word.rfind('.');
    if (dot != std::string::npos) { // pkg.Pre: the package's exported names
        std::string package = word.substr(0, dot), prefix = word.substr(dot + 1);
        std::optional<std::string> source;
        if (auto path = script_options(m_options).standard_package(package)) source = m_options.packages(*path);
        if (!source) return out;
        SourceFile file(package, *source);
        Diagnostics diags(file);
        std::unique_ptr<File> parsed = parse_file(file, diags);
        if (!parsed) return out;
        for (TopLevel& item : parsed->items) {
            std::vector<std::string> names;
            if (item.func && !item.func->receiver) names.push_back(item.func->name.name);
            if (item.type) names.push_back(item.type->name.name);
            if (item.value)
                for (Ident& id : item.value->names) names.push_back(id.name);
            for (const std::string& name : names)
                if (std::isupper((unsigned char)name[0]) && starts(name, prefix)) out.push_back(package + "." + name);
        }
    } else {
        static const char* const words[] = {
            "break", "case", "chan", "const", "continue", "default", "defer", "else", "fallthrough",
            "for", "func", "go", "goto", "if", "import", "interface", "map", "package", "range",
            "return", "select", "struct", "switch", "type", "var", "append", "cap", "clear", "close",
            "copy", "delete", "len", "make", "max", "min", "new", "panic", "print", "println",
            "recover", "bool", "byte", "error", "float32", "float64", "int", "int8", "int16", "int32",
            "int64", "rune", "string", "uint", "uint8", "uint16", "uint32", "uint64", "uintptr", "any",
            "true", "false", "nil", "iota",
        };
        static const char* const packages[] = {
            "fmt", "os", "strconv", "time", "sync", "runtime", "atomic", "strings", "math", "sort",
            "errors", "unicode", "bytes", "rand", "utf8", "context", "bufio", "io", "errgroup",
        };
        for (const char* w : words)
            if (starts(w, word)) out.push_back(w);
        auto package_path = script_options(m_options).standard_package;
        for (const char* p : packages)
            if (starts(p, word) && package_path(p)) out.push_back(p);
        for (const std::string& name : m_names)
            if (starts(name, word)) out.push_back(name);
    }
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
}

} // namespace csp
