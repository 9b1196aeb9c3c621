// Native bodies of package runtime.
#include "stdlib/natives.hpp"

namespace csp::stdlib {

namespace {

void gosched(VM& vm, Slot*) { vm.yield_current(); }

void num_goroutine(VM& vm, Slot* frame) { frame[0].i = int64_t(vm.scheduler().live_count()); }

void gomaxprocs(VM&, Slot* frame) { frame[0].i = 1; }

} // namespace

const NativeEntry runtime_natives[] = {
    {"runtime.Gosched", gosched},
    {"runtime.NumGoroutine", num_goroutine},
    {"runtime.GOMAXPROCS", gomaxprocs},
    {nullptr, nullptr},
};

} // namespace csp::stdlib
