// Native bodies of package math/rand: the run's seed, which starts the default source.
#include "stdlib/natives.hpp"

namespace csp::stdlib {

namespace {

void run_seed(VM& vm, Slot* frame) { frame[0].u = vm.scheduler().seed(); }

} // namespace

const NativeEntry rand_natives[] = {
    {"math/rand.runSeed", run_seed},
    {nullptr, nullptr},
};

} // namespace csp::stdlib
