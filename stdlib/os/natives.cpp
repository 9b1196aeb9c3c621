// Native bodies of package os (the system calls os.csp wraps; each returns an errno, 0 on
// success) and of package syscall (Errno's text). File descriptor 1 writes through the
// VM's buffered stdout and 2 through its error stream, so both keep their order with
// fmt.Print and the runtime's messages.
#include "stdlib/natives.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <dirent.h>
#include <fcntl.h>
#include <random>
#include <string>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>

extern char** environ;

namespace csp::stdlib {

void stdin_read(VM& vm, Slot* frame);     // stdlib/os/stdin.cpp
void fmt_read_stdin(VM& vm, Slot* frame); // stdlib/os/stdin.cpp

namespace {

std::string to_path(const Slot* s) { return std::string(load_string(s).view()); }

void store_strings(VM& vm, Slot* at, const std::vector<std::string>& items) {
    Slot* elements = vm.heap().make_slots(2 * items.size());
    for (size_t k = 0; k < items.size(); ++k) store_string(elements + 2 * k, vm.heap().make_string(items[k]));
    store_slice(at, {elements, int64_t(items.size()), int64_t(items.size())});
}

void exit(VM& vm, Slot* frame) {
    // Go passes the status to the system, which keeps its low 8 bits.
    vm.request_exit(int(frame[0].i & 0xFF));
}

void runtime_args(VM& vm, Slot* frame) { store_strings(vm, frame, vm.args()); }

void getenv(VM& vm, Slot* frame) {
    std::string key = to_path(frame);
    const char* value = key.find('\0') == std::string::npos ? std::getenv(key.c_str()) : nullptr;
    store_string(frame, vm.heap().make_string(value ? value : ""));
}

// LookupEnv(key) (string, bool)
void lookup_env(VM& vm, Slot* frame) {
    std::string key = to_path(frame);
    const char* value = key.find('\0') == std::string::npos ? std::getenv(key.c_str()) : nullptr;
    store_string(frame, vm.heap().make_string(value ? value : ""));
    frame[2].u = value != nullptr;
}

// sysSetenv(key, value) errno: Go rejects an empty key or one with '=' or NUL as EINVAL.
void sys_setenv(VM&, Slot* frame) {
    std::string key = to_path(frame), value = to_path(frame + 2);
    if (key.empty() || key.find_first_of(std::string("=\0", 2)) != std::string::npos) {
        frame[0].i = EINVAL;
        return;
    }
    if (value.find('\0') != std::string::npos) {
        frame[0].i = EINVAL;
        return;
    }
    frame[0].i = ::setenv(key.c_str(), value.c_str(), 1) == 0 ? 0 : errno;
}

void sys_unsetenv(VM&, Slot* frame) {
    std::string key = to_path(frame);
    frame[0].i = ::unsetenv(key.c_str()) == 0 ? 0 : errno;
}

void environ_list(VM& vm, Slot* frame) {
    std::vector<std::string> items;
    for (char** e = environ; e != nullptr && *e != nullptr; ++e) items.emplace_back(*e);
    store_strings(vm, frame, items);
}

// sysOpen(name, flag, perm) (fd, errno): O_CLOEXEC as Go always adds.
void sys_open(VM&, Slot* frame) {
    std::string name = to_path(frame);
    int fd = ::open(name.c_str(), int(frame[2].i) | O_CLOEXEC, mode_t(frame[3].u));
    frame[0].i = fd < 0 ? -1 : fd;
    frame[1].i = fd < 0 ? errno : 0;
}

// sysRead(fd, p) (n, errno): each byte of p is a full slot. Standard input goes through
// stdin_read, which parks the goroutine until input is ready.
void sys_read(VM& vm, Slot* frame) {
    if (frame[0].i == 0) return stdin_read(vm, frame);
    SliceRef p = load_slice(frame + 1);
    std::string buffer(size_t(p.len), '\0');
    ssize_t n;
    do n = ::read(int(frame[0].i), buffer.data(), buffer.size());
    while (n < 0 && errno == EINTR);
    if (n < 0) {
        frame[0].i = 0;
        frame[1].i = errno;
        return;
    }
    Slot* bytes = static_cast<Slot*>(p.data);
    for (ssize_t k = 0; k < n; ++k) bytes[k].u = uint8_t(buffer[size_t(k)]);
    frame[0].i = n;
    frame[1].i = 0;
}

// sysWrite(fd, p) (n, errno)
void sys_write(VM& vm, Slot* frame) {
    SliceRef p = load_slice(frame + 1);
    const Slot* bytes = static_cast<const Slot*>(p.data);
    std::string text(size_t(p.len), '\0');
    for (int64_t k = 0; k < p.len; ++k) text[size_t(k)] = char(bytes[k].u);
    int fd = int(frame[0].i);
    frame[0].i = p.len;
    frame[1].i = 0;
    if (fd == 1) {
        vm.out().write(text);
        return;
    }
    if (fd == 2) {
        vm.write_error(text);
        return;
    }
    size_t done = 0;
    while (done < text.size()) {
        ssize_t n = ::write(fd, text.data() + done, text.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) {
            frame[0].i = int64_t(done);
            frame[1].i = errno;
            return;
        }
        done += size_t(n);
    }
}

void sys_close(VM&, Slot* frame) { frame[0].i = ::close(int(frame[0].i)) == 0 ? 0 : errno; }

// sysSeek(fd, offset, whence) (int64, errno)
void sys_seek(VM&, Slot* frame) {
    off_t at = ::lseek(int(frame[0].i), off_t(frame[1].i), int(frame[2].i));
    frame[0].i = at < 0 ? 0 : at;
    frame[1].i = at < 0 ? errno : 0;
}

// sysRemove(name): Go's Remove tries unlink, then rmdir, and reports unlink's error
// unless rmdir's is more telling.
void sys_remove(VM&, Slot* frame) {
    std::string name = to_path(frame);
    if (::unlink(name.c_str()) == 0) return void(frame[0].i = 0);
    int e = errno;
    if (::rmdir(name.c_str()) == 0) return void(frame[0].i = 0);
    int e1 = errno;
    if (e1 != ENOTDIR) e = e1;
    frame[0].i = e;
}

void sys_rename(VM&, Slot* frame) {
    std::string from = to_path(frame), to = to_path(frame + 2);
    frame[0].i = ::rename(from.c_str(), to.c_str()) == 0 ? 0 : errno;
}

void sys_mkdir(VM&, Slot* frame) {
    std::string name = to_path(frame);
    frame[0].i = ::mkdir(name.c_str(), mode_t(frame[2].u)) == 0 ? 0 : errno;
}

// (size int64, mode uint32, sec int64, nsec int64, errno int) from a stat result.
void store_stat(Slot* frame, int result, const struct stat& st) {
    if (result != 0) {
        int e = errno;
        for (int k = 0; k < 4; ++k) frame[k].i = 0;
        frame[4].i = e;
        return;
    }
    frame[0].i = st.st_size;
    frame[1].u = st.st_mode;
    frame[2].i = st.st_mtim.tv_sec;
    frame[3].i = st.st_mtim.tv_nsec;
    frame[4].i = 0;
}

// sysStat(name, follow)
void sys_stat(VM&, Slot* frame) {
    std::string name = to_path(frame);
    struct stat st {};
    int result = frame[2].u ? ::stat(name.c_str(), &st) : ::lstat(name.c_str(), &st);
    store_stat(frame, result, st);
}

void sys_fstat(VM&, Slot* frame) {
    struct stat st {};
    store_stat(frame, ::fstat(int(frame[0].i), &st), st);
}

// sysReadDirNames(name) (names []string, errno): sorted by name, without . and ..
void sys_read_dir_names(VM& vm, Slot* frame) {
    std::string name = to_path(frame);
    DIR* dir = ::opendir(name.c_str());
    if (dir == nullptr) {
        int e = errno;
        store_slice(frame, {nullptr, 0, 0});
        frame[3].i = e;
        return;
    }
    std::vector<std::string> names;
    while (const dirent* entry = ::readdir(dir)) {
        std::string_view n(entry->d_name);
        if (n != "." && n != "..") names.emplace_back(n);
    }
    ::closedir(dir);
    std::sort(names.begin(), names.end());
    store_strings(vm, frame, names);
    frame[3].i = 0;
}

void sys_random(VM&, Slot* frame) {
    static std::random_device device;
    frame[0].u = uint32_t(device());
}

void sys_getwd(VM& vm, Slot* frame) {
    std::vector<char> buffer(4096);
    if (::getcwd(buffer.data(), buffer.size()) == nullptr) {
        int e = errno;
        store_string(frame, {});
        frame[2].i = e;
        return;
    }
    store_string(frame, vm.heap().make_string(buffer.data()));
    frame[2].i = 0;
}

void sys_chdir(VM&, Slot* frame) {
    std::string name = to_path(frame);
    frame[0].i = ::chdir(name.c_str()) == 0 ? 0 : errno;
}

// syscall.errstr(e): strerror's text with a lower-case first letter, as Go's table.
void errstr(VM& vm, Slot* frame) {
    int64_t e = frame[0].i;
    std::string text = e > 0 && e < 4096 ? std::strerror(int(e)) : "";
    if (text.empty() || text.starts_with("Unknown error")) text = "errno " + std::to_string(e);
    else if (text[0] >= 'A' && text[0] <= 'Z' && !(text.size() > 1 && text[1] >= 'A' && text[1] <= 'Z'))
        text[0] = char(text[0] - 'A' + 'a');
    store_string(frame, vm.heap().make_string(text));
}

} // namespace

const NativeEntry os_natives[] = {
    {"os.Exit", exit},
    {"os.Getenv", getenv},
    {"os.LookupEnv", lookup_env},
    {"os.sysSetenv", sys_setenv},
    {"os.sysUnsetenv", sys_unsetenv},
    {"os.Environ", environ_list},
    {"os.runtimeArgs", runtime_args},
    {"os.sysOpen", sys_open},
    {"os.sysRead", sys_read},
    {"os.sysWrite", sys_write},
    {"os.sysClose", sys_close},
    {"os.sysSeek", sys_seek},
    {"os.sysRemove", sys_remove},
    {"os.sysRename", sys_rename},
    {"os.sysMkdir", sys_mkdir},
    {"os.sysStat", sys_stat},
    {"os.sysFstat", sys_fstat},
    {"os.sysReadDirNames", sys_read_dir_names},
    {"os.sysRandom", sys_random},
    {"os.sysGetwd", sys_getwd},
    {"os.sysChdir", sys_chdir},
    {"syscall.errstr", errstr},
    // fmt reads standard input for Scan without importing os (fmt.csp)
    {"fmt.readStdin", fmt_read_stdin},
    {"fmt.errnoText", errstr},
    {nullptr, nullptr},
};

} // namespace csp::stdlib
