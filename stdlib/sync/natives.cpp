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

// -race hooks (the compiler drops their calls otherwise): happens-before edges on an
// address, as Go's sync and sync/atomic tell its race detector.
void race_acquire(VM& vm, Slot* frame) {
    if (RaceDetector* race = race_detector) race->acquire(vm.scheduler().current(), frame[0].p);
}

void race_release(VM& vm, Slot* frame) {
    if (RaceDetector* race = race_detector) race->release(vm.scheduler().current(), frame[0].p);
}

void race_release_merge(VM& vm, Slot* frame) {
    if (RaceDetector* race = race_detector) race->release_merge(vm.scheduler().current(), frame[0].p);
}

// An atomic operation: kind 0 loads (acquire), 1 stores (release), 2 both.
void race_atomic(VM& vm, Slot* frame) {
    RaceDetector* race = race_detector; // null when off or stopped (too many goroutines)
    if (race == nullptr) return;
    Goroutine* g = vm.scheduler().current();
    if (frame[1].i != 1) race->acquire(g, frame[0].p);
    if (frame[1].i != 0) race->release_merge(g, frame[0].p);
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
    {"sync.raceAcquire", race_acquire},
    {"sync.raceRelease", race_release},
    {"sync.raceReleaseMerge", race_release_merge},
    {"sync/atomic.raceAtomicInt32", race_atomic},
    {"sync/atomic.raceAtomicInt64", race_atomic},
    {"sync/atomic.raceAtomicUint32", race_atomic},
    {"sync/atomic.raceAtomicUint64", race_atomic},
    {"sync/atomic.raceAtomicUintptr", race_atomic},
    {"sync/atomic.raceAtomicBool", race_atomic},
    {"sync/atomic.sameType", same_type},
    {nullptr, nullptr},
};

} // namespace csp::stdlib
