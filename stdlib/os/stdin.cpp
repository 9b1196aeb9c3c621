// Reading os.Stdin: a read that would block parks the reading goroutine (VM::wait_for_stdin)
// and reports errno -1, on which os.csp's File.Read (and fmt's reader of standard input,
// for Scan) calls again once it is woken.
#include "stdlib/natives.hpp"

#include <cerrno>
#include <string>
#include <unistd.h>

namespace csp::stdlib {

namespace {

// Reads into p, storing (n, errno) at results.
void read_into(VM& vm, Slot* results, SliceRef p) {
    results[0].i = 0;
    if (!VM::stdin_ready()) {
        results[1].i = -1;
        vm.out().flush(); // a prompt printed before the read is seen before it waits
        vm.wait_for_stdin();
        return;
    }
    std::string buffer(size_t(p.len), '\0');
    ssize_t n;
    do n = ::read(0, buffer.data(), buffer.size());
    while (n < 0 && errno == EINTR);
    if (n < 0) {
        results[1].i = errno == EAGAIN ? -1 : errno;
        if (errno == EAGAIN) vm.wait_for_stdin();
        return;
    }
    Slot* bytes = static_cast<Slot*>(p.data);
    for (ssize_t k = 0; k < n; ++k) bytes[k].u = uint8_t(buffer[size_t(k)]);
    results[0].i = n;
    results[1].i = 0;
}

} // namespace

// os.sysRead(0, p) (n, errno)
void stdin_read(VM& vm, Slot* frame) { read_into(vm, frame, load_slice(frame + 1)); }

// fmt.readStdin(p) (n, errno)
void fmt_read_stdin(VM& vm, Slot* frame) { read_into(vm, frame, load_slice(frame)); }

} // namespace csp::stdlib
