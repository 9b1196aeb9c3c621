// Native bodies of package sync: the runtime semaphores the package is built on (a wait
// queue per semaphore address, like Go's semtable) and fatal errors; and sync/atomic's one
// native, the dynamic-type comparison atomic.Value needs.
#include "stdlib/natives.hpp"

namespace csp::stdlib {

namespace {

void semacquire(VM& vm, Slot* frame) {
    auto* count = static_cast<Slot*>(frame[0].p);
    if (count->u > 0) {
        --count->u;
        return;
    }
    vm.semaphore_wait(count);
}

void notify_list_wait(VM& vm, Slot* frame) {
    auto* count = static_cast<Slot*>(frame[0].p);
    if (count->u > 0) {
        --count->u;
        return;
    }
    vm.semaphore_wait(count, WaitReason::SyncCondWait);
}

void semrelease(VM& vm, Slot* frame) {
    auto* count = static_cast<Slot*>(frame[0].p);
    if (!vm.semaphore_signal(count)) ++count->u;
}

// sync/atomic.sameType(a, b any) bool: runtime types are unique, so identity is equality.
void same_type(VM&, Slot* frame) {
    bool same = load_interface(frame).type == load_interface(frame + 2).type;
    frame[0].u = same ? 1 : 0;
}

void fatal(VM& vm, Slot* frame) { vm.raise_fatal_error(std::string(load_string(frame).view())); }

} // namespace

const NativeEntry sync_natives[] = {
    {"sync.runtime_Semacquire", semacquire},
    {"sync.runtime_Semrelease", semrelease},
    {"sync.runtime_notifyListWait", notify_list_wait},
    {"sync.fatal", fatal},
    {"sync/atomic.sameType", same_type},
    {nullptr, nullptr},
};

} // namespace csp::stdlib
