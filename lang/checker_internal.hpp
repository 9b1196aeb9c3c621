// The Checker class shared by the checker's source files (declarations, expressions,
// statements). Not part of lang's public interface.
#pragma once
#include "lang/checker.hpp"
#include "lang/parser.hpp"
#include "lang/prefetch.hpp"

#include <map>
#include <unordered_set>

namespace csp {

// Where a value is being assigned, for "cannot use ... in <context>" messages.
struct AssignContext {
    std::string what; // "assignment", "variable declaration", "argument to f", "return statement"
};

// Why an untyped operand cannot take a type (Go's codes from implicitTypeAndValue).
enum class ConvertError : uint8_t { None, Truncated, Overflows, InvalidConstant, InvalidUntyped };

// What Go's lookupFieldOrMethod found for a selector.
struct LookupResult {
    enum Kind : uint8_t { NotFound, Field, Method, Ambiguous, NeedsPointer } kind = NotFound;
    std::vector<uint32_t> path;            // field indices (for a method: to its receiver)
    const Type* type = nullptr;            // the field's type, or the method's signature
    const DeclaredMethod* method = nullptr;
    bool indirect = false;                 // a pointer was followed on the way
    bool interface_method = false;         // a method of an (embedded) interface type
};

class Checker {
  public:
    Checker(CheckedProgram& program, Diagnostics& diags, const PackageSource& packages)
        : m_program(program), m_types(program.types), m_diags(diags), m_packages(packages) {}

    void check_main(File& file);

  private:
    // ---- declarations (check_decl.cpp)
    void declare_universe();
    void check_package(Package& pkg, Diagnostics& diags);
    void collect(Package& pkg);
    void import_packages(Package& pkg);
    void resolve_global(Symbol* sym);
    void resolve_value_spec(ValueSpec* spec, Scope* scope, bool global);
    void const_spec(ValueSpec* spec, const Type* declared);
    void var_spec(ValueSpec* spec, const Type* declared);
    void check_arity(ValueSpec* spec, bool is_const);
    void resolve_type_spec(TypeSpec* spec, Symbol* sym);
    FunctionInfo* declare_function(FuncDecl* decl, Package& pkg);
    void check_function_body(FunctionInfo* fn);
    const Type* signature_type(FuncTypeExpr* f);
    const Type* resolve_type(Expr* e);
    void check_unused(Scope* scope);
    void add_dependency(Symbol* to);
    void compute_init_order(Package& pkg);
    void report_cycle(const std::vector<Symbol*>& cycle);

    // ---- struct and pointer types, methods, selectors, literals (check_types.cpp)
    const Type* struct_type(StructTypeExpr* e);
    void report_type_cycle(std::vector<Symbol*> cycle);
    bool valid_type(const Type* t, std::vector<const Type*>& path, bool& complete);
    void declare_methods(Package& pkg);
    const Type* declare_method(FuncDecl* d, Package& pkg);
    const Type* receiver_base(const Type* recv_type, Pos recv_pos, Package& pkg);
    struct Embedded;
    LookupResult lookup_field_or_method(const Type* t, const std::string& name, bool addressable);
    bool lookup_at_depth(const Embedded& e, const std::string& name, bool methods,
                         std::vector<const Type*>& seen, LookupResult& result,
                         std::vector<Embedded>& next);
    void value_selector(SelectorExpr* e);
    void method_expression(SelectorExpr* e, const LookupResult& r);
    void mark_addressed(Expr* e);
    void struct_literal(CompositeLit* e, const Type* base);
    void address_of(UnaryExpr* e);
    void star_expr(StarExpr* e);

    // ---- scopes and symbols
    Symbol* new_symbol(SymbolKind kind, const std::string& name, Pos pos, const Type* type);
    Scope* open_scope();
    void close_scope();
    void declare(Scope* scope, Symbol* sym);
    Symbol* lookup(const std::string& name);
    Symbol* in_file_scope(Symbol* s, Pos pos); // a package name in a package of several files
    std::string position(Pos pos) const;
    void use_symbol(Symbol* sym);

