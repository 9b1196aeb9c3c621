// Native bodies of package strings: searching, splitting, case mapping, trimming, the
// Builder's block and the Replacer's scan. Each ports the Go 1.19 function it names; Go's
// ASCII fast paths are left out where the general path gives the same result. Results
// that are pieces of an argument share its bytes, as Go's substrings do.
#include "runtime/panic.hpp"
#include "stdlib/natives.hpp"
#include "stdlib/unicode/unicode.hpp"

#include <cstring>
#include <string>
#include <vector>

namespace csp::stdlib {

namespace {

using unicode::decode_last_rune;
using unicode::decode_rune;
using unicode::rune_error;

std::string_view arg(const Slot* frame, int at) { return load_string(frame + at).view(); }

// A result that is a piece of an argument: no copy.
void return_piece(Slot* frame, std::string_view piece) {
    store_string(frame, {piece.empty() ? nullptr : piece.data(), int64_t(piece.size())});
}

void return_new(VM& vm, Slot* frame, std::string_view text) { store_string(frame, vm.heap().make_string(text)); }

// A []string of `parts` with capacity `cap` (>= parts.size()).
void return_strings(VM& vm, Slot* frame, const std::vector<std::string_view>& parts, size_t cap) {
    Slot* block = vm.heap().make_slots(cap * 2);
    for (size_t i = 0; i < parts.size(); ++i) return_piece(block + 2 * i, parts[i]);
    store_slice(frame, {block, int64_t(parts.size()), int64_t(cap)});
}

int64_t index_of(std::string_view s, std::string_view sub) {
    size_t k = s.find(sub);
    return k == std::string_view::npos ? -1 : int64_t(k);
}

int64_t index_rune(std::string_view s, int64_t r) {
    if (0 <= r && r < unicode::rune_self) {
        size_t k = s.find(char(r));
        return k == std::string_view::npos ? -1 : int64_t(k);
    }
    if (r == rune_error) {
        for (size_t i = 0; i < s.size();) {
            unicode::Decoded d = decode_rune(s, i);
            if (d.rune == rune_error) return int64_t(i);
            i += d.width;
        }
        return -1;
    }
    if (!unicode::valid_rune(r)) return -1;
    std::string encoded;
    unicode::append_rune(encoded, r);
    return index_of(s, encoded);
}

bool contains_rune(std::string_view s, int64_t r) { return index_rune(s, r) >= 0; }

int64_t count(std::string_view s, std::string_view sub) {
    if (sub.empty()) return unicode::rune_count(s) + 1;
    int64_t n = 0;
    for (size_t k = s.find(sub); k != std::string_view::npos; k = s.find(sub, k + sub.size())) ++n;
    return n;
}

void count_native(VM&, Slot* frame) { frame[0].i = count(arg(frame, 0), arg(frame, 2)); }
void index_native(VM&, Slot* frame) { frame[0].i = index_of(arg(frame, 0), arg(frame, 2)); }

void index_byte(VM&, Slot* frame) {
    size_t k = arg(frame, 0).find(char(frame[2].u));
    frame[0].i = k == std::string_view::npos ? -1 : int64_t(k);
}

void index_rune_native(VM&, Slot* frame) { frame[0].i = index_rune(arg(frame, 0), frame[2].i); }

void index_any(VM&, Slot* frame) {
    std::string_view s = arg(frame, 0), chars = arg(frame, 2);
    frame[0].i = -1;
    if (chars.empty()) return;
    for (size_t i = 0; i < s.size();) {
        unicode::Decoded d = decode_rune(s, i);
        if (contains_rune(chars, d.rune)) {
            frame[0].i = int64_t(i);
            return;
        }
        i += d.width;
    }
}

void last_index(VM&, Slot* frame) {
    size_t k = arg(frame, 0).rfind(arg(frame, 2));
    frame[0].i = k == std::string_view::npos ? -1 : int64_t(k);
}

void last_index_byte(VM&, Slot* frame) {
    size_t k = arg(frame, 0).rfind(char(frame[2].u));
    frame[0].i = k == std::string_view::npos ? -1 : int64_t(k);
}

void last_index_any(VM&, Slot* frame) {
    std::string_view s = arg(frame, 0), chars = arg(frame, 2);
    frame[0].i = -1;
    if (chars.empty()) return;
    for (size_t i = s.size(); i > 0;) {
        unicode::Decoded d = decode_last_rune(s, i);
        i -= d.width;
        if (contains_rune(chars, d.rune)) {
            frame[0].i = int64_t(i);
            return;
        }
    }
}

// Go's EqualFold: runes compare equal under Unicode simple case folding.
void equal_fold(VM&, Slot* frame) {
    std::string_view s = arg(frame, 0), t = arg(frame, 2);
    size_t i = 0, j = 0;
    while (i < s.size() && j < t.size()) {
        unicode::Decoded a = decode_rune(s, i), b = decode_rune(t, j);
        i += a.width, j += b.width;
        int64_t sr = a.rune, tr = b.rune;
        if (tr == sr) continue;
        if (tr < sr) std::swap(tr, sr);
        if (tr < unicode::rune_self) {
            if ('A' <= sr && sr <= 'Z' && tr == sr + 'a' - 'A') continue;
            frame[0].i = 0;
            return;
        }
        int64_t r = unicode::simple_fold(sr);
        while (r != sr && r < tr) r = unicode::simple_fold(r);
        if (r == tr) continue;
        frame[0].i = 0;
        return;
    }
    frame[0].i = s.substr(i) == t.substr(j);
}

// Go's explode: s split into UTF-8 sequences, at most n pieces (n < 0: all); an invalid
// byte becomes "\uFFFD" (the last piece is left as it is).
std::vector<std::string_view> explode(std::string_view s, int64_t n) {
    int64_t l = unicode::rune_count(s);
    if (n < 0 || n > l) n = l;
    std::vector<std::string_view> a;
    for (int64_t i = 0; i < n - 1; ++i) {
        unicode::Decoded d = decode_rune(s);
        a.push_back(d.rune == rune_error ? std::string_view("\uFFFD") : s.substr(0, d.width));
        s.remove_prefix(d.width);
    }
    if (n > 0) a.push_back(s);
    return a;
}

// genSplit(s, sep string, after bool, n int) []string
void gen_split(VM& vm, Slot* frame) {
    std::string_view s = arg(frame, 0), sep = arg(frame, 2);
    bool after = frame[4].i != 0;
    int64_t n = frame[5].i;
    if (n == 0) return store_slice(frame, {});
    if (sep.empty()) {
        std::vector<std::string_view> a = explode(s, n);
        return return_strings(vm, frame, a, a.size());
    }
    if (n < 0) n = count(s, sep) + 1;
    if (n > int64_t(s.size()) + 1) n = int64_t(s.size()) + 1;
    std::vector<std::string_view> a;
    while (int64_t(a.size()) < n - 1) {
        size_t m = s.find(sep);
        if (m == std::string_view::npos) break;
        a.push_back(s.substr(0, m + (after ? sep.size() : 0)));
        s.remove_prefix(m + sep.size());
    }
    a.push_back(s);
    return_strings(vm, frame, a, size_t(n));
}

bool is_space(int64_t r) { return unicode::in_table(unicode::space_table, r); }

// Fields: the runs of non-space runes (invalid bytes are not space).
void fields(VM& vm, Slot* frame) {
    std::string_view s = arg(frame, 0);
    std::vector<std::string_view> a;
    size_t start = 0;
    bool in_field = false;
    for (size_t i = 0; i < s.size();) {
        unicode::Decoded d = decode_rune(s, i);
        if (is_space(d.rune)) {
            if (in_field) a.push_back(s.substr(start, i - start));
            in_field = false;
        } else if (!in_field) {
            start = i, in_field = true;
        }
        i += d.width;
    }
    if (in_field) a.push_back(s.substr(start));
    return_strings(vm, frame, a, a.size());
}

void join(VM& vm, Slot* frame) {
    SliceRef elems = load_slice(frame);
    std::string_view sep = arg(frame, 3);
    const Slot* e = static_cast<const Slot*>(elems.data);
    if (elems.len == 0) return return_piece(frame, {});
    if (elems.len == 1) return store_string(frame, load_string(e));
    std::string out;
    for (int64_t i = 0; i < elems.len; ++i) {
        if (i > 0) out += sep;
        out += load_string(e + 2 * i).view();
    }
    return_new(vm, frame, out);
}

void repeat(VM& vm, Slot* frame) {
    std::string_view s = arg(frame, 0);
    int64_t n = frame[2].i, total = 0;
    if (n == 0) return return_piece(frame, {});
    if (n < 0) return vm.raise_panic_string("strings: negative Repeat count");
    if (__builtin_mul_overflow(int64_t(s.size()), n, &total))
        return vm.raise_panic_string("strings: Repeat count causes overflow");
    if (total == 0) return return_piece(frame, {}); // s is empty: no n iterations
    // Go's Repeat grows a Builder to the total first: makeslice's limit (2^48 bytes).
    if (total > (int64_t(1) << 48)) return vm.raise_panic_message(std::string(makeslice_cap_message));
    char* out = static_cast<char*>(vm.heap().allocate_uninitialized(size_t(total), ObjectKind::Bytes));
    for (int64_t i = 0; i < n; ++i) std::memcpy(out + size_t(i) * s.size(), s.data(), s.size());
    store_string(frame, {out, total});
}

// Replace(s, old, new string, n int) string
void replace(VM& vm, Slot* frame) {
    std::string_view s = arg(frame, 0), old_s = arg(frame, 2), new_s = arg(frame, 4);
    int64_t n = frame[6].i;
    if (old_s == new_s || n == 0) return return_piece(frame, s);
    int64_t m = count(s, old_s);
    if (m == 0) return return_piece(frame, s);
    if (n < 0 || m < n) n = m;
    std::string t;
    size_t start = 0;
    for (int64_t i = 0; i < n; ++i) {
        size_t j = start;
        if (old_s.empty()) {
            if (i > 0) j += decode_rune(s, start).width;
        } else {
            j = s.find(old_s, start);
        }
        t.append(s.substr(start, j - start)).append(new_s);
        start = j + old_s.size();
    }
    t.append(s.substr(start));
    return_new(vm, frame, t);
}

template <unicode::Case c> void map_case(VM& vm, Slot* frame) {
    std::string_view s = arg(frame, 0);
    std::string out;
    out.reserve(s.size());
    for (size_t i = 0; i < s.size();) {
        unicode::Decoded d = decode_rune(s, i);
        unicode::append_rune(out, unicode::to_case(c, d.rune));
        i += d.width;
    }
    if (out == s) return return_piece(frame, s);
    return_new(vm, frame, out);
}

// Trimming: runes of `cutset` (or spaces) are removed from the left and/or right.
template <typename Cut> std::string_view trim_left(std::string_view s, Cut cut) {
    while (!s.empty()) {
        unicode::Decoded d = decode_rune(s);
        if (!cut(d.rune)) break;
        s.remove_prefix(d.width);
    }
    return s;
}

template <typename Cut> std::string_view trim_right(std::string_view s, Cut cut) {
    while (!s.empty()) {
        unicode::Decoded d = decode_last_rune(s, s.size());
        if (!cut(d.rune)) break;
        s.remove_suffix(d.width);
    }
    return s;
}

enum class Side { Left, Right, Both };

template <Side side> void trim_cutset(VM&, Slot* frame) {
    std::string_view s = arg(frame, 0), cutset = arg(frame, 2);
    if (s.empty() || cutset.empty()) return return_piece(frame, s);
    auto cut = [cutset](int64_t r) { return contains_rune(cutset, r); };
    if (side != Side::Right) s = trim_left(s, cut);
    if (side != Side::Left) s = trim_right(s, cut);
    return_piece(frame, s);
}

void trim_space(VM&, Slot* frame) { return_piece(frame, trim_right(trim_left(arg(frame, 0), is_space), is_space)); }

} // namespace

void replacer_replace(VM& vm, Slot* frame);
void builder_append(VM& vm, Slot* frame);
void builder_append_bytes(VM& vm, Slot* frame);
void builder_grow(VM& vm, Slot* frame);

const NativeEntry strings_natives[] = {
    {"strings.Count", count_native},
    {"strings.Index", index_native},
    {"strings.IndexByte", index_byte},
    {"strings.IndexRune", index_rune_native},
    {"strings.IndexAny", index_any},
    {"strings.LastIndex", last_index},
    {"strings.LastIndexByte", last_index_byte},
    {"strings.LastIndexAny", last_index_any},
    {"strings.EqualFold", equal_fold},
    {"strings.genSplit", gen_split},
    {"strings.Fields", fields},
    {"strings.Join", join},
    {"strings.Repeat", repeat},
    {"strings.Replace", replace},
    {"strings.ToUpper", map_case<unicode::Case::Upper>},
    {"strings.ToLower", map_case<unicode::Case::Lower>},
    {"strings.ToTitle", map_case<unicode::Case::Title>},
    {"strings.Trim", trim_cutset<Side::Both>},
    {"strings.TrimLeft", trim_cutset<Side::Left>},
    {"strings.TrimRight", trim_cutset<Side::Right>},
    {"strings.TrimSpace", trim_space},
    {"strings.replacerReplace", replacer_replace},
    {"strings.builderAppend", builder_append},
    {"strings.builderAppendBytes", builder_append_bytes},
    {"strings.builderGrow", builder_grow},
    {nullptr, nullptr},
};

} // namespace csp::stdlib
