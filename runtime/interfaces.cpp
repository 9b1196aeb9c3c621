// Interfaces at run time: the tables CALLI dispatches through (Go's itabs), built on first
// use from the dynamic type's method set, whether a type implements an interface, and
// the panics of failed type assertions with Go's messages.
#include "runtime/vm.hpp"

#include <algorithm>

namespace csp {

namespace {

const RtMethod* find_method(const RtType& type, const RtMethod& want) {
    auto it = std::lower_bound(type.methods.begin(), type.methods.end(), want.name,
                               [](const RtMethod& m, const std::string& name) { return m.name < name; });
    if (it == type.methods.end() || it->name != want.name || it->signature != want.signature) return nullptr;
    return &*it;
}

// The first method of iface that type lacks, or null.
const RtMethod* first_missing(const RtType& type, const RtType& iface) {
    for (const RtMethod& want : iface.methods)
        if (!find_method(type, want)) return &want;
    return nullptr;
}

} // namespace

const Function* const* VM::itab(const RtType* type, const RtType* iface) {
    auto [it, fresh] = m_itabs.try_emplace({type, iface});
    std::vector<const Function*>& table = it->second;
    if (fresh) {
        table.reserve(iface->methods.size());
        for (const RtMethod& want : iface->methods) {
            const RtMethod* have = find_method(*type, want);
            table.push_back(have && have->function < m_functions.size() ? m_functions[have->function] : nullptr);
        }
    }
    if (std::find(table.begin(), table.end(), nullptr) != table.end()) return nullptr;
    type->itab_iface = iface;
    type->itab = table.data();
    return table.data();
}

bool VM::implements(const RtType* type, const RtType* iface) {
    if (type->itab_iface == iface) return true;
    return itab(type, iface) != nullptr;
}

// Go's TypeAssertionError messages.
void VM::panic_type_assertion(const RtType* static_type, const RtType* concrete, const RtType* asserted) {
    bool to_interface = asserted->kind == TypeKind::Interface;
    std::string inter = static_type && !to_interface ? static_type->name : "interface";
    std::string message = "interface conversion: ";
    if (concrete == nullptr) {
        message += inter + " is nil, not " + asserted->name;
    } else if (to_interface) {
        const RtMethod* missing = first_missing(*concrete, *asserted);
        message += concrete->name + " is not " + asserted->name + ": missing method " +
                   (missing ? missing->name : std::string("?"));
    } else {
        message += inter + " is " + concrete->name + ", not " + asserted->name;
        if (concrete->name == asserted->name) message += " (types from different scopes)";
    }
    panic_runtime_error(std::move(message), false, RuntimeErrorKind::TypeAssertion);
}

// CALLI found no method: cannot happen for checked programs (the checker proved the
// method exists), but a corrupt table must not crash the VM.
void VM::panic_missing_method(const RtType* concrete, const RtType* iface) {
    panic_type_assertion(nullptr, concrete, iface);
}

} // namespace csp
