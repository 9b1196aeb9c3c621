// The type model of the checker: predeclared basic types (typed and untyped), named
// types, and the composite type forms, with Go's identity, assignability and spelling.
// Types are created once and owned by the TypeTable; compare them with identical().
#pragma once
#include "lang/ast.hpp"

#include <deque>
#include <string>
#include <vector>

namespace csp {

enum class BasicKind : uint8_t {
    Invalid, Bool, Int, Int8, Int16, Int32, Int64, Uint, Uint8, Uint16, Uint32, Uint64,
    Uintptr, Float32, Float64, String,
    UntypedBool, UntypedInt, UntypedRune, UntypedFloat, UntypedString, UntypedNil,
};

enum class TypeClass : uint8_t {
    Basic, Named, Pointer, Slice, Array, Map, Chan, Signature, Struct, Interface, Tuple,
};

struct Symbol;

struct StructField {
    std::string name;
    const Type* type;
    bool embedded;
    Pos pos = {}; // the field's name (or embedded type) in the declaration
};

// A method declared on a named type: `func (r T) Name(...)` or `func (r *T) Name(...)`.
struct DeclaredMethod {
    std::string name;
    Symbol* symbol;        // the method's Func symbol: type is the signature without receiver
    bool pointer_receiver; // declared with receiver *T
};

struct InterfaceMethodType {
    std::string name;
    const Type* signature;
};

class Type {
  public:
    TypeClass cls;
    BasicKind basic = BasicKind::Invalid;
    std::string name;                 // basic and named types
    std::string alias;                // Basic: "byte" or "rune", the name messages use
    const Type* base = nullptr;       // Named: underlying type (set when resolved)
    const Type* elem = nullptr;       // Pointer, Slice, Array, Map (value), Chan
    const Type* key = nullptr;        // Map
    int64_t length = 0;               // Array
    ChanDir dir = ChanDir::Both;      // Chan
    std::vector<const Type*> params;  // Signature parameters; Tuple members
    std::vector<const Type*> results; // Signature results
    // Signature: parameter and result names ("" when unnamed; empty when none has a
    // name). Only for printing: Go spells `func(s string)`; identity ignores names.
    std::vector<std::string> param_names, result_names;
    bool variadic = false;            // Signature: last parameter is ...T (a slice type)
    std::vector<StructField> fields;  // Struct
    std::vector<InterfaceMethodType> methods; // Interface (sorted by name)
    Symbol* type_name = nullptr;      // Named: its declaring symbol
    std::string package;              // Named: package path ("main", "fmt")
    // Named: the methods declared on it, in declaration order. Types are immutable once
    // built except for this list, which grows as method declarations are resolved.
    mutable std::vector<DeclaredMethod> declared_methods;
    // The compiler's slot width of a struct or array (0: not computed yet), cached so that
    // types embedding one type many times are measured once.
    mutable uint64_t width_cache = 0;

    explicit Type(TypeClass c) : cls(c) {}

    const Type* underlying() const { return cls == TypeClass::Named ? base : this; }
    bool is_basic(BasicKind k) const;
    bool is_untyped() const;
    bool is_integer() const;
    bool is_unsigned() const;
    bool is_float() const;
    bool is_numeric() const;
    bool is_string() const;
    bool is_boolean() const;
    bool is_interface() const { return underlying()->cls == TypeClass::Interface; }
    int int_bits() const; // 8..64 for integer types
    const DeclaredMethod* find_method(const std::string& method) const; // Named only
    std::string to_string() const; // the run-time spelling (%T): `func(string)`
    std::string spelling() const;  // in compile errors: `func(s string)`, `T` for main.T
};

bool identical(const Type* a, const Type* b);
bool has_nil(const Type* t);       // Go's hasNil: values compare with, and may be, nil
bool is_comparable(const Type* t); // Go's Comparable: == and != are defined

class TypeTable {
  public:
    TypeTable();
    const Type* basic(BasicKind k) const { return m_basic[size_t(k)]; }
    const Type* invalid() const { return basic(BasicKind::Invalid); }
    // The aliases byte (uint8) and rune (int32): identical types, spelled so in messages.
    const Type* byte() const { return m_byte; }
    const Type* rune() const { return m_rune; }
    const Type* any() const { return m_any; }
    const Type* error() const { return m_error; }
    const Type* pointer(const Type* elem);
    const Type* slice(const Type* elem);
    const Type* array(const Type* elem, int64_t length);
    const Type* map(const Type* key, const Type* value);
    const Type* chan(const Type* elem, ChanDir dir);
    const Type* signature(std::vector<const Type*> params, std::vector<const Type*> results,
                          bool variadic, std::vector<std::string> param_names = {},
                          std::vector<std::string> result_names = {});
    const Type* tuple(std::vector<const Type*> members);
    Type* new_type(TypeClass c); // for named, struct and interface types
    // The default type of an untyped constant kind (int, rune, float64, string, bool).
    const Type* default_type(const Type* t) const;

  private:
    std::deque<Type> m_types;
    const Type* m_basic[size_t(BasicKind::UntypedNil) + 1];
    const Type* m_byte;
    const Type* m_rune;
    const Type* m_any;
    const Type* m_error;
};

} // namespace csp
