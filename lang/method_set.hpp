// Go's method sets (go/types' NewMethodSet): the methods of a type, declared or promoted
// through embedded fields, each with the path to its receiver. The checker decides
// interface satisfaction with them; the compiler builds the dispatch tables of runtime types.
#pragma once
#include "lang/types.hpp"

#include <string>
#include <vector>

namespace csp {

struct MethodSetEntry {
    std::string name;
    const Type* signature;               // without the receiver
    std::vector<uint32_t> path;          // embedded field indices from the type to the receiver
    const DeclaredMethod* method;        // a declared method; null for an embedded interface's
    bool indirect;                       // a pointer is followed to reach the receiver
};

// The method set of t, sorted by name: for an interface type its methods; for *T every
// method of T and of its embedded fields; for any other T the methods with value receivers
// and those reached through embedded pointers. Ambiguous names (two at one depth) and
// names shadowed by a field are left out, as in Go.
std::vector<MethodSetEntry> method_set(const Type* t);

// The entry named `name` in a method set, or null.
const MethodSetEntry* find_in_set(const std::vector<MethodSetEntry>& set, const std::string& name);

} // namespace csp
