// load_program: file -> source -> AST -> checked program -> bytecode.
#include "lang/frontend.hpp"

#include "lang/compiler.hpp"
#include "lang/parser.hpp"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace csp {

static bool read_file(const std::string& path, std::string& out, std::ostream& errors) {
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec)) {
        errors << "csp: " << path << " is a directory, not a .csp file\n";
        return false;
    }
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        errors << "csp: open " << path << ": " << std::strerror(errno) << "\n";
        return false;
    }
    std::ostringstream buffer;
    buffer << in.rdbuf();
    out = buffer.str();
    if (out.size() > (1u << 30)) {
        errors << "csp: " << path << ": file too large\n";
        return false;
    }
    return true;
}

FrontendResult load_program(const std::string& path, const FrontendOptions& options,
                            std::ostream& errors) {
    FrontendResult result;
    std::string text;
    if (!read_file(path, text, errors)) {
        result.status = FrontendStatus::FileError;
        return result;
    }
    SourceFile source(path, std::move(text));
    Diagnostics diags(source);
    std::unique_ptr<File> file = parse_file(source, diags);
    std::unique_ptr<CheckedProgram> checked;
    if (file) checked = check_program(*file, diags, options.packages);
    if (diags.has_errors()) {
        diags.print(errors);
        result.status = FrontendStatus::CompileError;
        return result;
    }
    if (!options.compile) return result;
    std::error_code ec;
    std::string absolute = std::filesystem::absolute(path, ec).lexically_normal().string();
    result.program = compile_program(*checked, options.natives, absolute);
    return result;
}

} // namespace csp
