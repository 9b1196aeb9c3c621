// Parsing the standard packages a program imports on other cores while the checker works:
// the import closure is read off the packages' import clauses up front, worker threads
// parse from its far end, and the checker takes each parsed package as it needs it (or
// parses it itself when no worker has started it). Only the wall time changes.
#pragma once
#include "lang/ast.hpp"
#include "lang/checker.hpp"
#include "lang/diagnostics.hpp"
#include "lang/source.hpp"

#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace csp {

// The import paths of a package source's import declarations, in order (a scan of the
// head of the file, not a parse: for prefetching only).
std::vector<std::string> scan_import_paths(std::string_view source);

struct ParsedPackage {
    std::unique_ptr<SourceFile> source;
    std::unique_ptr<Diagnostics> diags; // the parse's errors, reported by the checker
    std::unique_ptr<File> file;         // null when the parse failed
};

class PackagePrefetch {
  public:
    // Starts parsing the standard packages reachable from `roots` (import paths) that
    // `loaded` does not hold, on up to `workers` threads (none when it is 0).
    PackagePrefetch(const PackageSource& packages, const std::vector<std::string>& roots,
                    const std::function<bool(const std::string&)>& loaded, unsigned workers);
    ~PackagePrefetch();
    PackagePrefetch(const PackagePrefetch&) = delete;
    PackagePrefetch& operator=(const PackagePrefetch&) = delete;

    // The parse of `path` with `text` (the package's source): a worker's, waiting for it
    // if it is under way, or done here.
    ParsedPackage take(const std::string& path, const std::string& text);

    // Threads to use on this machine: one fewer than the cores this process may run on.
    static unsigned spare_cores();
    // The parse of one package, on the calling thread.
    static ParsedPackage parse_package(const std::string& path, const std::string& text);

  private:
    enum class State { Pending, Running, Done, Taken };
    struct Job {
        std::string path;
        std::string text;
        State state = State::Pending;
        bool failed = false; // the worker's parse threw: take() parses again
        ParsedPackage result;
    };
    void work();

    std::vector<Job> m_jobs; // in the order the checker will want them
    std::mutex m_mutex;
    std::condition_variable m_done;
    std::vector<std::thread> m_threads;
};

} // namespace csp
