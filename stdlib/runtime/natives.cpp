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

// Caller(skip) (pc uintptr, file string, line int, ok bool): skip 0 is the function
// calling Caller; compiler-made wrappers are not counted, as in Go.
void caller(VM& vm, Slot* frame) {
    int64_t skip = frame[0].i;
    const Goroutine& g = vm.current_goroutine();
    for (size_t k = g.frame_count; k-- > 0;) {
        const Frame& f = g.frames[k];
        if (f.function->wrapper || f.function->panic_frame) continue;
        if (skip-- > 0) continue;
        size_t next = size_t(f.pc - f.function->code.data());
        size_t at = next == 0 ? 0 : next - 1;
        const std::string& file = f.function->file.empty() ? vm.program().file_path : f.function->file;
        frame[0].u = reinterpret_cast<uintptr_t>(f.pc);
        store_string(frame + 1, vm.heap().make_string(file));
        frame[3].i = at < f.function->lines.size() ? f.function->lines[at] : 0;
        frame[4].u = 1;
        return;
    }
    for (int k = 0; k < 5; ++k) frame[k].u = 0;
}

} // namespace

const NativeEntry runtime_natives[] = {
    {"runtime.Gosched", gosched},
    {"runtime.NumGoroutine", num_goroutine},
    {"runtime.GOMAXPROCS", gomaxprocs},
    {"runtime.Goexit", goexit},
    {"runtime.errorText", error_text},
    {"runtime.runtimeError", runtime_error},
    {"runtime.Caller", caller},
    {nullptr, nullptr},
};

} // namespace csp::stdlib
