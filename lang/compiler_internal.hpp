// The function compiler shared by the compiler's source files: register allocation,
// variable storage (register, cell, captured cell, global), emission and jump patching.
#pragma once
#include "lang/compiler.hpp"
#include "lang/method_set.hpp"

#include <optional>
#include <unordered_map>

namespace csp {

struct Storage {
    enum Kind : uint8_t { Register, Cell, Up, Global } kind;
    uint32_t index;
};

class ProgramCompiler;

// Where a typed value lives, for fields, pointer targets and variables (compile_struct.cpp):
// a variable's storage, a temporary register, or a heap block reached through a pointer in
// a register. `offset` counts slots into the variable or the block (a field's position).
// Elements of arrays and slices are reached through Place (below) and converted.
struct FieldPlace {
    enum Kind : uint8_t { Register, Cell, Up, Global, Pointer, Indexed } kind;
    uint32_t index;  // the register; the cell's register; the closure cell; the global slot;
                     // the register holding the pointer; (Indexed) the array's first register
    uint32_t offset; // slots into the value
    const Type* type;
    uint32_t dynamic = 0; // Indexed: register of a run-time slot offset (LOADX/STOREX)
};

// What prepare_call found to call: a declared function (or method, or the wrapper a
// method expression denotes), or the closure in a register.
struct CallTarget {
    FunctionInfo* function = nullptr; // null: a func value, called by CALLV
    uint32_t index = 0;               // the function to CALL
    SelectorExpr* method = nullptr;   // x.m(...): the receiver is passed first
    uint32_t closure_reg = 0;
    uint32_t result_slots = 0;
    SelectorExpr* iface = nullptr;    // x.m(...) of an interface method: CALLI
    uint32_t iface_type = 0;          // the interface's runtime type
    uint32_t iface_method = 0;        // the method's index in it
};

// What a range loop over a slice or an array reads its elements from (compile_slices.cpp).
struct RangeSource {
    enum Kind : uint8_t { Slice, ArrayRegisters, ArrayMemory } kind;
    uint32_t base = 0;  // the slice header, the array's first register, or its heap copy's address
    uint32_t limit = 0; // register holding the number of elements
};

// Where the slots of an addressable operand (a variable, an array or slice element) are
// (compile_slices.cpp).
struct Place {
    enum Kind : uint8_t {
        Register, // R[base + offset ..]
        Indexed,  // R[base + offset + R[index] ..]: an element of an array in registers
        Memory,   // the slots from `offset` on at the address in R[base]
        Global,   // G[base + offset ..]
        Up,       // the slots from `offset` on of the current closure's cell `base`
    } kind;
    uint32_t base = 0;
    uint32_t offset = 0;
    uint32_t index = 0;
};

// An element operand a[i][j] whose base and indices are evaluated (Go's first phase of
// an assignment); resolving it then checks the bounds and finds the element.
struct Access {
    struct Step {
        const Type* base_type; // the array or slice indexed
        uint32_t index;        // register of a run-time index
        int64_t constant;      // the index when constant (index unused)
        bool is_constant;
        bool owned;            // index is a temporary that may be overwritten
        IndexExpr* expr;       // the index expression (-race names its accesses after it)
    };
    Place root;              // the variable, or a temporary holding the indexed value
    const Type* root_type;
    std::vector<Step> steps; // innermost first
    const Type* type;        // the element's type
};

// A call argument: an expression, or (expr null) a value of `type` already in registers
// from reg on, as when f(g()) spreads g's results.
struct Argument {
    Expr* expr;
    uint32_t reg;
    const Type* type;
};

class FunctionCompiler {
  public:
    FunctionCompiler(ProgramCompiler& pc, FunctionInfo* info, Function& out);
    void compile_body(Block* body);
    void compile_init(const std::vector<ValueSpec*>& specs); // a package's variables
    void init_global(ValueSpec* spec);                       // one of them

