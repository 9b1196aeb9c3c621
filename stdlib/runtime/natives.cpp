// Native bodies of package runtime.
#include "stdlib/natives.hpp"

namespace csp::stdlib {

namespace {

void gosched(VM& vm, Slot*) { vm.yield_current(); }

void num_goroutine(VM& vm, Slot* frame) { frame[0].i = int64_t(vm.scheduler().live_count()); }

void gomaxprocs(VM&, Slot* frame) { frame[0].i = 1; }

void goexit(VM& vm, Slot*) { vm.goexit_current(); }

// The Error method of the runtime's error types (runtime.boundsError...), whose boxed
// value is the message itself; their RuntimeError method does nothing.
void error_text(VM&, Slot* frame) {
    const Slot* message = static_cast<const Slot*>(frame[0].p);
    store_string(frame, load_string(message));
}

void runtime_error(VM&, Slot*) {}

} // namespace

const NativeEntry runtime_natives[] = {
    {"runtime.Gosched", gosched},
    {"runtime.NumGoroutine", num_goroutine},
    {"runtime.GOMAXPROCS", gomaxprocs},
    {"runtime.Goexit", goexit},
    {"runtime.errorText", error_text},
    {"runtime.runtimeError", runtime_error},
    {nullptr, nullptr},
};

} // namespace csp::stdlib
