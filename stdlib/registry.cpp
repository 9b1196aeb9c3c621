// The lookup tables of the standard library: package declaration sources (embedded) and
// native bodies (one table per package), searched by import path and qualified name.
#include "stdlib/embedded.hpp"
#include "stdlib/natives.hpp"
#include "stdlib/stdlib.hpp"

#include <cstring>

namespace csp::stdlib {

std::optional<std::string> package_source(const std::string& path) {
    for (const EmbeddedPackage* p = embedded_packages; p->path != nullptr; ++p)
        if (path == p->path) return std::string(p->source);
    return std::nullopt;
}

NativeFn find_native(const std::string& qualified_name) {
    static const NativeEntry* const tables[] = {fmt_natives, os_natives, runtime_natives, strconv_natives, time_natives, sync_natives,
                                                    strings_natives, unicode_natives, utf8_natives,
                                                    math_natives, bits_natives, errors_natives,
                                                    rand_natives, sort_natives, context_natives};
    for (const NativeEntry* table : tables)
        for (const NativeEntry* e = table; e->name != nullptr; ++e)
            if (qualified_name == e->name) return e->body;
    return nullptr;
}

} // namespace csp::stdlib
