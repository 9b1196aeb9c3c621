// Parallel parsing of imported standard packages (prefetch.hpp): the closure in the order
// the checker imports (depth first, in each file's import order), workers taking jobs from
// its end and the checker from its front.
#include "lang/prefetch.hpp"

#include "lang/parser.hpp"

#include <pthread.h>
#include <sched.h>

#include <algorithm>
#include <functional>
#include <set>

namespace csp {

namespace {

// Skips blanks, newlines and comments from `k`.
size_t skip_space(std::string_view s, size_t k) {
    for (;;) {
        while (k < s.size() && (s[k] == ' ' || s[k] == '\t' || s[k] == '\r' || s[k] == '\n' || s[k] == ';')) ++k;
        if (s.substr(k, 2) == "//") {
            size_t end = s.find('\n', k);
            k = end == std::string_view::npos ? s.size() : end;
        } else if (s.substr(k, 2) == "/*") {
            size_t end = s.find("*/", k + 2);
            k = end == std::string_view::npos ? s.size() : end + 2;
        } else {
            return k;
        }
    }
}

size_t word_end(std::string_view s, size_t k) {
    while (k < s.size() && (std::isalnum(static_cast<unsigned char>(s[k])) || s[k] == '_' || s[k] == '.')) ++k;
    return k;
}

} // namespace

std::vector<std::string> scan_import_paths(std::string_view s) {
    std::vector<std::string> paths;
    size_t k = skip_space(s, 0);
    if (s.substr(k, 8) != "package ") return paths;
    k = skip_space(s, word_end(s, skip_space(s, k + 8)));
    // One import spec: [name] "path".
    auto spec = [&](size_t at) -> size_t {
        at = skip_space(s, word_end(s, at));
        if (at >= s.size() || s[at] != '"') return std::string_view::npos;
        size_t close = s.find('"', at + 1);
        if (close == std::string_view::npos) return close;
        paths.emplace_back(s.substr(at + 1, close - at - 1));
        return skip_space(s, close + 1);
    };
    while (s.substr(k, 6) == "import" && k + 6 < s.size() && !std::isalnum(static_cast<unsigned char>(s[k + 6]))) {
        k = skip_space(s, k + 6);
        if (k < s.size() && s[k] == '(') {
            k = skip_space(s, k + 1);
            while (k < s.size() && s[k] != ')') {
                k = spec(k);
                if (k == std::string_view::npos) return paths;
            }
            k = skip_space(s, k + 1);
        } else {
            k = spec(k);
            if (k == std::string_view::npos) return paths;
        }
    }
    return paths;
}

PackagePrefetch::PackagePrefetch(const PackageSource& packages, const std::vector<std::string>& roots,
                                 const std::function<bool(const std::string&)>& loaded, unsigned workers) {
    if (workers == 0) return;
    std::set<std::string> seen;
    std::function<void(const std::string&)> visit = [&](const std::string& path) {
        if (!seen.insert(path).second || loaded(path)) return;
        std::optional<std::string> text = packages(path);
        if (!text) return;
        std::vector<std::string> imports = scan_import_paths(*text);
        Job& job = m_jobs.emplace_back();
        job.path = path;
        job.text = std::move(*text);
        for (const std::string& imported : imports) visit(imported);
    };
    for (const std::string& root : roots) visit(root);
    if (m_jobs.size() < 2) return; // nothing to do beside the checker
    workers = std::min<unsigned>(workers, unsigned(m_jobs.size() - 1));
    for (unsigned k = 0; k < workers; ++k) m_threads.emplace_back([this] { work(); });
}

PackagePrefetch::~PackagePrefetch() {
    {
        std::lock_guard lock(m_mutex);
        for (Job& job : m_jobs)
            if (job.state == State::Pending) job.state = State::Taken; // nobody wants it now
    }
    for (std::thread& t : m_threads) t.join();
}

ParsedPackage PackagePrefetch::parse_package(const std::string& path, const std::string& text) {
    ParsedPackage parsed;
    parsed.source = std::make_unique<SourceFile>("stdlib/" + path + ".csp", text);
    parsed.diags = std::make_unique<Diagnostics>(*parsed.source);
    parsed.file = parse_file(*parsed.source, *parsed.diags);
    return parsed;
}

void PackagePrefetch::work() {
    for (;;) {
        Job* job = nullptr;
        {
            std::lock_guard lock(m_mutex);
            for (auto it = m_jobs.rbegin(); it != m_jobs.rend(); ++it)
                if (it->state == State::Pending) {
                    job = &*it;
                    break;
                }
            if (job == nullptr) return;
            job->state = State::Running;
        }
        ParsedPackage parsed;
        bool failed = false;
        try {
            parsed = parse_package(job->path, job->text);
        } catch (...) { // out of memory, say: the checker's own parse will report it
            failed = true;
        }
        {
            std::lock_guard lock(m_mutex);
            job->result = std::move(parsed);
            job->failed = failed;
            job->state = State::Done;
        }
        m_done.notify_all();
    }
}

ParsedPackage PackagePrefetch::take(const std::string& path, const std::string& text) {
    std::unique_lock lock(m_mutex);
    auto it = std::find_if(m_jobs.begin(), m_jobs.end(), [&](const Job& j) { return j.path == path; });
    if (it == m_jobs.end() || it->state == State::Taken || it->state == State::Pending) {
        if (it != m_jobs.end()) it->state = State::Taken;
        lock.unlock();
        return parse_package(path, text);
    }
    m_done.wait(lock, [&] { return it->state == State::Done; });
    it->state = State::Taken;
    if (it->failed) {
        lock.unlock();
        return parse_package(path, text);
    }
    return std::move(it->result);
}

unsigned PackagePrefetch::spare_cores() {
    cpu_set_t set;
    CPU_ZERO(&set);
    int cores = sched_getaffinity(0, sizeof(set), &set) == 0 ? CPU_COUNT(&set) : 1;
    return cores > 1 ? unsigned(cores - 1) : 0;
}

} // namespace csp
