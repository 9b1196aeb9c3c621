// Native bodies of package sync: the runtime semaphores the package is built on (a wait
// queue per semaphore address, like Go's semtable) and fatal errors.
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

void fatal(VM& vm, Slot* frame) { vm.raise_fatal_error(std::string(load_string(frame).view())); }

} // namespace

const NativeEntry sync_natives[] = {
    {"sync.runtime_Semacquire", semacquire},
    {"sync.runtime_Semrelease", semrelease},
    {"sync.runtime_notifyListWait", notify_list_wait},
    {"sync.fatal", fatal},
    {nullptr, nullptr},
};

} // namespace csp::stdlib
