// Timers in one min-heap, as Go's runtime keeps them per P: each fires at a monotonic
// instant and wakes a sleeping goroutine (time.Sleep), sends the time on a channel without
// blocking (time.NewTimer, After, NewTicker, Tick: Go's sendTime) or starts a goroutine
// running a func (time.AfterFunc: Go's goFunc). The scheduler fires due timers whenever it
// picks the next goroutine and, when nothing can run, sleeps until the earliest: an idle
// program never spins, and pending timers are not a deadlock.
#pragma once
#include <cstddef>
#include <cstdint>
#include <unordered_map>
#include <vector>

namespace csp {

struct Goroutine;

// Monotonic nanoseconds.
int64_t monotonic_now();
// Wall-clock nanoseconds since the Unix epoch.
int64_t wall_now();

enum class TimerKind : uint8_t {
    Wakeup, // target: the Goroutine* parked in time.Sleep
    Send,   // target: a Channel* (heap) receiving the time
    Call,   // target: a Closure* (heap) to run in a new goroutine
};

// A timer that came due, as pop_due hands it out.
struct FiredTimer {
    TimerKind kind;
    void* target;
};

class TimerHeap {
  public:
    TimerHeap() = default;
    TimerHeap(const TimerHeap&) = delete;
    TimerHeap& operator=(const TimerHeap&) = delete;
    ~TimerHeap();

    // A timer due at `when`, then every `period` ns if period > 0. Returns its id (never 0).
    uint64_t add(int64_t when, int64_t period, TimerKind kind, void* target);
    uint64_t add_wakeup(int64_t when, Goroutine* g) { return add(when, 0, TimerKind::Wakeup, g); }
    // Removes pending timer `id` (O(log n)); false if it already fired (and is not
    // periodic), was stopped, or never existed.
    bool stop(uint64_t id);
    bool pending(uint64_t id) const { return m_by_id.count(id) != 0; }
    // Removes the wakeup of `g` (parked in time.Sleep), if any: the REPL dropping an
    // interrupted input's goroutine.
    bool stop_wakeup(const Goroutine* g);

    bool empty() const { return m_heap.empty(); }
    size_t size() const { return m_heap.size(); }
    // The earliest pending instant (only when !empty()).
    int64_t next_when() const { return m_heap.front()->when; }
    // Takes the earliest timer if it is due at `now`: a one-shot timer leaves the heap, a
    // periodic one is due again one period later (Go drops missed ticks). False: none due.
    bool pop_due(int64_t now, FiredTimer& fired);

    // Calls f(kind, target) for every pending timer (the collector's roots).
    template <class F> void for_each(F f) const {
        for (const Timer* t : m_heap) f(t->kind, t->target);
    }

  private:
    struct Timer {
        int64_t when;
        uint64_t id;     // also the tie-breaker: timers due together fire in creation order
        int64_t period;
        void* target;
        size_t index;    // position in m_heap
        TimerKind kind;
    };
    static bool earlier(const Timer* a, const Timer* b) {
        return a->when != b->when ? a->when < b->when : a->id < b->id;
    }
    void place(Timer* t, size_t index) {
        m_heap[index] = t;
        t->index = index;
    }
    void sift_up(size_t index);
    void sift_down(size_t index);
    void remove_at(size_t index); // takes m_heap[index] out of the heap (not deleted)

    std::vector<Timer*> m_heap; // owned; a binary min-heap by (when, id)
    std::unordered_map<uint64_t, Timer*> m_by_id; // pending timers, for stop()
    uint64_t m_next_id = 1;
};

} // namespace csp
