// Timers in one min-heap, as Go's runtime keeps them per P: each fires at a monotonic
// instant and wakes a sleeping goroutine (time.Sleep) or runs a native action (channel
// sends of time.After/Tick/NewTimer, time.AfterFunc). The scheduler fires due timers
// whenever it picks the next goroutine and, when nothing can run, sleeps until the
// earliest: an idle program never spins, and pending timers are not a deadlock.
#pragma once
#include <cstdint>
#include <functional>
#include <unordered_map>
#include <vector>

namespace csp {

struct Goroutine;

// Monotonic nanoseconds.
int64_t monotonic_now();

class TimerHeap {
  public:
    using Action = std::function<void()>;

    TimerHeap() = default;
    TimerHeap(const TimerHeap&) = delete;
    TimerHeap& operator=(const TimerHeap&) = delete;
    ~TimerHeap();

    // Wakes `g` (parked for Sleep) at `when`. Returns the timer's id.
    uint64_t add_wakeup(int64_t when, Goroutine* g);
    // Runs `action` at `when`, then every `period` ns if period > 0. Returns the id.
    uint64_t add_action(int64_t when, int64_t period, Action action);
    // Stops timer `id`; false if it already fired (and is not periodic) or was stopped.
    bool stop(uint64_t id);

    bool empty() const { return m_live == 0; }
    // The earliest pending instant (only when !empty()).
    int64_t next_when();
    // Fires every timer due at `now`: wakeups go to `wake`, actions run.
    void fire_due(int64_t now, const std::function<void(Goroutine*)>& wake);
    // The goroutines parked in Sleep (for GC roots and dumps they are live anyway).
    size_t pending() const { return m_live; }

  private:
    struct Timer {
        int64_t when;
        uint64_t id;       // also the tie-breaker: timers due together fire in creation order
        int64_t period;
        Goroutine* goroutine;
        Action action;
        bool stopped;
    };
    struct Later {
        bool operator()(const Timer* a, const Timer* b) const {
            return a->when != b->when ? a->when > b->when : a->id > b->id;
        }
    };
    void push(Timer* t);
    void drop_stopped_top();

    std::vector<Timer*> m_heap; // owned; stopped timers are dropped lazily
    std::unordered_map<uint64_t, Timer*> m_by_id; // pending timers, for stop()
    uint64_t m_next_id = 1;
    size_t m_live = 0;
};

} // namespace csp
