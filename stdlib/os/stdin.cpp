// Reading os.Stdin: a read that would block parks the reading goroutine (VM::wait_for_stdin)
// and reports errno -1, on which os.csp's File.Read calls again once it is woken.
#include "stdlib/natives.hpp"

#include <cerrno>
#include <string>
#include <unistd.h>

namespace csp::stdlib {

// sysRead(0, p) (n, errno)
void stdin_read(VM& vm, Slot* frame) {
    frame[0].i = 0;
    if (!VM::stdin_ready()) {
        frame[1].i = -1;
        vm.out().flush(); // a prompt printed before the read is seen before it waits
        vm.wait_for_stdin();
        return;
    }
    SliceRef p = load_slice(frame + 1);
    std::string buffer(size_t(p.len), '\0');
    ssize_t n;
    do n = ::read(0, buffer.data(), buffer.size());
    while (n < 0 && errno == EINTR);
    if (n < 0) {
        frame[1].i = errno == EAGAIN ? -1 : errno;
        if (errno == EAGAIN) vm.wait_for_stdin();
        return;
    }
    Slot* bytes = static_cast<Slot*>(p.data);
    for (ssize_t k = 0; k < n; ++k) bytes[k].u = uint8_t(buffer[size_t(k)]);
    frame[0].i = n;
    frame[1].i = 0;
}

} // namespace csp::stdlib
