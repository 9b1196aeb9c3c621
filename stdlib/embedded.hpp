// The standard packages' declaration sources compiled into the binary (generated from
// stdlib/*/*.csp by stdlib/embed.cmake): a table ending with a null entry.
#pragma once

namespace csp::stdlib {

struct EmbeddedPackage {
    const char* path;   // import path: "fmt", "unicode/utf8"
    const char* source; // the package's .csp declarations
};

extern const EmbeddedPackage embedded_packages[];

} // namespace csp::stdlib
