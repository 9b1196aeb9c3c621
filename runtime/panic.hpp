// Go's words for runtime failures: runtime error messages, how a panic value is printed
// (Go 1.19's printpanicval), the builtin print format (runtime/print.go) and goroutine
// traces. Pure formatting: the VM decides when to use them.
#pragma once
#include "runtime/bytecode.hpp"
#include "runtime/goroutine.hpp"
#include "runtime/value.hpp"

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace csp {

// Runtime error messages, word for word as Go prints them.
inline constexpr std::string_view send_on_closed_message = "send on closed channel";
inline constexpr std::string_view close_of_nil_message = "close of nil channel";
inline constexpr std::string_view close_of_closed_message = "close of closed channel";
inline constexpr std::string_view makechan_size_message = "makechan: size out of range";
inline constexpr std::string_view divide_by_zero_message = "runtime error: integer divide by zero";
inline constexpr std::string_view negative_shift_message = "runtime error: negative shift amount";
inline constexpr std::string_view nil_dereference_message =
    "runtime error: invalid memory address or nil pointer dereference";
inline constexpr std::string_view nil_signal_line =
    "[signal SIGSEGV: segmentation violation code=0x1 addr=0x0 pc=0x0]";
std::string index_out_of_range_message(int64_t index, int64_t length);

// The checks of a slice expression, each with Go's message (runtime/error.go's boundsError):
// x[:hi] against the length (strings) or capacity (slices), x[lo:hi], and the three checks
// of x[lo:hi:max].
enum class SliceBounds : uint8_t { Alen, Acap, B, ThreeAlen, ThreeAcap, ThreeB, ThreeC };
std::string slice_bounds_message(SliceBounds check, int64_t x, int64_t y);
inline constexpr std::string_view makeslice_len_message = "runtime error: makeslice: len out of range";
inline constexpr std::string_view makeslice_cap_message = "runtime error: makeslice: cap out of range";
inline constexpr std::string_view growslice_cap_message = "runtime error: growslice: cap out of range";

// Go's runtime printfloat: "+1.500000e+000", "-Inf", "NaN". A port of Go's algorithm
// (not printf's %e), so the last digit rounds exactly as Go's does.
void append_print_float(std::string& out, double value);
// "0x" and lowercase hex digits, as the runtime prints pointers.
void append_hex(std::string& out, uint64_t value);
// One value as the builtin print/println shows it: integers in decimal, floats as above,
// strings raw, interfaces as (type,data) addresses, funcs as an address, nil as "nil".
void append_print_value(std::string& out, const RtType& type, const Slot* value);

// The text after "panic: " for a panic value: Go 1.19's printpanicval. Runtime errors
// print their message; basic types print as print() does; named basic types print as
// main.T(5), main.S("text"); other types as (T) 0xaddress; the nil interface as "nil".
void append_panic_value(std::string& out, InterfaceRef value, const RtType& runtime_error_type);

// "goroutine 1 [running]:" (or the goroutine's wait reason) and one entry per frame, innermost first: "name(...)" or
// "name()", then a tab, the file and the line (the faulting instruction's in the innermost
// frame, the call's in callers). Frames of functions named "runtime.*" are hidden, as in
// Go, and so is the VM's panic frame when it would be printed first. `entering`, if not
// null, is a function being entered (a stack overflow), shown first at its first line.
// After max_frames entries, "...additional frames elided...". A goroutine started by a go
// statement ends with "created by F" and the statement's line.
void append_goroutine_trace(std::string& out, const Program& program, const Goroutine& goroutine,
                            const Function* entering = nullptr, size_t max_frames = 100);

// Go's dump of a deadlocked program's goroutines, main first, then by id, each with its
// wait reason: "goroutine 6 [chan receive]:".
void append_all_goroutines(std::string& out, const Program& program, const Goroutine* first_live);

} // namespace csp
