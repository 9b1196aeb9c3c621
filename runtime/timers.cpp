// The timer heap: a binary min-heap ordered by instant, then by creation, whose entries
// know their position, so stopping one removes it in O(log n) and firing never scans.
#include "runtime/timers.hpp"

#include <ctime>
#include <limits>

namespace csp {

int64_t monotonic_now() {
    timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return int64_t(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

int64_t wall_now() {
    timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return int64_t(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

TimerHeap::~TimerHeap() {
    for (Timer* t : m_heap) delete t;
}

void TimerHeap::sift_up(size_t index) {
    Timer* t = m_heap[index];
    while (index > 0) {
        size_t parent = (index - 1) / 2;
        if (!earlier(t, m_heap[parent])) break;
        place(m_heap[parent], index);
        index = parent;
    }
    place(t, index);
}

void TimerHeap::sift_down(size_t index) {
    Timer* t = m_heap[index];
    size_t n = m_heap.size();
    for (;;) {
        size_t child = 2 * index + 1;
        if (child >= n) break;
        if (child + 1 < n && earlier(m_heap[child + 1], m_heap[child])) ++child;
        if (!earlier(m_heap[child], t)) break;
        place(m_heap[child], index);
        index = child;
    }
    place(t, index);
}

void TimerHeap::remove_at(size_t index) {
    Timer* last = m_heap.back();
    m_heap.pop_back();
    if (index == m_heap.size()) return; // it was the last one
    place(last, index);
    sift_down(index);
    sift_up(last->index);
}

uint64_t TimerHeap::add(int64_t when, int64_t period, TimerKind kind, void* target) {
    auto* t = new Timer{when, m_next_id++, period, target, m_heap.size(), kind};
    m_heap.push_back(t);
    sift_up(t->index);
    if (kind != TimerKind::Wakeup) m_by_id.emplace(t->id, t); // sleeps are never stopped
    return t->id;
}

bool TimerHeap::stop_wakeup(const Goroutine* g) {
    for (Timer* t : m_heap) {
        if (t->kind != TimerKind::Wakeup || t->target != g) continue;
        remove_at(t->index); // wakeups are not in m_by_id
        delete t;
        return true;
    }
    return false;
}

bool TimerHeap::stop(uint64_t id) {
    auto it = m_by_id.find(id);
    if (it == m_by_id.end()) return false;
    Timer* t = it->second;
    m_by_id.erase(it);
    remove_at(t->index);
    delete t;
    return true;
}

bool TimerHeap::pop_due(int64_t now, FiredTimer& fired) {
    if (m_heap.empty() || m_heap.front()->when > now) return false;
    Timer* t = m_heap.front();
    fired = {t->kind, t->target};
    if (t->period > 0) { // Go's runOneTimer: when += period * (1 + (now - when) / period)
        uint64_t periods = 1 + uint64_t(now - t->when) / uint64_t(t->period);
        __int128 next = __int128(t->when) + __int128(t->period) * __int128(periods);
        constexpr int64_t latest = std::numeric_limits<int64_t>::max();
        t->when = next > latest ? latest : int64_t(next);
        sift_down(0);
        return true;
    }
    remove_at(0);
    if (t->kind != TimerKind::Wakeup) m_by_id.erase(t->id);
    delete t;
    return true;
}

} // namespace csp