    // ---- emission
    uint32_t emit(Opcode op, uint32_t a = 0, uint32_t b = 0, uint32_t c = 0);
    uint32_t emit_jump(Opcode op, uint32_t a = 0);           // sbx placeholder
    uint32_t emit_branch(Opcode op, uint32_t a, uint32_t b); // sc placeholder
    void patch(uint32_t at);             // to the next instruction
    void patch_to(uint32_t at, uint32_t target);
    uint32_t here() const { return uint32_t(m_fn.code.size()); }
    void jump_back(uint32_t target);
    uint32_t constant(Slot s);
    uint32_t constant_int(int64_t v) { Slot s; s.i = v; return constant(s); }
    void set_line(Pos pos);

    // ---- registers
    uint32_t alloc(uint32_t n);
    uint32_t top() const { return m_top; }
    void set_top(uint32_t t) { m_top = t; }

    // ---- expressions (compile_expr.cpp)
    void expr_to(Expr* e, uint32_t dst);
    uint32_t expr_any(Expr* e); // returns a register holding e (maybe a variable's own)
    void coerce_to(Expr* e, const Type* target, uint32_t dst);
    void load_constant(const Constant& v, const Type* t, uint32_t dst);
    void load_var(Symbol* s, uint32_t dst);
    void store_var(Symbol* s, uint32_t src);
    void binary_to(BinaryExpr* e, uint32_t dst);
    void unary_to(UnaryExpr* e, uint32_t dst);
    void call_to(CallExpr* e, uint32_t dst, uint32_t want_slots);
    uint32_t call(CallExpr* e); // returns the base register of the results
    CallTarget static_callee(Expr* callee);
    uint32_t prepare_call(CallExpr* e, CallTarget& target, bool dispatch = false);
    uint32_t values(Expr* e); // a multi-valued call or comma-ok expression
    void arguments_to(CallExpr* e, const Type* sig, uint32_t base);
    void argument_to(const Argument& arg, const Type* param, uint32_t dst);
    void builtin_to(CallExpr* e, uint32_t dst);
    void conversion_to(CallExpr* e, uint32_t dst);
    void normalize(const Type* t, uint32_t reg);
    void jump_if(Expr* e, bool when, std::vector<uint32_t>& jumps);
    void closure_to(FuncLit* e, uint32_t dst);

    // ---- structs, pointers, methods (compile_struct.cpp)
    FieldPlace place_of(Expr* e);
    FieldPlace var_place(Symbol* s, const Type* t);
    FieldPlace follow_path(FieldPlace p, const std::vector<uint32_t>& path);
    FieldPlace element_field_place(Expr* e);
    Place element_root(const FieldPlace& p);
    uint32_t pointer_register(const FieldPlace& p);
    void load_place(const FieldPlace& p, uint32_t dst);
    void store_place(const FieldPlace& p, uint32_t src);
    void address_of_place(const FieldPlace& p, uint32_t dst);
    void selector_to(SelectorExpr* e, uint32_t dst);
    void receiver_to(SelectorExpr* e, uint32_t dst);
    void method_value_to(SelectorExpr* e, uint32_t dst);
    void struct_composite_to(CompositeLit* e, uint32_t dst);
    void struct_literal_to(CompositeLit* e, uint32_t dst);
    void address_to(UnaryExpr* e, uint32_t dst);
    bool equality_to(BinaryExpr* e, uint32_t dst);

    // ---- interfaces (compile_iface.cpp)
    void receiver_interface_to(SelectorExpr* e, uint32_t dst);
    const Type* dispatch_interface(SelectorExpr* e) const;
    uint32_t prepare_interface_call(CallExpr* e, CallTarget& target);
    void interface_method_value_to(SelectorExpr* e, uint32_t dst);
    uint32_t interface_method_expression(SelectorExpr* e);
    void type_assert_to(TypeAssertExpr* e, uint32_t dst);
    uint32_t type_assert_ok(TypeAssertExpr* e);
    void type_switch(SwitchStmt* s);

