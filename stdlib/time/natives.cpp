// Native bodies of package time: the clocks, and timers in the VM's timer heap (Sleep
// parks the goroutine on one; NewTimer, AfterFunc and NewTicker start, stop and restart
// them through startTimer/stopTimer, as Go's time package does over its runtime).
#include "stdlib/natives.hpp"

#include <ctime>

namespace csp::stdlib {

namespace {

void sleep(VM& vm, Slot* frame) {
    int64_t duration = frame[0].i;
    if (duration <= 0) return;
    int64_t now = monotonic_now();
    int64_t when = duration > INT64_MAX - now ? INT64_MAX : now + duration;
    vm.timers().add_wakeup(when, vm.scheduler().current());
    vm.park_current(WaitReason::Sleep);
}

void runtime_nano(VM&, Slot* frame) { frame[0].i = monotonic_now(); }

void now(VM&, Slot* frame) { VM::time_now(frame); }

// startTimer(when, period int64, c chan Time, f func()) int64
void start_timer(VM& vm, Slot* frame) {
    int64_t when = frame[0].i, period = frame[1].i;
    void* channel = frame[2].p;
    TimerKind kind = channel != nullptr ? TimerKind::Send : TimerKind::Call;
    uint64_t id = vm.timers().add(when, period, kind, channel != nullptr ? channel : frame[3].p);
    frame[0].i = int64_t(id);
}

// stopTimer(id int64) bool
void stop_timer(VM& vm, Slot* frame) { frame[0].u = vm.timers().stop(uint64_t(frame[0].i)) ? 1 : 0; }

// localZone(sec int64) (name string, offset int): the C library's local zone at Unix time
// sec (TZ, /etc/localtime), as Go's Local location gives it.
void local_zone(VM& vm, Slot* frame) {
    time_t sec = time_t(frame[0].i);
    struct tm parts {};
    if (localtime_r(&sec, &parts) == nullptr) {
        store_string(frame, vm.heap().make_string("UTC"));
        frame[2].i = 0;
        return;
    }
    store_string(frame, vm.heap().make_string(parts.tm_zone ? parts.tm_zone : "UTC"));
    frame[2].i = parts.tm_gmtoff;
}

// registerLocal(l *Location): the Location of the times timers send.
void register_local(VM& vm, Slot* frame) { vm.set_time_location(frame[0].p); }

} // namespace

const NativeEntry time_natives[] = {
    {"time.localZone", local_zone},
    {"time.registerLocal", register_local},
    {"time.Sleep", sleep},
    {"time.runtimeNano", runtime_nano},
    {"time.now", now},
    {"time.startTimer", start_timer},
    {"time.stopTimer", stop_timer},
    {nullptr, nullptr},
};

} // namespace csp::stdlib
