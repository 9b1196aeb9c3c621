// Native bodies of package os: process exit, the environment and writing to descriptors.
#include "stdlib/natives.hpp"

#include <cstdlib>
#include <string>
#include <unistd.h>

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

// write(fd uintptr, s string): standard output goes through the VM's output buffer and
// standard error after flushing it, so the streams interleave as Go's unbuffered ones do.
void write(VM& vm, Slot* frame) {
    std::string_view s = load_string(frame + 1).view();
    if (frame[0].u == 1) {
        vm.out().write(s);
    } else if (frame[0].u == 2) {
        vm.write_error(s);
    } else {
        for (size_t done = 0; done < s.size();) {
            ssize_t n = ::write(int(frame[0].u), s.data() + done, s.size() - done);
            if (n <= 0) break;
            done += size_t(n);
        }
    }
}

} // namespace

const NativeEntry os_natives[] = {
    {"os.write", write},
    {"os.Exit", exit},
    {"os.Getenv", getenv},
    {nullptr, nullptr},
};

} // namespace csp::stdlib
