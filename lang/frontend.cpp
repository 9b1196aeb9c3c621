// load_program: file -> source -> AST -> checked program -> bytecode. The passes recurse
// over the nesting of the source, so they run on a thread with a large stack.
#include "lang/frontend.hpp"

#include "lang/compiler.hpp"
#include "lang/parser.hpp"
#include "lang/script.hpp"

#include <algorithm>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <pthread.h>
#include <sstream>
#include <stdexcept>

namespace csp {

static constexpr size_t max_source_bytes = size_t(1) << 28; // 256 MiB

static bool read_file(const std::string& path, std::string& out, std::ostream& errors) {
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec)) {
        errors << "csp: " << path << " is a directory, not a .csp file\n";
        return false;
    }
    auto size = std::filesystem::file_size(path, ec);
    if (!ec && size > max_source_bytes) {
        errors << "csp: " << path << ": file too large (" << size << " bytes; the limit is "
               << max_source_bytes << ")\n";
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
    if (out.size() > max_source_bytes) { // a pipe or special file with no size up front
        errors << "csp: " << path << ": file too large (the limit is " << max_source_bytes << " bytes)\n";
        return false;
    }
    return true;
}

// Runs `work` on a new thread whose stack holds `stack_bytes` (reserved address space;
// pages are touched only as deep as the recursion goes), and waits for it. Exceptions
// thrown by `work` are rethrown here.
void run_with_stack(size_t stack_bytes, const std::function<void()>& work) {
    struct Job {
        const std::function<void()>* work;
        std::exception_ptr error;
    } job{&work, nullptr};
    auto entry = [](void* arg) -> void* {
        auto* j = static_cast<Job*>(arg);
        try {
            (*j->work)();
        } catch (...) {
            j->error = std::current_exception();
        }
        return nullptr;
    };
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setstacksize(&attr, stack_bytes);
    pthread_t thread;
    int failed = pthread_create(&thread, &attr, entry, &job);
    pthread_attr_destroy(&attr);
    if (failed) {
        work(); // no thread to be had: run on this stack
        return;
    }
    pthread_join(thread, nullptr);
    if (job.error) std::rethrow_exception(job.error);
}

ScriptOptions script_options(const FrontendOptions& options) {
    ScriptOptions script;
    PackageSource packages = options.packages;
    script.standard_package = [packages](const std::string& name) {
        return standard_package_path(name, [&](const std::string& path) {
            return packages && packages(path).has_value();
        });
    };
    return script;
}

FrontendResult load_program(const std::string& path, const FrontendOptions& options,
                            std::ostream& errors) {
    FrontendResult result;
    std::string text;
    if (!read_file(path, text, errors)) {
        result.status = FrontendStatus::FileError;
        return result;
    }
    run_with_stack(frontend_stack_bytes, [&] { result = load_source(path, std::move(text), options, errors); });
    return result;
}

FrontendResult load_text(const std::string& name, std::string text, const FrontendOptions& options,
                         std::ostream& errors) {
    FrontendResult result;
    run_with_stack(frontend_stack_bytes, [&] { result = load_source(name, std::move(text), options, errors); });
    return result;
}

FrontendResult load_source(const std::string& path, std::string text, const FrontendOptions& options,
                           std::ostream& errors) {
    FrontendResult result;
    SourceFile source(path, std::move(text));
    Diagnostics diags(source);
    std::unique_ptr<File> file = parse_file(source, diags);
    std::unique_ptr<CheckedProgram> checked;
    if (file && file->is_script) transform_script(*file, diags, script_options(options));
    if (file) checked = check_program(*file, diags, options.packages);
    if (diags.has_errors()) {
        diags.print(errors);
        result.status = FrontendStatus::CompileError;
        return result;
    }
    if (!options.compile) return result;
    std::error_code ec;
    std::string absolute = std::filesystem::absolute(path, ec).lexically_normal().string();
    try {
        result.program = compile_program(*checked, options.natives, absolute, options.race);
    } catch (const std::runtime_error& error) { // a limit of the compiler, not a crash
        errors << "csp: " << path << ": " << error.what() << "\n";
        result.status = FrontendStatus::CompileError;
    }
    return result;
}

bool read_source_file(const std::string& path, std::string& out, std::ostream& errors) {
    return read_file(path, out, errors);
}

// Moves the declarations of every file into the first: one File whose imports and items
// keep their positions in the combined source. Errors if the package clauses differ.
static std::unique_ptr<File> merge_files(std::vector<std::unique_ptr<File>>& files,
                                         const std::vector<NamedSource>& sources, std::ostream& errors) {
    std::unique_ptr<File> merged = std::move(files.front());
    for (size_t k = 1; k < files.size(); k++) {
        File& other = *files[k];
        if (other.is_script || merged->is_script || other.package_name != merged->package_name) {
            std::string dir = std::filesystem::path(sources[k].name).parent_path().string();
            errors << "found packages " << merged->package_name << " ("
                   << std::filesystem::path(sources[0].name).filename().string() << ") and "
                   << other.package_name << " (" << std::filesystem::path(sources[k].name).filename().string()
                   << ") in " << (dir.empty() ? "." : dir) << "\n";
            return nullptr;
        }
        merged->imports.insert(merged->imports.end(), other.imports.begin(), other.imports.end());
        for (TopLevel& item : other.items) merged->items.push_back(std::move(item));
        for (auto& node : other.arena) merged->arena.push_back(std::move(node));
    }
    return merged;
}

static FrontendResult load_package_here(const std::vector<NamedSource>& files, const std::string& entry,
                                        const FrontendOptions& options, std::ostream& errors) {
    FrontendResult result;
    result.status = FrontendStatus::CompileError;
    std::vector<std::pair<std::string, std::string>> named;
    for (const NamedSource& f : files) named.emplace_back(f.name, f.text);
    SourceFile combined = SourceFile::concatenate(named);
    Diagnostics diags(combined);
    std::vector<std::unique_ptr<File>> parsed;
    bool failed = false;
    for (size_t k = 0; k < files.size(); k++) {
        SourceFile single(files[k].name, files[k].text);
        Diagnostics file_diags(single);
        auto file = parse_file_at(combined, single, combined.segments()[k].start, file_diags, diags);
        if (file_diags.has_errors()) file_diags.print(errors);
        failed = failed || !file;
        if (file) parsed.push_back(std::move(file));
    }
    if (failed || diags.has_errors()) {
        diags.print(errors);
        return result;
    }
    std::unique_ptr<File> merged = merge_files(parsed, files, errors);
    if (!merged) return result;
    merged->source = &combined;
    auto checked = check_package_program(*merged, diags, options.packages, entry);
    if (diags.has_errors()) {
        diags.print(errors);
        return result;
    }
    result.status = FrontendStatus::Ok;
    if (!options.compile) return result;
    std::error_code ec;
    std::string absolute = std::filesystem::absolute(files.front().name, ec).lexically_normal().string();
    try {
        result.program = compile_program(*checked, options.natives, absolute, options.race);
    } catch (const std::runtime_error& error) {
        errors << "csp: " << files.front().name << ": " << error.what() << "\n";
        result.status = FrontendStatus::CompileError;
    }
    return result;
}

FrontendResult load_package(std::vector<NamedSource> files, const std::string& entry,
                            const FrontendOptions& options, std::ostream& errors) {
    FrontendResult result;
    if (files.empty()) {
        result.status = FrontendStatus::FileError;
        return result;
    }
    run_with_stack(frontend_stack_bytes, [&] { result = load_package_here(files, entry, options, errors); });
    return result;
}

} // namespace csp