    // ---- expressions (check_expr.cpp)
    void expr(Expr* e, const Type* hint = nullptr);
    void expr_or_type(Expr* e, const Type* hint = nullptr);
    void multi_expr(Expr* e, const Type* hint = nullptr); // allows tuple-valued calls
    void name_expr(NameExpr* e);
    void literal(BasicLit* e);
    void selector(SelectorExpr* e);
    void unary(UnaryExpr* e, const Type* hint);
    void binary(BinaryExpr* e, const Type* hint);
    void shift(BinaryExpr* e, const Type* hint);
    void comparison(BinaryExpr* e, bool switch_case = false);
    void call(CallExpr* e);
    void builtin_call(CallExpr* e, Builtin b);
    void conversion(CallExpr* e, const Type* target);
    void func_literal(FuncLit* e);
    void index_expr(IndexExpr* e);
    void unsupported(Expr* e, const std::string& feature);
    bool convert_untyped(Expr* e, const Type* target);
    ConvertError implicit_type(const Expr* x, const Type* target, const Type*& result) const;
    void apply_implicit(Expr* x, const Type* result);
    bool convert_operand(Expr* x, const Type* target);
    bool operand_assignable(const Expr* x, const Type* target);
    bool check_value(Expr* e);
    bool check_overflow(Expr* e, Pos at_op, const char* op_name);
    void fold_binary(BinaryExpr* e);
    bool assign(Expr* e, const Type* target, const AssignContext& ctx);
    bool assignable(const Type* from, const Type* to);
    void default_untyped(Expr* e);
    std::string describe(const Expr* e) const;
    std::string describe_types(const std::vector<Expr*>& es) const;
    void set_type_deep(Expr* e, const Type* t);

    // ---- interfaces (check_iface.cpp)
    const Type* interface_type(InterfaceTypeExpr* e);
    std::string missing_method(const Type* t, const Type* iface);
    void type_assert(TypeAssertExpr* e);
    bool assert_comma_ok(Expr* rhs);
    void type_case_values(CaseClause* c, Expr* guard, bool guard_ok,
                          std::vector<std::pair<const Type*, Pos>>& seen);
    void type_switch(SwitchStmt* s);
    bool interface_selector(SelectorExpr* e, const LookupResult& r);

    // ---- channels and goroutines (check_chan.cpp)
    const Type* chan_type(ChanTypeExpr* e);
    void receive(UnaryExpr* e);
    bool comma_ok(Expr* rhs, size_t targets);
    // maps (check_maps.cpp)
    const Type* map_type(MapTypeExpr* e);
    void map_index(IndexExpr* e);
    bool map_comma_ok(Expr* rhs);
    void make_map(CallExpr* e, const Type* t);
    void builtin_delete(CallExpr* e);
    void map_literal(CompositeLit* e, const Type* t);
    void send_stmt(SendStmt* s);
    void make_chan(CallExpr* e, const Type* t);
    bool size_argument(Expr* x);
    void close_call(CallExpr* e);
    void select_stmt(SwitchStmt* s);
    void select_case(Stmt* comm);
    // ---- arrays and slices (check_composite.cpp)
    const Type* array_type(ArrayTypeExpr* e);
    int64_t array_length(Expr* e);
    bool valid_index(Expr* x, const char* what, bool allow_negative);
    bool check_index(Expr* index, int64_t max, int64_t& value);
    void index_sequence(IndexExpr* e);
    void slice_expr(SliceExpr* e);
    void composite_lit(CompositeLit* e, const Type* hint);
    void check_elements(CompositeLit* e);
    int64_t indexed_elements(std::vector<Expr*>& elements, const Type* elem, int64_t length);
    void builtin_len_cap(CallExpr* e, Builtin b);
    void builtin_append(CallExpr* e);
    void builtin_copy(CallExpr* e);
    void builtin_make(CallExpr* e);
    void builtin_clear(CallExpr* e);
    bool string_convertible(const Type* from, const Type* to) const;

