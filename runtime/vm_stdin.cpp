// Reading standard input without stopping the other goroutines: a reader that would block
// parks [IO wait], and the scheduler polls file descriptor 0 when it switches goroutines
// and while it waits for timers, readying the readers once input (or end of file) is there.
#include "runtime/vm.hpp"

#include <cerrno>
#include <poll.h>

namespace csp {

bool VM::stdin_ready() {
    pollfd fd{0, POLLIN, 0};
    int n;
    do n = ::poll(&fd, 1, 0);
    while (n < 0 && errno == EINTR);
    // an error, hang-up or invalid descriptor: a read reports it without blocking
    return n != 0;
}

void VM::wait_for_stdin() {
    m_stdin_waiters.push_back(m_scheduler.current());
    park_current(WaitReason::IoWait);
}

bool VM::poll_stdin(int timeout_ms) {
    pollfd fd{0, POLLIN, 0};
    int n = ::poll(&fd, 1, timeout_ms);
    if (n < 0 && errno == EINTR) return false;
    if (n == 0) return false;
    for (Goroutine* g : m_stdin_waiters) m_scheduler.ready(g);
    m_stdin_waiters.clear();
    return true;
}

} // namespace csp
