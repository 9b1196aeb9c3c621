// The cold paths of slices, arrays and string conversions: make, append's growth (Go
// 1.19's growslice, capacities rounded up to malloc size classes so that cap() prints
// what Go prints), array equality, and the conversions between strings, []byte and []rune.
// Every element, bytes included, is one or more full slots (runtime/README.md).
#include "runtime/panic.hpp"
#include "runtime/vm.hpp"

#include <algorithm>
#include <cstring>
#include <iterator>

namespace csp {

namespace {

// Go's maxAlloc on 64-bit Linux: larger requests are "out of range", not out of memory.
constexpr uint64_t max_alloc = uint64_t(1) << 48;

// Go 1.19's malloc size classes (runtime/sizeclasses.go, class_to_size).
constexpr uint32_t size_classes[] = {
    0,     8,     16,    24,    32,    48,    64,    80,    96,    112,   128,   144,
    160,   176,   192,   208,   224,   240,   256,   288,   320,   352,   384,   416,
    448,   480,   512,   576,   640,   704,   768,   896,   1024,  1152,  1280,  1408,
    1536,  1792,  2048,  2304,  2688,  3072,  3200,  3456,  4096,  4864,  5376,  6144,
    6528,  6784,  6912,  8192,  9472,  9728,  10240, 10880, 12288, 13568, 14336, 16384,
    18432, 19072, 20480, 21760, 24576, 27264, 28672, 32768,
};

// Go's roundupsize: the size malloc really hands out for a request of `size` bytes.
uint64_t round_up_size(uint64_t size) {
    constexpr uint64_t max_small_size = 32768, page_size = 8192;
    if (size < max_small_size)
        return *std::lower_bound(std::begin(size_classes), std::end(size_classes), size);
    if (size + page_size < size) return size;
    return (size + page_size - 1) / page_size * page_size;
}

} // namespace

int64_t grown_capacity(int64_t old_capacity, int64_t needed, uint64_t size) {
    if (size == 0) return needed;
    int64_t capacity = old_capacity;
    int64_t doubled = old_capacity + old_capacity;
    if (needed > doubled) {
        capacity = needed;
    } else if (old_capacity < 256) {
        capacity = doubled;
    } else {
        while (0 < capacity && capacity < needed)
            capacity += (capacity + 3 * 256) / 4;
        if (capacity <= 0) capacity = needed;
    }
    // The array's size in bytes, rounded up to a size class, decides the capacity.
    if (uint64_t(capacity) > max_alloc / size) return -1;
    uint64_t bytes = round_up_size(uint64_t(capacity) * size);
    if (bytes > max_alloc) return -1;
    return int64_t(bytes / size);
}

namespace {

// A zeroed array of `count` elements of `width` slots (never null, even when empty).
Slot* new_elements(Heap& heap, int64_t count, uint32_t width) {
    uint64_t slots = uint64_t(count) * width;
    if (width != 0 && slots / width != uint64_t(count)) throw OutOfMemory{SIZE_MAX, heap.bytes_in_use()};
    return heap.make_slots(size_t(slots));
}

bool valid_rune(int64_t rune) {
    return rune >= 0 && rune <= 0x10FFFF && !(rune >= 0xD800 && rune <= 0xDFFF);
}

// Go's encoderune: UTF-8 of `rune` at `out` (room for 4 bytes), U+FFFD when invalid.
size_t encode_rune(char* out, int64_t rune) {
    if (!valid_rune(rune)) rune = 0xFFFD;
    auto code = uint32_t(rune);
    if (code < 0x80) {
        out[0] = char(code);
        return 1;
    }
    if (code < 0x800) {
        out[0] = char(0xC0 | (code >> 6));
        out[1] = char(0x80 | (code & 0x3F));
        return 2;
    }
    if (code < 0x10000) {
        out[0] = char(0xE0 | (code >> 12));
        out[1] = char(0x80 | ((code >> 6) & 0x3F));
        out[2] = char(0x80 | (code & 0x3F));
        return 3;
    }
    out[0] = char(0xF0 | (code >> 18));
    out[1] = char(0x80 | ((code >> 12) & 0x3F));
    out[2] = char(0x80 | ((code >> 6) & 0x3F));
    out[3] = char(0x80 | (code & 0x3F));
    return 4;
}

size_t rune_width(int64_t rune) {
    char buffer[4];
    return encode_rune(buffer, rune);
}

} // namespace

// The slice opcodes that allocate, copy or may fail run here, out of the dispatch loop,
// behind one call site there, and so do the index errors of SGET, SSET, SELEM and CHKIDX; `pc` is past the instruction. Returns the next instruction
// (past an EXTRA operand), or null after raising a panic.
const Instr* VM::slice_operation(Slot* R, const Slot* K, const Instr* pc) {
    Instr instr = pc[-1];
    Slot* a = &R[instr.a];
    Slot* b = &R[instr.b];
    bool ok = true;
    switch (instr.op) {
    case Opcode::SGET: raise_index_error(R[instr.c].i, b[1].i); return nullptr;
    case Opcode::SSET: raise_index_error(b->i, a[1].i); return nullptr;
    case Opcode::SELEM: raise_index_error(a->i, b[1].i); return nullptr;
    case Opcode::CHKIDX: raise_index_error(a->i, K[instr.b].i); return nullptr;
    case Opcode::MEMDUP: duplicate_slots(a, static_cast<const Slot*>(b->p), K[instr.c].u); break;
    case Opcode::MAKESLICE: ok = make_slice(a, *m_types[instr.c], b[0].i, b[1].i); break;
    case Opcode::SLICE:
    case Opcode::SLICE3: {
        const Instr extra = *pc++;
        ok = slice_slice(a, b, &R[instr.c], extra.a, instr.op == Opcode::SLICE3, extra.b != 0);
        break;
    }
    case Opcode::STRSLICE: ok = slice_string(a, b, &R[instr.c]); break;
    case Opcode::APPEND: ok = append_values(a, b, 1, *m_types[instr.c]); break;
    case Opcode::APPENDN: ok = append_values(a, b, (pc++)->a, *m_types[instr.c]); break;
    case Opcode::APPENDS: ok = append_slice(a, b, *m_types[instr.c]); break;
    case Opcode::APPENDSTR: ok = append_string(a, load_string(b), *m_types[instr.c]); break;
    case Opcode::COPY: copy_elements(a, b, instr.c); break;
    case Opcode::COPYSTR: copy_string(a, b); break;
    case Opcode::CLEAR: clear_elements(a, instr.b); break;
    case Opcode::EQV: ok = equal_values(a, *m_types[(pc++)->a], b, &R[instr.c]); break;
    case Opcode::STR2BYTES: string_to_bytes(a, load_string(b), instr.c == 1); break;
    case Opcode::STR2RUNES: string_to_runes(a, load_string(b), instr.c == 1); break;
    case Opcode::BYTES2STR: bytes_to_string(a, load_slice(b)); break;
    case Opcode::RUNES2STR: runes_to_string(a, load_slice(b)); break;
    case Opcode::RUNE2STR: rune_to_string(a, b->i); break;
    default: break;
    }
    return ok ? pc : nullptr;
}

void VM::raise_index_error(int64_t index, int64_t length) {
    panic_runtime_error(index_out_of_range_message(index, length));
}

void VM::duplicate_slots(Slot* result, const Slot* from, uint64_t count) {
    Slot* copy = m_heap.make_slots(size_t(count));
    copy_slots(copy, from, size_t(count));
    result->p = copy;
}

// s[lo:hi] and s[lo:hi:max], checked in Go's order (the capacity first).
// `array`: the operand is an array's header (a[i:j]), whose bound is reported as its length.
bool VM::slice_slice(Slot* result, const Slot* slice, const Slot* bounds, uint32_t width, bool three_index,
                     bool array) {
    SliceRef source = load_slice(slice);
    uint64_t low = bounds[0].u, high = bounds[1].u;
    uint64_t max = three_index ? bounds[2].u : uint64_t(source.cap);
    auto fail = [&](SliceBounds check, const Slot& x, int64_t y) {
        panic_runtime_error(slice_bounds_message(check, x.i, y));
        return false;
    };
    if (three_index) {
        if (max > uint64_t(source.cap))
            return fail(array ? SliceBounds::ThreeAlen : SliceBounds::ThreeAcap, bounds[2], source.cap);
        if (high > max) return fail(SliceBounds::ThreeB, bounds[1], bounds[2].i);
        if (low > high) return fail(SliceBounds::ThreeC, bounds[0], bounds[1].i);
    } else {
        if (high > max) return fail(array ? SliceBounds::Alen : SliceBounds::Acap, bounds[1], source.cap);
        if (low > high) return fail(SliceBounds::B, bounds[0], bounds[1].i);
    }
    // An empty result keeps the old pointer, never one past the array's end.
    void* data = low == max ? source.data : static_cast<Slot*>(source.data) + low * width;
    store_slice(result, {data, int64_t(high - low), int64_t(max - low)});
    return true;
}

bool VM::slice_string(Slot* result, const Slot* string, const Slot* bounds) {
    StringRef source = load_string(string);
    uint64_t low = bounds[0].u, high = bounds[1].u;
    if (high > uint64_t(source.len)) {
        panic_runtime_error(slice_bounds_message(SliceBounds::Alen, bounds[1].i, source.len));
        return false;
    }
    if (low > high) {
        panic_runtime_error(slice_bounds_message(SliceBounds::B, bounds[0].i, bounds[1].i));
        return false;
    }
    store_string(result, {high == low ? nullptr : source.data + low, int64_t(high - low)});
    return true;
}

bool VM::make_slice(Slot* result, const RtType& elem, int64_t length, int64_t capacity) {
    // Go's makeslice: a length that is itself too large is reported before the capacity.
    auto too_large = [&](int64_t count) {
        return count < 0 || (elem.size != 0 && uint64_t(count) > max_alloc / elem.size);
    };
    if (too_large(capacity) || length > capacity || length < 0) {
        panic_runtime_error(std::string(too_large(length) ? makeslice_len_message : makeslice_cap_message));
        return false;
    }
    store_slice(result, {new_elements(m_heap, capacity, elem.slots), length, capacity});
    return true;
}

// Makes room for `needed` elements in the slice at `slice` by moving it to a new array
// of Go's grown capacity; the length is unchanged.
bool VM::grow_slice(Slot* slice, int64_t needed, const RtType& elem) {
    SliceRef old = load_slice(slice);
    int64_t capacity = needed < 0 ? -1 : grown_capacity(old.cap, needed, elem.size);
    if (capacity < 0) {
        panic_runtime_error(std::string(growslice_cap_message));
        return false;
    }
    Slot* data = new_elements(m_heap, capacity, elem.slots);
    if (old.len > 0) std::memcpy(data, old.data, size_t(old.len) * elem.slots * sizeof(Slot));
    store_slice(slice, {data, old.len, capacity});
    return true;
}

bool VM::append_values(Slot* slice, const Slot* values, int64_t count, const RtType& elem) {
    if (count == 0) return true;
    int64_t length = slice[1].i;
    int64_t needed = int64_t(uint64_t(length) + uint64_t(count));
    if (needed > slice[2].i || needed < 0) {
        // `values` may be in the old array (append(s, s...)), which the move leaves intact.
        if (!grow_slice(slice, needed, elem)) return false;
    }
    auto* data = static_cast<Slot*>(slice[0].p) + length * elem.slots;
    std::memmove(data, values, size_t(count) * elem.slots * sizeof(Slot));
    slice[1].i = needed;
    return true;
}

bool VM::append_slice(Slot* slice, const Slot* values, const RtType& elem) {
    SliceRef more = load_slice(values);
    return append_values(slice, static_cast<const Slot*>(more.data), more.len, elem);
}

void VM::copy_elements(Slot* result, const Slot* operands, uint32_t width) {
    SliceRef target = load_slice(operands), source = load_slice(operands + 3);
    int64_t count = std::min(target.len, source.len);
    if (count > 0) std::memmove(target.data, source.data, size_t(count) * width * sizeof(Slot));
    result->i = count;
}

void VM::copy_string(Slot* result, const Slot* operands) {
    SliceRef target = load_slice(operands);
    StringRef source = load_string(operands + 3);
    int64_t count = std::min(target.len, source.len);
    auto* bytes = static_cast<Slot*>(target.data);
    for (int64_t k = 0; k < count; ++k)
        bytes[k].u = uint8_t(source.data[k]);
    result->i = count;
}

void VM::clear_elements(Slot* slice, uint32_t width) {
    SliceRef elements = load_slice(slice);
    if (elements.len > 0) std::memset(elements.data, 0, size_t(elements.len) * width * sizeof(Slot));
}

bool VM::equal_values(Slot* result, const RtType& type, const Slot* left, const Slot* right) {
    bool equal = false;
    if (!values_equal(type, left, right, equal)) return false;
    result->u = equal;
    return true;
}

bool VM::append_string(Slot* slice, StringRef bytes, const RtType& elem) {
    if (bytes.len == 0) return true;
    int64_t length = slice[1].i;
    int64_t needed = int64_t(uint64_t(length) + uint64_t(bytes.len));
    if (needed > slice[2].i || needed < 0) {
        if (!grow_slice(slice, needed, elem)) return false;
    }
    auto* data = static_cast<Slot*>(slice[0].p) + length;
    for (int64_t k = 0; k < bytes.len; ++k)
        data[k].u = uint8_t(bytes.data[k]);
    slice[1].i = needed;
    return true;
}

// Constant strings convert to exactly as many bytes or runes as they hold, as Go's
// compiler does; other strings get Go's runtime capacity (rawbyteslice: size class).
void VM::string_to_bytes(Slot* result, StringRef text, bool exact_capacity) {
    int64_t capacity = exact_capacity ? text.len : int64_t(round_up_size(uint64_t(text.len)));
    Slot* data = new_elements(m_heap, capacity, 1);
    for (int64_t k = 0; k < text.len; ++k)
        data[k].u = uint8_t(text.data[k]);
    store_slice(result, {data, text.len, capacity});
}

void VM::string_to_runes(Slot* result, StringRef text, bool exact_capacity) {
    auto* bytes = reinterpret_cast<const unsigned char*>(text.data);
    int64_t count = 0;
    for (int64_t at = 0, width = 0; at < text.len; at += width) {
        decode_rune(bytes + at, text.len - at, width);
        ++count;
    }
    int64_t capacity = exact_capacity ? count : int64_t(round_up_size(uint64_t(count) * 4) / 4);
    Slot* data = new_elements(m_heap, capacity, 1);
    int64_t index = 0;
    for (int64_t at = 0, width = 0; at < text.len; at += width)
        data[index++].i = decode_rune(bytes + at, text.len - at, width);
    store_slice(result, {data, count, capacity});
}

void VM::bytes_to_string(Slot* result, SliceRef bytes) {
    if (bytes.len == 0) {
        store_string(result, {});
        return;
    }
    auto* text = static_cast<char*>(m_heap.allocate_uninitialized(size_t(bytes.len), ObjectKind::Bytes));
    const auto* elements = static_cast<const Slot*>(bytes.data);
    for (int64_t k = 0; k < bytes.len; ++k)
        text[k] = char(uint8_t(elements[k].u));
    store_string(result, {text, bytes.len});
}

void VM::runes_to_string(Slot* result, SliceRef runes) {
    const auto* elements = static_cast<const Slot*>(runes.data);
    size_t length = 0;
    for (int64_t k = 0; k < runes.len; ++k)
        length += rune_width(elements[k].i);
    if (length == 0) {
        store_string(result, {});
        return;
    }
    auto* text = static_cast<char*>(m_heap.allocate_uninitialized(length, ObjectKind::Bytes));
    size_t at = 0;
    for (int64_t k = 0; k < runes.len; ++k)
        at += encode_rune(text + at, elements[k].i);
    store_string(result, {text, int64_t(length)});
}

void VM::rune_to_string(Slot* result, int64_t rune) {
    char buffer[4];
    size_t length = encode_rune(buffer, rune);
    store_string(result, m_heap.make_string({buffer, length}));
}

} // namespace csp