    // ---- goroutines and channels (compile_chan.cpp)
    void go_stmt(GoDeferStmt* s);
    void go_builtin(GoDeferStmt* s);
    void send_stmt(SendStmt* s);
    void receive_to(UnaryExpr* e, uint32_t dst);
    uint32_t receive_ok(UnaryExpr* e);
    bool chan_builtin(CallExpr* e, uint32_t dst);
    SelectCaseSite select_case(Stmt* comm);
    void select_bind(Stmt* comm, const SelectCaseSite& site);
    void select_stmt(SwitchStmt* s);
    void range_chan(RangeStmt* s);
    // ---- maps (compile_maps.cpp)
    bool is_map_index(Expr* e) const;
    uint32_t map_operands(IndexExpr* e);
    void map_index_to(IndexExpr* e, uint32_t dst);
    uint32_t map_index_ok(IndexExpr* e);
    void assign_map_entries(AssignStmt* s);
    void incdec_map_entry(IncDecStmt* s);
    bool map_builtin(CallExpr* e, uint32_t dst);
    void map_literal_to(CompositeLit* e, uint32_t dst);
    void range_map(RangeStmt* s);
    // ---- arrays and slices (compile_slices.cpp)
    void move_slots(uint32_t dst, uint32_t src, uint32_t width);
    Place variable_place(Symbol* s);
    void load_place(const Place& p, uint32_t dst, uint32_t width);
    void store_place(const Place& p, uint32_t src, uint32_t width);
    uint32_t address_register(const Place& p);
    bool is_element(Expr* e) const;
    Access prepare_access(Expr* e);
    Place resolve_access(const Access& a, size_t steps);
    Place index_place(Place p, const Access::Step& step, uint32_t width);
    void load_access(const Access& a, uint32_t dst);
    void store_access(const Access& a, uint32_t src);
    std::optional<uint32_t> element_register(Expr* e);
    void index_to(IndexExpr* e, uint32_t dst);
    void slice_to(SliceExpr* e, uint32_t dst);
    void composite_to(CompositeLit* e, uint32_t dst);
    void len_cap_to(CallExpr* e, uint32_t dst);
    void append_to(CallExpr* e, uint32_t dst);
    void copy_to(CallExpr* e, uint32_t dst);
    void make_to(CallExpr* e, uint32_t dst);
    void clear_slice(CallExpr* e);
    bool string_conversion_to(CallExpr* e, uint32_t dst);
    void emit_equal(const Type* t, uint32_t dst, uint32_t left, uint32_t right);
    void assign_elements(AssignStmt* s);
    void incdec_element(IncDecStmt* s);
    void range_sequence(RangeStmt* s);
    RangeSource range_source(RangeStmt* s, bool want_value);
    void load_range_element(const RangeSource& source, uint32_t index, uint32_t element,
                            uint32_t scratch, uint32_t width);

    // ---- statements (compile_stmt.cpp)
    void block(Block* b);
    void statement(Stmt* s);
    void assign(AssignStmt* s);
    void define(AssignStmt* s);
    void store_to(Expr* target, uint32_t src);
    std::vector<std::optional<FieldPlace>> target_places(const std::vector<Expr*>& lhs);
    void store_targets(const std::vector<Expr*>& lhs, const std::vector<std::optional<FieldPlace>>& places,
                       const std::vector<uint32_t>& values);
    void compound_assign(AssignStmt* s);
    void declare_local(Symbol* s, uint32_t value_reg, bool has_value);
    std::optional<uint32_t> register_of(Expr* target);
    bool writes_result_last(Expr* e);
    bool define_in_place(Symbol* v, Expr* value);
    void if_stmt(IfStmt* s);
    void for_stmt(ForStmt* s);
    void range_stmt(RangeStmt* s);
    void switch_stmt(SwitchStmt* s);
    void return_stmt(ReturnStmt* s);
    void branch(BranchStmt* s);
    void renew_cells(const std::vector<Symbol*>& vars);

    // ---- defer (compile_defer.cpp)
    bool has_defers() const { return m_info && m_info->defer_count > 0; }
    void begin_defers();
    void defer_stmt(GoDeferStmt* s);
    void builtin_defer(GoDeferStmt* s);
    uint32_t builtin_wrapper(GoDeferStmt* s, const std::vector<const Type*>& types);
    uint32_t nil_wrapper(GoDeferStmt* s);
    uint32_t add_wrapper(GoDeferStmt* s, std::vector<Instr> code, uint32_t param_slots,
                         uint32_t frame_slots);
    void emit_defer(uint32_t base, uint32_t arg_slots, uint32_t wrapper);
    void defer_return(ReturnStmt* s);
    void defer_exit(Block* body);
    void run_defers();
    void return_results();

