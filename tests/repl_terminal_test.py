#!/usr/bin/env python3
"""The REPL on a terminal: drives `csp` through a pseudo-terminal (libedit line editing).

Usage: repl_terminal_test.py path/to/csp
Checks the prompt and the continuation prompt, a multi-line input, value printing, a
panic followed by more input, Tab completion, history recall (Ctrl-P), Ctrl-C stopping `for {}`, the
history file written to $HOME/.csp_history with a multi-line entry as one, and Ctrl-D
ending the session, a goroutine printing while the prompt waits (the prompt and the
half-typed line are redrawn below its output), and one ending the session with os.Exit.
"""
import os, pty, select, sys, tempfile, time

def main():
    csp = sys.argv[1]
    home = tempfile.mkdtemp(prefix="csp_repl_home_")
    pid, fd = pty.fork()
    if pid == 0:
        os.environ.update(HOME=home, TERM="xterm", CSP_SEED="1")
        os.execv(csp, [csp])

    last_sent = None

    everything = []

    def read_until(token, timeout=10):
        buf = b""
        end = time.time() + timeout
        while time.time() < end:
            ready, _, _ = select.select([fd], [], [], 0.1)
            if not ready:
                continue
            try:
                chunk = os.read(fd, 4096)
            except OSError:
                break
            if not chunk:
                break
            buf += chunk
            everything.append(chunk)
            if token.encode() in buf:
                return buf.decode(errors="replace")
        sys.exit("timeout waiting for %r; got %r (after %r)" % (token, buf, last_sent))

    def expect(sent, token, wanted):
        nonlocal last_sent
        last_sent = sent
        os.write(fd, sent)
        out = read_until(token)
        if wanted not in out:
            sys.exit("after %r: wanted %r in %r" % (sent, wanted, out))

    read_until("csp> ")
    expect(b"total := 1 +\r", "...  ", "...  ")              # continuation prompt
    expect(b"41\r", "csp> ", "csp> ")
    expect(b"total\r", "csp> ", "42\r\n")                     # the value, then a prompt
    expect(b"func half(n int) int {\r", "...  ", "...  ")
    expect(b"return n / 2\r", "...  ", "...  ")
    expect(b"}\r", "csp> ", "csp> ")
    expect(b"half(total)\r", "csp> ", "21\r\n")
    expect(b"zero := 0\r", "csp> ", "csp> ")
    expect(b"half(total) / zero\r", "csp> ", "integer divide by zero")  # a panic
    expect(b"total + 1\r", "csp> ", "43\r\n")                 # the session goes on
    expect(b"tot\t+= 0\r", "csp> ", "al += 0\r\ncsp> ")     # Tab completes a session name
    expect(b"strconv.Ito\t(7)\r", "csp> ", "7\r\n")          # and a package member
    expect(b"total++\r", "csp> ", "csp> ")
    expect(b"\x10" * 4 + b"\r", "csp> ", "44\r\n")          # Ctrl-P 4 times: `total + 1` again
    # A goroutine prints while the prompt waits: its line appears above the prompt, which
    # is redrawn with the half-typed input.
    expect(b"go func() { for i := 0; i < 2; i++ { time.Sleep(100 * time.Millisecond); "
           b"fmt.Println(\"tick\", i) } }()\r", "csp> ", "csp> ")
    os.write(fd, b"hal")
    out = read_until("tick 1")
    if not out.endswith("csp> hal"):
        out += read_until("csp> hal")
    if "tick 0\r\ncsp> hal" not in out:
        sys.exit("no redraw after goroutine output: %r" % out)
    expect(b"f := 1\r", "csp> ", "csp> ")
    expect(b"half\r", "csp> ", "1\r\n")
    expect(b"spins := 0\r", "csp> ", "csp> ")
    expect(b"fmt.Println(\"spin\" + \"ning\"); for { spins++ }\r", "spinning", "spinning")
    expect(b"\x03", "csp> ", "interrupted")                  # Ctrl-C stops a running input
    expect(b"spins > 0\r", "csp> ", "true\r\n")             # its effects stay
    expect(b"fmt.Println(\"n\" + \"ap\"); time.Sleep(2 * time.Second); fmt.Println(\"la\" + \"te\")\r",
           "nap", "nap")
    time.sleep(0.1)
    expect(b"\x03", "csp> ", "interrupted")                  # Ctrl-C stops a sleep too
    time.sleep(2.5)
    expect(b"1\r", "csp> ", "1\r\n")
    expect(b"\"after the nap\"\r", "csp> ", "after the nap")
    if b"late" in b"".join(everything):
        sys.exit("the interrupted input went on after its sleep")
    os.write(fd, b"\x04")                                     # Ctrl-D
    _, status = os.waitpid(pid, 0)
    if os.WEXITSTATUS(status) != 0:
        sys.exit("exit status %d" % os.WEXITSTATUS(status))
    history = open(os.path.join(home, ".csp_history")).read()
    if "total\\040:=\\0401\\040+\\01241" not in history:  # libedit's encoding: one entry
        sys.exit("history file: %r" % history)
    exit_from_background(csp, home)
    print("ok")


def exit_from_background(csp, home):
    """os.Exit in a goroutine while the prompt waits ends the session with its status."""
    pid, fd = pty.fork()
    if pid == 0:
        os.environ.update(HOME=home, TERM="xterm", CSP_SEED="1")
        os.execv(csp, [csp])
    time.sleep(0.3)
    os.write(fd, b"go func() { time.Sleep(200 * time.Millisecond); os.Exit(7) }()\r")
    end = time.time() + 10
    while time.time() < end:
        ready, _, _ = select.select([fd], [], [], 0.1)
        if ready:
            try:
                if not os.read(fd, 4096):
                    break
            except OSError:
                break
    _, status = os.waitpid(pid, 0)
    if os.WEXITSTATUS(status) != 7:
        sys.exit("os.Exit(7) in a goroutine: exit status %d" % os.WEXITSTATUS(status))


main()
