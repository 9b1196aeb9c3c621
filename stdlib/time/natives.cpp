// Native bodies of package time: Sleep parks the goroutine on a timer.
#include "stdlib/natives.hpp"

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

} // namespace

const NativeEntry time_natives[] = {
    {"time.Sleep", sleep},
    {nullptr, nullptr},
};

} // namespace csp::stdlib
