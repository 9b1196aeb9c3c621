// What the VM does when timers come due (Go's runtimer): wake a sleeper, send the time on
// a timer's channel without blocking (sendTime), or start a goroutine for time.AfterFunc
// (goFunc); and the timers' targets as collector roots.
#include "runtime/vm.hpp"

#include <algorithm>

namespace csp {

// Go's unixToInternal: seconds from January 1, year 1 to the Unix epoch.
constexpr int64_t unix_to_internal = (1969 * 365 + 1969 / 4 - 1969 / 100 + 1969 / 400) * 86400LL;

void VM::time_now(Slot* out) {
    int64_t wall = wall_now();
    int64_t sec = wall / 1'000'000'000, nsec = wall % 1'000'000'000;
    if (nsec < 0) {
        nsec += 1'000'000'000;
        --sec;
    }
    out[0].i = sec + unix_to_internal;
    out[1].i = nsec;
    out[2].i = monotonic_now();
}

// Fires every timer due now. Timers due together fire in order of their instants.
void VM::fire_timers() {
    int64_t now = monotonic_now();
    FiredTimer fired;
    while (m_timers.pop_due(now, fired)) {
        switch (fired.kind) {
        case TimerKind::Wakeup:
            m_scheduler.ready(static_cast<Goroutine*>(fired.target));
            break;
        case TimerKind::Send: { // a full buffer (a slow receiver) drops the tick
            auto* channel = static_cast<Channel*>(fired.target);
            Slot value[8] = {};
            if (channel->elem_slots > 8) break; // cannot happen: a chan Time
            time_now(value);
            value[3].p = m_time_location;
            chan_try_send(m_scheduler, channel, value);
            break;
        }
        case TimerKind::Call:
            start_timer_goroutine(static_cast<const Closure*>(fired.target));
            break;
        }
    }
}

// time.AfterFunc's f in a goroutine of its own, "created by time.goFunc" as in Go.
void VM::start_timer_goroutine(const Closure* closure) {
    const Function* function = closure->function;
    size_t slots = std::max(function->frame_slots, function->param_slots);
    Goroutine* g = m_scheduler.spawn(std::max<size_t>(8, slots + 4), 2);
    if (!g->reserve(0, slots, m_max_stack_bytes)) slots = 0; // cannot happen below the limit
    for (size_t k = 0; k < slots; ++k) g->stack[k].u = 0;
    g->frames[0] = Frame{function, closure, function->code.data(), 0};
    g->frame_count = 1;
    g->creator = &m_go_func_function;
    g->creator_line = m_go_func_function.line;
    m_scheduler.ready(g);
}

// Channels and closures that only pending timers still reference.
void VM::timer_roots(std::vector<Slot>& out) const {
    m_timers.for_each([&out](TimerKind kind, void* target) {
        if (kind == TimerKind::Wakeup) return; // a goroutine: a root anyway
        Slot s;
        s.p = target;
        out.push_back(s);
    });
}

} // namespace csp
