// Native bodies of package os: process exit and the environment.
#include "stdlib/natives.hpp"

#include <cstdlib>
#include <string>

namespace csp::stdlib {

namespace {

void exit(VM& vm, Slot* frame) {
    // Go passes the status to the system, which keeps its low 8 bits.
    vm.request_exit(int(frame[0].i & 0xFF));
}

void getenv(VM& vm, Slot* frame) {
    std::string key(load_string(frame).view());
    const char* value = key.find('\0') == std::string::npos ? std::getenv(key.c_str()) : nullptr;
    store_string(frame, vm.heap().make_string(value ? value : ""));
}

} // namespace

const NativeEntry os_natives[] = {
    {"os.Exit", exit},
    {"os.Getenv", getenv},
    {nullptr, nullptr},
};

} // namespace csp::stdlib
