// Go's method set computation (go/types/methodset.go): a breadth-first walk of embedded
// fields, depth by depth; a name found twice at one depth collides, and a name found at a
// shallower depth (method or field) hides deeper ones.
#include "lang/method_set.hpp"
#include "lang/checker.hpp"

#include <algorithm>
#include <map>
#include <optional>

namespace csp {

namespace {

struct Embedding {
    const Type* type;             // the embedded type (pointer removed)
    std::vector<uint32_t> path;
    bool indirect;
    bool multiples;               // embedded more than once at this depth
};

// A name at one depth: the method found, or nullopt for a collision.
using Level = std::map<std::string, std::optional<MethodSetEntry>>;

void add(Level& level, MethodSetEntry entry, bool multiples) {
    auto [it, fresh] = level.try_emplace(entry.name);
    if (!fresh || multiples) it->second.reset();
    else it->second = std::move(entry);
}

} // namespace

std::vector<MethodSetEntry> method_set(const Type* t) {
    std::vector<MethodSetEntry> out;
    if (!t) return out;
    if (t->underlying()->cls == TypeClass::Interface) {
        for (const InterfaceMethodType& m : t->underlying()->methods)
            out.push_back({m.name, m.signature, {}, nullptr, false});
        return out;
    }
    bool is_pointer = t->cls == TypeClass::Pointer;
    if (t->cls == TypeClass::Named && t->base && t->base->cls == TypeClass::Pointer) return out;
    std::vector<Embedding> current{{is_pointer ? t->elem : t, {}, is_pointer, false}};
    std::map<std::string, std::optional<MethodSetEntry>> base;
    std::vector<const Type*> seen;
    while (!current.empty()) {
        Level level;
        std::vector<std::string> fields;
        std::vector<Embedding> next;
        for (const Embedding& e : current) {
            const Type* type = e.type;
            if (!type) continue;
            if (type->cls == TypeClass::Named) {
                if (std::find(seen.begin(), seen.end(), type) != seen.end()) continue;
                seen.push_back(type);
                for (const DeclaredMethod& m : type->declared_methods)
                    add(level, {m.name, m.symbol->type, e.path, &m, e.indirect}, e.multiples);
                type = type->base;
                if (!type) continue;
            }
            if (type->cls == TypeClass::Struct) {
                for (uint32_t i = 0; i < type->fields.size(); i++) {
                    const StructField& f = type->fields[i];
                    fields.push_back(f.name);
                    if (!f.embedded) continue;
                    bool pointer = f.type->cls == TypeClass::Pointer;
                    std::vector<uint32_t> path = e.path;
                    path.push_back(i);
                    next.push_back({pointer ? f.type->elem : f.type, std::move(path),
                                    e.indirect || pointer, e.multiples});
                }
            } else if (type->cls == TypeClass::Interface) {
                for (const InterfaceMethodType& m : type->methods)
                    add(level, {m.name, m.signature, e.path, nullptr, e.indirect}, e.multiples);
            }
        }
        for (auto& [name, entry] : level) {
            if (base.count(name)) continue;
            bool field_here = std::find(fields.begin(), fields.end(), name) != fields.end();
            base[name] = field_here ? std::nullopt : entry;
        }
        for (const std::string& name : fields) base.try_emplace(name, std::nullopt);
        // Go's consolidateMultiples: a type embedded twice at one depth.
        current.clear();
        for (Embedding& e : next) {
            auto same = std::find_if(current.begin(), current.end(),
                                     [&](const Embedding& c) { return identical(c.type, e.type); });
            if (same != current.end()) same->multiples = true;
            else current.push_back(std::move(e));
        }
    }
    for (auto& [name, entry] : base) {
        if (!entry) continue;
        if (!is_pointer && entry->method && entry->method->pointer_receiver && !entry->indirect)
            continue; // not in T's method set: only *T has it
        out.push_back(std::move(*entry));
    }
    return out; // std::map iterates by name
}

const MethodSetEntry* find_in_set(const std::vector<MethodSetEntry>& set, const std::string& name) {
    auto it = std::lower_bound(set.begin(), set.end(), name,
                               [](const MethodSetEntry& e, const std::string& n) { return e.name < n; });
    return it != set.end() && it->name == name ? &*it : nullptr;
}

} // namespace csp
