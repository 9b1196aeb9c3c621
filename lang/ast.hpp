// The abstract syntax tree built by the parser and annotated in place by the checker
// (types, constant values, resolved symbols). Nodes live in the File's arena and are
// referenced by raw pointers that stay valid as long as the File does.
#pragma once
#include "lang/constant.hpp"
#include "lang/source.hpp"

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace csp {

class Type;
struct Symbol;
struct FunctionInfo;

struct Node {
    Pos pos;
    virtual ~Node() = default;
};

// ---- expressions ----------------------------------------------------------------------

enum class ExprKind : uint8_t {
    Name, IntLit, FloatLit, ImagLit, RuneLit, StringLit, BadLit, CompositeLit, FuncLit, Paren,
    Selector, Index, Slice, TypeAssert, Call, Unary, Star, Binary, KeyValue,
    ArrayType, MapType, ChanType, FuncType, StructType, InterfaceType, Ellipsis,
};

// Operators, in Go's spelling; precedence in parser.cpp.
enum class Op : uint8_t {
    Add, Sub, Mul, Div, Rem, And, Or, Xor, Shl, Shr, AndNot, LogAnd, LogOr,
    Eq, Ne, Lt, Le, Gt, Ge, Not, Arrow, Addr, None,
};
const char* op_spelling(Op op);

// How the checker classified an expression (Go's "operand modes").
enum class Mode : uint8_t { Invalid, NoValue, Value, Variable, Constant, Type, Builtin, Package, MapIndex, CommaOk };

struct Expr : Node {
    ExprKind kind;
    Mode mode = Mode::Invalid;
    const Type* type = nullptr; // set by the checker
    Constant value;             // set when mode == Constant
    explicit Expr(ExprKind k) : kind(k) {}
};

struct NameExpr : Expr {
    std::string name;
    Symbol* symbol = nullptr;
    NameExpr() : Expr(ExprKind::Name) {}
};

struct BasicLit : Expr {
    std::string text; // the literal as written
    explicit BasicLit(ExprKind k) : Expr(k) {}
};

struct FuncTypeExpr;
struct Block;

struct CompositeLit : Expr {
    Expr* type_expr = nullptr; // null when elided inside an outer literal
    std::vector<Expr*> elements; // KeyValueExpr or plain values
    Pos rbrace;
    CompositeLit() : Expr(ExprKind::CompositeLit) {}
};

struct FuncLit : Expr {
    FuncTypeExpr* signature = nullptr;
    Block* body = nullptr;
    FunctionInfo* info = nullptr; // set by the checker
    FuncLit() : Expr(ExprKind::FuncLit) {}
};

struct ParenExpr : Expr {
    Expr* inner = nullptr;
    ParenExpr() : Expr(ExprKind::Paren) {}
};

// What a selector x.f denotes, decided by the checker.
enum class Selection : uint8_t {
    Qualified,   // pkg.Name: `symbol`
    Field,       // a struct field, reached through `path`
    MethodValue, // x.m: `symbol` is the method, its receiver reached through `path`
    MethodExpr,  // T.m or (*T).m: a function taking the receiver first
    InterfaceMethod,     // x.m of an interface method, x's interface reached through `path`
    InterfaceMethodExpr, // I.m: a function taking the interface value first
    PromotedMethodExpr,  // T.m of a method promoted through embedded fields (`path`)
};

struct SelectorExpr : Expr {
    Expr* base = nullptr;
    std::string field;
    Pos field_pos;
    Symbol* symbol = nullptr; // qualified identifier pkg.Name, or the selected method
    Selection selection = Selection::Qualified;
    // Field indices from the base's struct type (through a pointer base) down the
    // embedded fields: the selected field is the last; for a method, the path ends at
    // the embedded value whose type declares it. Embedded pointers are followed.
    std::vector<uint32_t> path;
    SelectorExpr() : Expr(ExprKind::Selector) {}
};

struct IndexExpr : Expr {
    Expr* base = nullptr;
    Expr* index = nullptr;
    Pos lbrack; // where Go reports "cannot index"
    bool comma_ok = false; // a map index yielding (value, ok): set by the checker
    IndexExpr() : Expr(ExprKind::Index) {}
};

struct SliceExpr : Expr {
    Expr* base = nullptr;
    Expr* low = nullptr;
    Expr* high = nullptr;
    Expr* max = nullptr;
    bool three_index = false;
    SliceExpr() : Expr(ExprKind::Slice) {}
};

struct TypeAssertExpr : Expr {
    Expr* base = nullptr;
    Expr* type_expr = nullptr; // null for x.(type) in a type switch
    bool comma_ok = false;     // yielding (value, ok): set by the checker
    const Type* asserted = nullptr; // T, set by the checker
    TypeAssertExpr() : Expr(ExprKind::TypeAssert) {}
};

enum class CallKind : uint8_t { Function, Conversion, Builtin };

struct CallExpr : Expr {
    Expr* callee = nullptr;
    CallKind call_kind = CallKind::Function; // set by the checker
    uint8_t builtin = 0;                     // a Builtin (checker.hpp) when call_kind is Builtin
    std::vector<Expr*> args;
    bool spread = false; // f(xs...)
    Pos rparen;
    CallExpr() : Expr(ExprKind::Call) {}
};

struct UnaryExpr : Expr {
    Op op = Op::None;
    Expr* operand = nullptr;
    bool comma_ok = false; // a receive yielding (value, ok): set by the checker
    UnaryExpr() : Expr(ExprKind::Unary) {}
};

// `*x`: a pointer type or a dereference, decided by the checker.
struct StarExpr : Expr {
    Expr* operand = nullptr;
    StarExpr() : Expr(ExprKind::Star) {}
};

struct BinaryExpr : Expr {
    Op op = Op::None;
    Expr* left = nullptr;
    Expr* right = nullptr;
    Pos op_pos;
    BinaryExpr() : Expr(ExprKind::Binary) {}
};

struct KeyValueExpr : Expr {
    Expr* key = nullptr;
    Expr* value = nullptr;
    Pos colon; // Go reports errors about the element here
    KeyValueExpr() : Expr(ExprKind::KeyValue) {}
};

struct ArrayTypeExpr : Expr { // [N]T, [...]T (length is an Ellipsis node) or []T (no length)
    Expr* length = nullptr;
    Expr* element = nullptr;
    ArrayTypeExpr() : Expr(ExprKind::ArrayType) {}
};

struct MapTypeExpr : Expr {
    Expr* key = nullptr;
    Expr* value = nullptr;
    MapTypeExpr() : Expr(ExprKind::MapType) {}
};

enum class ChanDir : uint8_t { Both, Send, Recv };

struct ChanTypeExpr : Expr {
    ChanDir dir = ChanDir::Both;
    Expr* element = nullptr;
    ChanTypeExpr() : Expr(ExprKind::ChanType) {}
};

struct Ident {
    std::string name;
    Pos pos;
};

struct Field {
    std::vector<Ident> names; // empty for an unnamed parameter or an embedded field
    Expr* type = nullptr;
    std::string tag;
    bool variadic = false;
    Pos pos;
};

struct FuncTypeExpr : Expr {
    std::vector<Field> params;
    std::vector<Field> results;
    FuncTypeExpr() : Expr(ExprKind::FuncType) {}
};

struct StructTypeExpr : Expr {
    std::vector<Field> fields;
    StructTypeExpr() : Expr(ExprKind::StructType) {}
};

struct InterfaceMethod {
    Ident name;
    FuncTypeExpr* signature = nullptr;
};

struct InterfaceTypeExpr : Expr {
    std::vector<InterfaceMethod> methods;
    std::vector<Expr*> embedded;
    InterfaceTypeExpr() : Expr(ExprKind::InterfaceType) {}
};

struct EllipsisExpr : Expr {
    EllipsisExpr() : Expr(ExprKind::Ellipsis) {}
};

// ---- declarations ---------------------------------------------------------------------

struct ValueSpec : Node { // one line of a var or const declaration
    std::vector<Ident> names;
    Expr* type = nullptr;
    std::vector<Expr*> values; // for consts, inherited from the previous spec when empty
    bool is_const = false;
    bool values_inherited = false;
    int iota = 0;
    std::vector<Symbol*> symbols; // set by the checker
    // A script's top-level variable (lang/script.cpp): package-level, but initialised by
    // a DeclStmt of main.main where the declaration stands, not by main.init.
    bool script_global = false;
};

struct TypeSpec : Node {
    Ident name;
    bool alias = false;
    Expr* type = nullptr;
    Symbol* symbol = nullptr;
};

struct ImportSpec : Node {
    std::string alias; // "", "_", "." or a name
    std::string path;
    Pos path_pos;
    Symbol* symbol = nullptr;
    bool implicit = false; // made by script mode on first use: never "imported and not used"
};

struct FuncDecl : Node {
    Ident name;
    std::optional<Field> receiver;
    FuncTypeExpr* signature = nullptr;
    Block* body = nullptr; // null for a native (stdlib) function
    Symbol* symbol = nullptr;
    FunctionInfo* info = nullptr;
};

// ---- statements -----------------------------------------------------------------------

enum class StmtKind : uint8_t {
    Expr, Send, IncDec, Assign, Define, Decl, Go, Defer, Return, Break, Continue, Goto,
    Fallthrough, Block, If, Switch, TypeSwitch, Select, For, Range, Labeled, Empty,
};

struct Stmt : Node {
    StmtKind kind;
    explicit Stmt(StmtKind k) : kind(k) {}
};

struct ExprStmt : Stmt {
    Expr* expr = nullptr;
    ExprStmt() : Stmt(StmtKind::Expr) {}
};

struct SendStmt : Stmt {
    Expr* channel = nullptr;
    Expr* value = nullptr;
    SendStmt() : Stmt(StmtKind::Send) {}
};

struct IncDecStmt : Stmt {
    Expr* target = nullptr;
    bool increment = true;
    IncDecStmt() : Stmt(StmtKind::IncDec) {}
};

struct AssignStmt : Stmt { // `=`, `op=`, or `:=` (kind Define)
    std::vector<Expr*> lhs;
    std::vector<Expr*> rhs;
    Op op = Op::None; // for op-assignment
    Pos op_pos;
    std::vector<bool> is_new; // Define: which names are newly declared
    explicit AssignStmt(StmtKind k) : Stmt(k) {}
};

struct DeclStmt : Stmt { // var/const/type inside a function
    std::vector<ValueSpec*> values;
    std::vector<TypeSpec*> types;
    DeclStmt() : Stmt(StmtKind::Decl) {}
};

struct GoDeferStmt : Stmt {
    // The call; for an expression that is not one, the parser makes `expr()` of it, as
    // Go's parser does, so that checking goes on after the error.
    CallExpr* call = nullptr;
    Expr* expr = nullptr; // as written (for "must be function call" errors)
    // defer: 1-based rank among the function's defers that Go wraps in a closure (calls
    // of builtins, or of functions with parameters or results), 0 if not wrapped; the
    // wrapper is named after the function's literals (the checker sets it).
    int wrapper = 0;
    explicit GoDeferStmt(StmtKind k) : Stmt(k) {}
};

struct ReturnStmt : Stmt {
    std::vector<Expr*> results;
    FunctionInfo* function = nullptr; // set by the checker
    ReturnStmt() : Stmt(StmtKind::Return) {}
};

struct LabeledStmt;

struct BranchStmt : Stmt { // break, continue, goto, fallthrough
    Ident label;
    Stmt* target = nullptr; // the loop/switch/select it leaves or continues
    explicit BranchStmt(StmtKind k) : Stmt(k) {}
};

struct Block : Stmt {
    std::vector<Stmt*> statements;
    Pos rbrace;
    Block() : Stmt(StmtKind::Block) {}
};

struct IfStmt : Stmt {
    Stmt* init = nullptr;
    Expr* condition = nullptr;
    Block* then_block = nullptr;
    Stmt* else_branch = nullptr; // Block or IfStmt
    IfStmt() : Stmt(StmtKind::If) {}
};

struct CaseClause : Node {
    std::vector<Expr*> values; // empty for default
    bool is_default = false;
    std::vector<Stmt*> body;
    Pos colon;
    Symbol* implicit = nullptr; // type switch: the clause's own binding
    Stmt* comm = nullptr;       // select: the send or receive statement, null for default
};

struct SwitchStmt : Stmt { // expression, type, or select switch by kind
    Stmt* init = nullptr;
    Expr* tag = nullptr;          // expression switch; null when tagless
    Ident binding;                // type switch: `x := y.(type)`
    Expr* guard = nullptr;        // type switch: y
    std::vector<CaseClause*> clauses;
    Pos rbrace;
    explicit SwitchStmt(StmtKind k) : Stmt(k) {}
};

struct ForStmt : Stmt {
    Stmt* init = nullptr;
    Expr* condition = nullptr;
    Stmt* post = nullptr;
    Block* body = nullptr;
    std::vector<Symbol*> loop_vars; // per-iteration variables declared by init
    ForStmt() : Stmt(StmtKind::For) {}
};

struct RangeStmt : Stmt {
    Expr* key = nullptr;
    Expr* value = nullptr;
    bool define = false;
    Expr* range = nullptr;
    Block* body = nullptr;
    Symbol* key_symbol = nullptr;
    Symbol* value_symbol = nullptr;
    RangeStmt() : Stmt(StmtKind::Range) {}
};

struct LabeledStmt : Stmt {
    Ident label;
    Stmt* statement = nullptr;
    bool used = false;
    LabeledStmt() : Stmt(StmtKind::Labeled) {}
};

struct EmptyStmt : Stmt {
    EmptyStmt() : Stmt(StmtKind::Empty) {}
};

// ---- files ----------------------------------------------------------------------------

// A top-level item in source order: a declaration, or (in scripts) a statement.
struct TopLevel {
    ValueSpec* value = nullptr;
    TypeSpec* type = nullptr;
    FuncDecl* func = nullptr;
    Stmt* statement = nullptr;
};

struct File {
    const SourceFile* source = nullptr;
    std::string package_name; // empty for a script
    Pos package_pos;
    std::vector<ImportSpec*> imports;
    std::vector<TopLevel> items;
    bool is_script = false;
    std::vector<std::unique_ptr<Node>> arena;

    template <typename T> T* make(Pos pos) {
        auto node = std::make_unique<T>();
        node->pos = pos;
        T* raw = node.get();
        arena.push_back(std::move(node));
        return raw;
    }
    template <typename T, typename Arg> T* make(Pos pos, Arg arg) {
        auto node = std::make_unique<T>(arg);
        node->pos = pos;
        T* raw = node.get();
        arena.push_back(std::move(node));
        return raw;
    }
};

} // namespace csp
