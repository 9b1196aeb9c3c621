// Buffered standard output for programs (fmt.Print*, os.Stdout) and unbuffered writes to
// standard error for the runtime (builtin print, panics, fatal errors). Invariant: stdout
// is flushed before anything is written to stderr, so the two interleave as in Go.
#pragma once
#include <cstddef>
#include <string>
#include <string_view>

namespace csp {

// Writes all of `text` to file descriptor `fd`, retrying short writes and EINTR. Errors
// (a closed pipe) drop the rest silently.
void write_all(int fd, std::string_view text);

class Output {
  public:
    static constexpr size_t flush_threshold = 64 * 1024;

    explicit Output(int fd = 1) : m_fd(fd) {}
    Output(const Output&) = delete;
    Output& operator=(const Output&) = delete;
    ~Output() { flush(); }

    void write(std::string_view text) {
        m_buffer.append(text);
        maybe_flush();
    }
    void put(char c) {
        m_buffer.push_back(c);
        maybe_flush();
    }
    // The pending bytes, for natives that format in place; call maybe_flush() after.
    std::string& buffer() { return m_buffer; }
    void maybe_flush() {
        if (m_buffer.size() > flush_threshold || (m_line_buffered && !m_buffer.empty() && m_buffer.back() == '\n'))
            flush();
    }
    // Flush at each line's end, too (the REPL on a terminal, where output must show at once).
    void set_line_buffered(bool line_buffered) { m_line_buffered = line_buffered; }
    void flush();

    // Tests: flushed bytes are appended to *sink instead of being written to the fd.
    void capture_to(std::string* sink) { m_capture = sink; }

  private:
    int m_fd;
    std::string m_buffer;
    std::string* m_capture = nullptr;
    bool m_line_buffered = false;
};

} // namespace csp
