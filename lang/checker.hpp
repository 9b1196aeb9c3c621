// The type checker: resolves names through scopes, types every expression (exact
// constants included), checks statements with Go's rules and Go's error wording, and
// records what the compiler needs: symbols, captured variables, function list.
#pragma once
#include "lang/ast.hpp"
#include "lang/diagnostics.hpp"
#include "lang/types.hpp"

#include <functional>
#include <memory>
#include <unordered_map>

namespace csp {

enum class SymbolKind : uint8_t { Var, Const, TypeName, Func, Package, Builtin, Nil };

enum class Builtin : uint8_t {
    None, Len, Cap, Print, Println, Panic, Min, Max, Append, Make, New, Copy, Delete, Clear,
    Close, Recover, Complex, Real, Imag,
};

struct Package;
struct FunctionInfo;

struct Symbol {
    SymbolKind kind;
    std::string name;
    Pos pos;
    const Type* type = nullptr;
    Constant value;                 // constants
    bool used = false;
    bool global = false;            // package-level var/const/func
    bool captured = false;          // a local read or written by a nested function
    bool address_taken = false;     // a local whose address is taken (&x, x.PtrMethod())
    // Assigned after its declaration (or a named result, which return statements assign):
    // a captured local that is not is only ever read by other goroutines, after the go
    // statement that follows its one write, so -race need not watch it.
    bool reassigned = false;
    bool is_param = false;
    FunctionInfo* owner = nullptr;  // function declaring a local variable
    Builtin builtin = Builtin::None;
    Package* package = nullptr;     // Package symbols; and the package of globals
    FuncDecl* func_decl = nullptr;
    FunctionInfo* function = nullptr; // Func symbols
    // Lazy resolution of package-level declarations, in dependency order.
    ValueSpec* spec = nullptr;
    size_t spec_index = 0;
    TypeSpec* type_spec = nullptr;
    uint8_t resolve_state = 0; // 0 unresolved, 1 resolving, 2 done
    int index = -1;            // compiler: global slot, or function index for Func
    // Package-level names: declaration order, and the package-level vars, consts and funcs
    // that this one's initialiser or body refers to (Go's graph for initialisation order).
    int order = -1;
    std::vector<Symbol*> deps;

    // Locals shared by reference (captured or address-taken) live in a heap cell.
    bool needs_cell() const { return captured || address_taken; }
};

struct FunctionInfo {
    std::string name;              // for traces: main.main, main.f, main.main.func1
    FunctionInfo* parent = nullptr;
    const Type* signature = nullptr;
    std::vector<Symbol*> params;
    std::vector<Symbol*> results;  // named results, or unnamed placeholders
    bool named_results = false;
    std::vector<Symbol*> captures; // variables of enclosing functions used here
    int literal_count = 0;         // for naming nested function literals
    Pos pos;                       // the `func` keyword of the declaration or literal
    Block* body = nullptr;
    Package* package = nullptr;
    bool native = false;           // declared without body in a standard package
    bool method = false;           // params[0] is the receiver; signature excludes it
    // Defer statements and explicit returns, for Go's choice of open-coded defers (which
    // traces show); defer_wrappers counts the defers Go wraps in closures.
    int defer_count = 0;
    bool defer_in_loop = false;
    int return_count = 0;
    int defer_wrappers = 0;
    int index = -1;                // compiler: function index
};

struct Scope {
    Scope* parent = nullptr;
    FunctionInfo* function = nullptr;
    std::unordered_map<std::string, Symbol*> names;
};

struct Package {
    std::string path;
    std::string name;
    Scope* scope = nullptr;
    File* file = nullptr;
    std::unique_ptr<SourceFile> source;    // standard packages own their source
    std::unique_ptr<File> owned_file;
    std::vector<Symbol*> globals_in_order; // package-level variables, initialisation order
    std::vector<ValueSpec*> init_order;    // specs of initialised vars, in Go's initialisation order
    std::vector<FuncDecl*> method_decls;   // declarations with a receiver, in source order
    std::vector<FunctionInfo*> init_funcs; // func init() declarations, in source order
    std::vector<Package*> imports;         // the packages it imports (initialised first)
};

// Supplies the `.csp` declaration source of a standard package, or nullopt if unknown.
using PackageSource = std::function<std::optional<std::string>(const std::string& path)>;

struct CheckedProgram {
    TypeTable types;
    std::vector<std::unique_ptr<Symbol>> symbols;
    std::vector<std::unique_ptr<Scope>> scopes;
    std::vector<std::unique_ptr<FunctionInfo>> functions; // every function, packages first
    std::vector<std::unique_ptr<Package>> packages;       // imported packages, then main
    Package* main = nullptr;
    // The function runtime.main calls after initialisation: main.main, or the test
    // driver's entry for `csp test` (whose package may have any name).
    std::string entry = "main";
};

// Checks `file` (the main package or a script). Errors go to `diags`; the result is
// usable for compilation only when no error was reported.
std::unique_ptr<CheckedProgram> check_program(File& file, Diagnostics& diags,
                                              const PackageSource& packages);

// Checks a package of any name (a test package) that starts at its function `entry`
// rather than main.main. `file` may hold several files merged (lang/frontend.hpp).
std::unique_ptr<CheckedProgram> check_package_program(File& file, Diagnostics& diags,
                                                      const PackageSource& packages,
                                                      const std::string& entry);

} // namespace csp