    // ---- statements (check_stmt.cpp)
    void block(Block* b, bool new_scope = true);
    void statement(Stmt* s);
    void statements(std::vector<Stmt*>& list);
    void assignment(AssignStmt* s);
    void define(AssignStmt* s);
    void assign_to(Expr* lhs, Expr* rhs, const Type* rhs_type);
    void compound_assignment(AssignStmt* s);
    bool assign_var(Expr* lhs, Expr* x);
    bool init_var(Symbol* lhs, Expr* x, const AssignContext& ctx);
    void init_vars(const std::vector<Symbol*>& lhs, std::vector<Expr*>& rhs, const AssignContext& ctx);
    bool init_from_tuple(Symbol* lhs, Expr* call, const Type* member, const AssignContext& ctx);
    void assignment_mismatch(const std::vector<Expr*>& rhs, size_t vars, size_t values);
    void mark_used(Expr* lhs);
    void check_lvalue(Expr* lhs);
    void var_decl_stmt(DeclStmt* d);
    void if_stmt(IfStmt* s);
    void for_stmt(ForStmt* s);
    void range_stmt(RangeStmt* s);
    void switch_stmt(SwitchStmt* s);
    void case_values(CaseClause* c, Expr* tag, std::vector<Expr*>& seen);
    void return_stmt(ReturnStmt* s);
    void branch_stmt(BranchStmt* s);
    void expr_stmt(ExprStmt* s);
    void defer_stmt(GoDeferStmt* s);
    bool terminates(Stmt* s);
    bool terminates_list(const std::vector<Stmt*>& list);
    bool has_break(Stmt* s, Stmt* target);
    std::string take_label();

    // While an inherited constant initialiser is checked, its errors go to the constant's
    // name (m_error_pos), as in Go.
    void error(Pos pos, std::string message) {
        m_current_diags->error(m_error_pos ? *m_error_pos : pos, std::move(message));
    }

    CheckedProgram& m_program;
    TypeTable& m_types;
    Diagnostics& m_diags;
    Diagnostics* m_current_diags = &m_diags;
    const PackageSource& m_packages;
    Scope* m_universe = nullptr;
    Scope* m_scope = nullptr;
    Package* m_package = nullptr;
    FunctionInfo* m_function = nullptr;
    std::unordered_map<std::string, Package*> m_loaded; // standard packages by path
    std::unique_ptr<PackagePrefetch> m_prefetch;         // while check_main imports
    std::unordered_map<const Package*, Symbol*> m_dot_imports; // `import . "p"`: its symbol, for "not used"
    // Enclosing breakable/continuable statements and labels, innermost last.
    struct Target {
        Stmt* stmt;
        std::string label;
        bool loop;
    };
    std::vector<Target> m_targets;
    std::vector<LabeledStmt*> m_labels;
    std::vector<Symbol*> m_locals; // every local of the current function, for unused checks
    std::vector<Symbol*> m_type_path; // named types whose underlying type is being resolved
    std::unordered_set<const Type*> m_valid_types; // named types checked by valid_type
    // Errors Go's compiler reports after type checking, so only when there is no other.
    std::vector<std::pair<Pos, std::string>> m_late_errors;
    // Imports of a package of several files, by (file, name): Go's file scopes.
    std::map<std::pair<std::string, std::string>, Symbol*> m_file_imports;
    int m_iota = -1;
    LabeledStmt* m_pending_label = nullptr;
    bool m_fallthrough_ok = false;
    int m_package_literals = 0; // function literals in package-level initialisers
    std::optional<Pos> m_error_pos;
    Symbol* m_decl = nullptr; // the package-level declaration being checked, for its deps
    int m_next_order = 0;     // declaration order of package-level names
    const BinaryExpr* m_compound = nullptr; // the implicit `x op y` of `x op= y` being checked
    bool m_has_call = false; // the expression being checked calls a function (Go's hasCallOrRecv)
};

} // namespace csp
