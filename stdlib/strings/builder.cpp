// Natives behind strings.Builder and strings.Replacer. A Builder's bytes live in a Bytes
// block that only the builder appends to: String() shares the block, and later writes go
// past the end of every string already handed out, so those never change (Go's Builder
// does the same with unsafe). The csp side (strings.csp) rejects copied builders.
#include "runtime/panic.hpp"
#include "stdlib/natives.hpp"

#include <cstring>
#include <string>

namespace csp::stdlib {

namespace {

// The slots of a Builder struct: addr *Builder, buf string, cap int.
constexpr int buf_slot = 1, cap_slot = 3;

// Moves b's bytes to a new block of `capacity` bytes.
void reallocate(VM& vm, Slot* b, int64_t capacity) {
    StringRef buf = load_string(b + buf_slot);
    char* block = static_cast<char*>(vm.heap().allocate(size_t(capacity), ObjectKind::Bytes));
    if (buf.len > 0) std::memcpy(block, buf.data, size_t(buf.len));
    store_string(b + buf_slot, {block, buf.len});
    b[cap_slot].i = capacity;
}

// Appends `n` bytes produced by `fill(destination)`, growing as Go's append does.
template <typename Fill> void append(VM& vm, Slot* b, int64_t n, Fill fill) {
    if (n == 0) return;
    StringRef buf = load_string(b + buf_slot);
    if (buf.len + n > b[cap_slot].i) {
        int64_t capacity = grown_capacity(b[cap_slot].i, buf.len + n, 1);
        if (capacity < 0) return vm.raise_panic_message(std::string(growslice_cap_message));
        reallocate(vm, b, capacity);
        buf = load_string(b + buf_slot);
    }
    fill(const_cast<char*>(buf.data) + buf.len);
    store_string(b + buf_slot, {buf.data, buf.len + n});
}

} // namespace

// builderAppend(b *Builder, s string)
void builder_append(VM& vm, Slot* frame) {
    StringRef s = load_string(frame + 1);
    append(vm, static_cast<Slot*>(frame[0].p), s.len,
           [s](char* out) { std::memcpy(out, s.data, size_t(s.len)); });
}

// builderAppendBytes(b *Builder, p []byte): each byte is a full slot.
void builder_append_bytes(VM& vm, Slot* frame) {
    SliceRef p = load_slice(frame + 1);
    const Slot* bytes = static_cast<const Slot*>(p.data);
    append(vm, static_cast<Slot*>(frame[0].p), p.len, [&](char* out) {
        for (int64_t i = 0; i < p.len; ++i) out[i] = char(bytes[i].u);
    });
}

// builderGrow(b *Builder, n int): Go's Builder.grow, make([]byte, len, 2*cap+n), which
// panics beyond Go's maxAlloc (2^48 bytes) as makeslice does.
void builder_grow(VM& vm, Slot* frame) {
    Slot* b = static_cast<Slot*>(frame[0].p);
    int64_t capacity = 0;
    if (__builtin_mul_overflow(b[cap_slot].i, int64_t(2), &capacity) ||
        __builtin_add_overflow(capacity, frame[1].i, &capacity) || capacity > (int64_t(1) << 48))
        return vm.raise_panic_message(std::string(makeslice_cap_message));
    reallocate(vm, b, capacity);
}

// replacerReplace(s string, oldnew []string) string: Go's genericReplacer. At each
// position the earliest pair whose old string matches wins; an empty old string matches
// everywhere, but not twice at one position.
void replacer_replace(VM& vm, Slot* frame) {
    std::string_view s = load_string(frame).view();
    SliceRef pairs = load_slice(frame + 2);
    const Slot* oldnew = static_cast<const Slot*>(pairs.data);
    std::string out;
    bool changed = false, prev_match_empty = false;
    size_t last = 0;
    for (size_t i = 0; i <= s.size();) {
        int64_t match = -1;
        for (int64_t k = 0; k + 1 < pairs.len && match < 0; k += 2) {
            std::string_view old_s = load_string(oldnew + 2 * k).view();
            if (old_s.empty() && prev_match_empty) continue;
            if (s.substr(i).starts_with(old_s)) match = k;
        }
        if (match >= 0) {
            std::string_view old_s = load_string(oldnew + 2 * match).view();
            prev_match_empty = old_s.empty();
            out.append(s.substr(last, i - last)).append(load_string(oldnew + 2 * (match + 1)).view());
            changed = true;
            i += old_s.size();
            last = i;
            continue;
        }
        prev_match_empty = false;
        ++i;
    }
    if (!changed) return; // s is still in frame[0..1]
    out.append(s.substr(last));
    store_string(frame, vm.heap().make_string(out));
}

} // namespace csp::stdlib
