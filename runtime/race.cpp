// The data-race detector (race.hpp): FastTrack over vector clocks. Each goroutine is a
// thread index with a clock vector; a slot's shadow holds its last write as an epoch and
// its reads as one epoch or, when concurrent readers exist, one entry per reader. An
// access races with a previous one unless that one's epoch is covered by the accessing
// goroutine's clock. Reports follow Go's (ThreadSanitizer's) format, with the location's
// name in place of the address, and are suppressed for an address or a pair of stacks
// already reported, as Go's suppress_equal_addresses and suppress_equal_stacks do.
#include "runtime/race.hpp"

#include "runtime/bytecode.hpp"
#include "runtime/goroutine.hpp"

#include <algorithm>
#include <iterator>

namespace csp {

RaceDetector::RaceDetector(const Program& program, Writer writer, void* context)
    : m_program(program), m_writer(writer), m_context(context) {
    m_stacks.emplace_back(); // id 0: no stack
    m_shadow.reserve(1 << 16);
}

uint32_t RaceDetector::new_thread(uint64_t goid) {
    uint32_t tid = uint32_t(m_threads.size());
    m_threads.push_back(Thread{goid, std::vector<uint64_t>(tid + 1, 0), 0});
    m_threads.back().clock[tid] = 1;
    return tid;
}

// A goroutine seen first at an access (main, or one the runtime started) gets a thread.
uint32_t RaceDetector::thread_of(Goroutine* g) {
    auto it = m_thread_of.find(g);
    if (it != m_thread_of.end()) return it->second;
    uint32_t tid = new_thread(g->id);
    m_thread_of.emplace(g, tid);
    return tid;
}

void RaceDetector::join(std::vector<uint64_t>& into, const std::vector<uint64_t>& from) {
    if (into.size() < from.size()) into.resize(from.size(), 0);
    for (size_t k = 0; k < from.size(); ++k) into[k] = std::max(into[k], from[k]);
}

bool RaceDetector::happens_before(const Access& previous, uint32_t tid) const {
    const std::vector<uint64_t>& clock = m_threads[tid].clock;
    return previous.tid == tid || (previous.tid < clock.size() && previous.clock <= clock[previous.tid]);
}

// Frames are innermost last; each frame's pc points after its current instruction (the
// call, the go statement, or the RACE opcode before the access).
uint32_t RaceDetector::intern_stack(const Frame* frames, size_t count) {
    // Fast path: a 64-bit hash of the frames' (function, pc) pairs finds a stack seen
    // before without building it (every access records its stack).
    uint64_t hash = 0x9E3779B97F4A7C15u ^ count;
    for (size_t k = 0; k < count; ++k) {
        hash ^= reinterpret_cast<uintptr_t>(frames[k].pc) + 0x9E3779B97F4A7C15u + (hash << 6) + (hash >> 2);
        hash *= 0xFF51AFD7ED558CCDu;
    }
    if (auto it = m_stack_by_hash.find(hash); it != m_stack_by_hash.end()) return it->second;
    uint32_t id = build_stack(frames, count);
    m_stack_by_hash.emplace(hash, id);
    return id;
}

uint32_t RaceDetector::build_stack(const Frame* frames, size_t count) {
    std::vector<std::pair<const Function*, uint32_t>> stack;
    for (size_t k = count; k-- > 0;) {
        const Function* f = frames[k].function;
        if (f->wrapper || f->name.starts_with("runtime.") || f->panic_frame) continue;
        size_t next = size_t(frames[k].pc - f->code.data());
        uint32_t line = next > 0 && next <= f->lines.size() ? f->lines[next - 1] : 0;
        stack.emplace_back(f, line);
    }
    std::string key; // field by field: the pairs' padding bytes are indeterminate
    for (const auto& [function, line] : stack) {
        auto address = reinterpret_cast<uintptr_t>(function);
        key.append(reinterpret_cast<const char*>(&address), sizeof(address));
        key.append(reinterpret_cast<const char*>(&line), sizeof(line));
    }
    auto [it, inserted] = m_stack_ids.emplace(std::move(key), uint32_t(m_stacks.size()));
    if (inserted) m_stacks.push_back(std::move(stack));
    return it->second;
}

void RaceDetector::goroutine_started(Goroutine* parent, Goroutine* child, const Frame* frames, size_t count) {
    uint32_t ptid = thread_of(parent);
    uint32_t ctid = new_thread(child->id);
    m_thread_of[child] = ctid;
    join(m_threads[ctid].clock, m_threads[ptid].clock);
    m_threads[ctid].created_at = intern_stack(frames, count);
    tick(ptid);
}

void RaceDetector::goroutine_exited(Goroutine* g) {
    auto it = m_thread_of.find(g);
    if (it == m_thread_of.end()) return;
    m_threads[it->second].finished = true;
    m_thread_of.erase(it); // the Goroutine's memory may be reused by a new one
}

void RaceDetector::access(Goroutine* g, const void* address, bool write, uint32_t name, int64_t index,
                          const Frame* frames, size_t count) {
    uint32_t tid = thread_of(g);
    uint64_t now = m_threads[tid].clock[tid];
    Shadow& shadow = m_shadow[address];
    if (write) {
        if (shadow.write.tid == tid && shadow.write.clock == now && shadow.reads.empty()) return;
    } else {
        for (const Access& r : shadow.reads)
            if (r.tid == tid && r.clock == now) return; // same epoch: nothing new
    }
    Access current{tid, now, intern_stack(frames, count), name, index, write};
    const Access* racing = nullptr;
    if (shadow.write.tid != UINT32_MAX && !happens_before(shadow.write, tid)) racing = &shadow.write;
    if (write && racing == nullptr)
        for (const Access& r : shadow.reads)
            if (!happens_before(r, tid)) {
                racing = &r;
                break;
            }
    if (racing != nullptr) report(address, current, *racing);
    if (write) {
        shadow.write = current;
        shadow.reads.clear();
        return;
    }
    // FastTrack: a read after every earlier read collapses them into its epoch.
    bool all_before = std::all_of(shadow.reads.begin(), shadow.reads.end(),
                                  [&](const Access& r) { return happens_before(r, tid); });
    if (all_before) {
        shadow.reads.assign(1, current);
        return;
    }
    for (Access& r : shadow.reads)
        if (r.tid == tid) {
            r = current;
            return;
        }
    shadow.reads.push_back(current);
}

void RaceDetector::acquire(Goroutine* g, const void* key) {
    auto it = m_sync.find(key);
    if (it != m_sync.end()) join(m_threads[thread_of(g)].clock, it->second);
}

void RaceDetector::release(Goroutine* g, const void* key) {
    uint32_t tid = thread_of(g);
    m_sync[key] = m_threads[tid].clock;
    tick(tid);
}

void RaceDetector::release_merge(Goroutine* g, const void* key) {
    uint32_t tid = thread_of(g);
    join(m_sync[key], m_threads[tid].clock);
    tick(tid);
}

void RaceDetector::release_acquire(Goroutine* g, const void* key) {
    acquire(g, key);
    release(g, key);
}

void RaceDetector::rendezvous(Goroutine* a, Goroutine* b) {
    uint32_t ta = thread_of(a), tb = thread_of(b);
    join(m_threads[ta].clock, m_threads[tb].clock);
    m_threads[tb].clock = m_threads[ta].clock;
    tick(ta);
    tick(tb);
}

void RaceDetector::forget(const void* begin, size_t bytes) {
    if (m_shadow.empty() && m_sync.empty()) return;
    auto* p = static_cast<const char*>(begin);
    size_t slots = bytes / sizeof(void*);
    if (!m_shadow.empty())
        for (size_t k = 0; k < slots; ++k) m_shadow.erase(p + k * sizeof(void*));
    // Sync keys are few: walk them rather than probing every freed slot.
    if (m_sync.size() < slots) {
        for (auto it = m_sync.begin(); it != m_sync.end();)
            it = reinterpret_cast<uintptr_t>(it->first) - reinterpret_cast<uintptr_t>(begin) < bytes ? m_sync.erase(it)
                                                                                                    : std::next(it);
    } else {
        for (size_t k = 0; k < slots; ++k) m_sync.erase(p + k * sizeof(void*));
    }
}

std::string RaceDetector::summary() const {
    return m_races == 0 ? std::string() : "Found " + std::to_string(m_races) + " data race(s)\n";
}

// ---- reports ----------------------------------------------------------------------------

std::string RaceDetector::describe(const Access& access) const {
    const RaceName& name = m_program.race_names[access.name];
    std::string text = name.text;
    if (name.indexed) text += "[" + std::to_string(access.index) + "]";
    const Thread& t = m_threads[access.tid];
    text += t.goid == 1 ? " by main goroutine:\n" : " by goroutine " + std::to_string(t.goid) + ":\n";
    return text;
}

void RaceDetector::append_stack(std::string& out, uint32_t stack) const {
    for (const auto& [function, line] : m_stacks[stack]) {
        out += "  " + function->name + "()\n      ";
        out += function->file.empty() ? m_program.file_path : function->file;
        out += ":" + std::to_string(line) + "\n";
    }
}

void RaceDetector::report(const void* address, const Access& current, const Access& previous) {
    uint64_t low = std::min(current.stack, previous.stack), high = std::max(current.stack, previous.stack);
    uint64_t pair = low << 32 | high;
    if (m_reported_addresses.count(address) || m_reported_pairs.count(pair)) return;
    m_reported_addresses.insert(address);
    m_reported_pairs.insert(pair);
    ++m_races;
    std::string out = "==================\nWARNING: DATA RACE\n";
    out += (current.write ? "Write at " : "Read at ") + describe(current);
    append_stack(out, current.stack);
    out += (previous.write ? "\nPrevious write at " : "\nPrevious read at ") + describe(previous);
    append_stack(out, previous.stack);
    for (uint32_t tid : {current.tid, previous.tid}) {
        const Thread& t = m_threads[tid];
        if (t.goid == 1 || t.created_at == 0) continue;
        out += "\nGoroutine " + std::to_string(t.goid) + (t.finished ? " (finished)" : " (running)") + " created at:\n";
        append_stack(out, t.created_at);
    }
    out += "==================\n";
    m_writer(m_context, out);
}

} // namespace csp
