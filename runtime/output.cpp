// Output's flush and the raw descriptor writer shared with the runtime's stderr path.
// Writes go straight to the descriptor (no stdio), so nothing else buffers behind us.
#include "runtime/output.hpp"

#include <cerrno>
#include <unistd.h>

namespace csp {

void write_all(int fd, std::string_view text) {
    while (!text.empty()) {
        ssize_t written = ::write(fd, text.data(), text.size());
        if (written < 0) {
            if (errno == EINTR) continue;
            return;
        }
        text.remove_prefix(size_t(written));
    }
}

void Output::flush() {
    if (m_buffer.empty()) return;
    if (m_capture != nullptr)
        m_capture->append(m_buffer);
    else
        write_all(m_fd, m_buffer);
    m_buffer.clear();
}

} // namespace csp
