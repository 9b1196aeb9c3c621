// The timer heap: ordered by instant, then by creation; stopped timers leave the heap
// lazily when they reach its top.
#include "runtime/timers.hpp"

#include <algorithm>
#include <ctime>

namespace csp {

int64_t monotonic_now() {
    timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return int64_t(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

void TimerHeap::push(Timer* t) {
    m_heap.push_back(t);
    std::push_heap(m_heap.begin(), m_heap.end(), Later{});
}

uint64_t TimerHeap::add_wakeup(int64_t when, Goroutine* g) {
    auto* t = new Timer{when, m_next_id++, 0, g, {}, false};
    push(t);
    m_by_id.emplace(t->id, t);
    ++m_live;
    return t->id;
}

uint64_t TimerHeap::add_action(int64_t when, int64_t period, Action action) {
    auto* t = new Timer{when, m_next_id++, period, nullptr, std::move(action), false};
    push(t);
    m_by_id.emplace(t->id, t);
    ++m_live;
    return t->id;
}

TimerHeap::~TimerHeap() {
    for (Timer* t : m_heap) delete t;
}

bool TimerHeap::stop(uint64_t id) {
    auto it = m_by_id.find(id);
    if (it == m_by_id.end()) return false;
    it->second->stopped = true;
    m_by_id.erase(it);
    --m_live;
    return true;
}

void TimerHeap::drop_stopped_top() {
    while (!m_heap.empty() && m_heap.front()->stopped) {
        std::pop_heap(m_heap.begin(), m_heap.end(), Later{});
        delete m_heap.back();
        m_heap.pop_back();
    }
}

int64_t TimerHeap::next_when() {
    drop_stopped_top();
    return m_heap.front()->when;
}

void TimerHeap::fire_due(int64_t now, const std::function<void(Goroutine*)>& wake) {
    for (drop_stopped_top(); !m_heap.empty() && m_heap.front()->when <= now; drop_stopped_top()) {
        std::pop_heap(m_heap.begin(), m_heap.end(), Later{});
        Timer* t = m_heap.back();
        m_heap.pop_back();
        if (t->period > 0) { // a ticker: due again one period later (Go drops missed ticks)
            t->when += t->period * std::max<int64_t>(1, (now - t->when) / t->period + 1);
            push(t);
            t->action();
            continue;
        }
        t->stopped = true; // fired: stop() now reports false
        m_by_id.erase(t->id);
        --m_live;
        if (t->goroutine != nullptr) wake(t->goroutine);
        else t->action();
        delete t;
    }
}

} // namespace csp