    ProgramCompiler& m_pc;
    FunctionInfo* m_info;
    Function& m_fn;
    uint32_t m_top = 0;
    std::unordered_map<Symbol*, Storage> m_storage;
    struct Loop {
        Stmt* stmt;
        std::vector<uint32_t> breaks;
        std::vector<uint32_t> continues;
    };
    std::vector<Loop> m_loops;
    uint32_t m_line = 0;
    // Operands already in a register (x's value in `x.f op= y`): expr_any returns these.
    std::unordered_map<const Expr*, uint32_t> m_preloaded;
    uint32_t m_result_base = 0; // functions with defers and unnamed results: where they are kept
    std::vector<uint32_t> m_result_jumps; // recovery pads' jumps to the code returning the results

    // ---- -race (compile_race.cpp): RACE before accesses to shareable memory
  public:
    // Names the accesses emitted while it lives after `e` (the innermost wins).
    struct RaceContext {
        FunctionCompiler& f;
        Expr* saved;
        RaceContext(FunctionCompiler& fc, Expr* e) : f(fc), saved(fc.m_race_expr) { fc.m_race_expr = e; }
        ~RaceContext() { f.m_race_expr = saved; }
        RaceContext(const RaceContext&) = delete;
        RaceContext& operator=(const RaceContext&) = delete;
    };

  private:
    void race_instrument(Opcode op, uint32_t a, uint32_t b, uint32_t c);
    bool is_race_free_variable(Opcode op, uint32_t b) const;
  public:
    bool is_dropped_race_hook(CallExpr* e) const;

  private:
    RaceName race_name(Opcode op, uint32_t a, uint32_t b, uint32_t c);
    void race_element(uint32_t address, uint32_t header, const Type* slice_type, IndexExpr* e);
    bool m_race_on = false;     // instrumenting this function
    Expr* m_race_expr = nullptr; // the expression or assignment target being compiled
    // The element whose address SELEM just put in R[address], while the instructions
    // emitted since are accesses through it: they are named `xs[3]` from the slice's data
    // pointer in R[header] (RACE's c), as the index register is gone.
    struct RaceElement {
        uint32_t address = UINT32_MAX; // none
        uint32_t header = 0;
        const Type* slice_type = nullptr;
        std::string base; // the slice's text
    } m_race_element;
};

class ProgramCompiler {
  public:
    ProgramCompiler(CheckedProgram& checked, const NativeResolver& natives, Program& program);
    void compile();
    uint32_t rt_type(const Type* t);
    uint32_t method_value_wrapper(FunctionInfo* method);
    uint32_t pointer_method_wrapper(FunctionInfo* method);
    uint32_t method_expression(SelectorExpr* e); // the function T.m or (*T).m denotes
    void fill_methods(const Type* t, RtType* out);  // compile_iface.cpp
    void add_runtime_error_types();
    uint32_t dispatch_function(const Type* t, const MethodSetEntry& entry);
    uint32_t interface_call_wrapper(const Type* iface, const std::string& name, bool expression);
    uint32_t promoted_method_expression(SelectorExpr* e);
    uint32_t global_slot(Symbol* s);
    void assign_global_slots();
    // Globals wider than this are reached through their address (ADDRG), not LOADG.
    static constexpr uint32_t wide_global_slots = 4;
    const SourceFile* source(FunctionInfo* info) const;

    CheckedProgram& m_checked;
    const NativeResolver& m_natives;
    Program& m_program;
    bool m_race = false; // -race: instrument the main package's functions (compile_race.cpp)
    std::unordered_map<std::string, uint32_t> m_rt_types;
    std::unordered_map<Symbol*, uint32_t> m_globals;
    std::unordered_map<FunctionInfo*, uint32_t> m_method_wrappers; // method -> its -fm function
    std::unordered_map<FunctionInfo*, uint32_t> m_pointer_wrappers; // value method -> (*T).m
    std::unordered_map<std::string, uint32_t> m_dispatch_wrappers;  // by runtime type and method
    GlobalLayout* m_layout = nullptr; // REPL sessions: slots of earlier compilations' globals
    std::unordered_map<std::string, uint32_t>* m_type_cache = nullptr; // and their type descriptors
};

uint32_t field_offset(const Type* struct_type, uint32_t index); // in slots

} // namespace csp
