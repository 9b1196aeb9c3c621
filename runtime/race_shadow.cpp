// The race detector's shadow memory (race_shadow.hpp): cell arrays per heap span, found
// by masking the address, and the keyed open-addressing table for the other slots.
#include "runtime/race_shadow.hpp"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <new>

namespace csp {

void RaceClock::set(uint32_t slot, uint64_t time) {
    auto it = lower_bound(slot);
    if (it != m_entries.end() && it->slot == slot)
        it->time = time;
    else
        m_entries.insert(it, Entry{slot, time});
}

void RaceClock::join(const RaceClock& other) {
    // In place while every slot of `other` is present here (the common case) ...
    size_t i = 0, n = m_entries.size();
    bool missing = false;
    for (const Entry& e : other.m_entries) {
        while (i < n && m_entries[i].slot < e.slot) ++i;
        if (i == n || m_entries[i].slot != e.slot) {
            missing = true;
            break;
        }
        m_entries[i].time = std::max(m_entries[i].time, e.time);
        ++i;
    }
    if (!missing) return;
    // ... else a merge (components maxed above are maxed again, harmlessly).
    std::vector<Entry> merged;
    merged.reserve(n + other.m_entries.size());
    size_t a = 0, b = 0;
    const std::vector<Entry>& theirs = other.m_entries;
    while (a < n || b < theirs.size()) {
        if (b == theirs.size() || (a < n && m_entries[a].slot < theirs[b].slot)) {
            merged.push_back(m_entries[a++]);
        } else if (a == n || theirs[b].slot < m_entries[a].slot) {
            merged.push_back(theirs[b++]);
        } else {
            merged.push_back(Entry{m_entries[a].slot, std::max(m_entries[a].time, theirs[b].time)});
            ++a, ++b;
        }
    }
    m_entries.swap(merged);
}

void RaceClock::join_both_slow(RaceClock& other) {
    join(other);
    other.assign(*this);
}

RaceShadow::~RaceShadow() {
    for (auto& [base, span] : m_spans) std::free(span.cells);
}

void RaceShadow::span_formatted(const void* span, size_t first_block, size_t stride, size_t count) {
    Span& s = m_spans[reinterpret_cast<uintptr_t>(span)];
    Span formatted{uint32_t(first_block), uint32_t(stride), uint32_t(count), uint32_t((stride - block_header_bytes) / 8),
                   ((uint64_t(1) << 32) + stride - 1) / stride};
    if (s.cells != nullptr && s.clean && size_t(count) * formatted.payload_slots <= s.capacity) {
        formatted.cells = s.cells; // all zero since every block was freed: kept
        formatted.capacity = s.capacity;
    } else if (s.cells != nullptr) {
        std::free(s.cells);
        --m_span_cells;
    }
    s = formatted;
    m_span_cache[span_cache_index(reinterpret_cast<uintptr_t>(span))] = CachedSpan{}; // may say "not a span"
}

void RaceShadow::span_released(const void* span) {
    auto it = m_spans.find(reinterpret_cast<uintptr_t>(span));
    if (it == m_spans.end()) return;
    if (it->second.cells != nullptr) {
        std::free(it->second.cells);
        --m_span_cells;
    }
    m_spans.erase(it);
    m_span_cache[span_cache_index(reinterpret_cast<uintptr_t>(span))] = CachedSpan{};
}

RaceShadow::Span* RaceShadow::span_lookup(uintptr_t base) {
    auto it = m_spans.find(base);
    CachedSpan& cached = m_span_cache[span_cache_index(base)];
    cached = CachedSpan{base, it == m_spans.end() ? nullptr : &it->second};
    return cached.span;
}

bool RaceShadow::allocate_cells(Span& span, bool create) {
    if (!create) return false;
    span.capacity = size_t(span.count) * span.payload_slots;
    span.cells = static_cast<RaceCell*>(std::calloc(span.capacity, sizeof(RaceCell)));
    if (span.cells == nullptr) throw std::bad_alloc();
    ++m_span_cells;
    return true;
}

RaceCell* RaceShadow::find(const void* address) {
    auto key = reinterpret_cast<uintptr_t>(address);
    if (Span* span = span_of(key)) return span_cell(*span, key, false);
    return m_table.find(address);
}

void RaceShadow::forget(const void* begin, size_t bytes) {
    auto start = reinterpret_cast<uintptr_t>(begin);
    if (Span* span = span_of(start)) {
        if (RaceCell* first = span_cell(*span, start, false))
            std::fill_n(first, std::min<size_t>(bytes / 8, span->payload_slots), RaceCell{});
        return;
    }
    m_table.erase_range(begin, bytes);
}

void RaceShadow::forget_span(const void* span) {
    Span* s = span_of(reinterpret_cast<uintptr_t>(span));
    if (s == nullptr || s->cells == nullptr) return;
    std::fill_n(s->cells, size_t(s->count) * s->payload_slots, RaceCell{});
    s->clean = true;
}

void RaceInternTable::insert(const Key& key, uint32_t id) {
    if (2 * (m_count + 1) > m_entries.size()) {
        std::vector<Entry> old = std::move(m_entries);
        size_t capacity = old.empty() ? 256 : 2 * old.size();
        m_entries.assign(capacity, Entry{});
        m_shift = 64 - unsigned(__builtin_ctzll(capacity));
        for (const Entry& e : old) {
            if (e.id == 0) continue;
            size_t i = home(e.key);
            while (m_entries[i].id != 0) i = (i + 1) & (capacity - 1);
            m_entries[i] = e;
        }
    }
    size_t i = home(key);
    while (m_entries[i].id != 0) i = (i + 1) & (m_entries.size() - 1);
    m_entries[i] = Entry{key, id};
    ++m_count;
}

} // namespace csp
