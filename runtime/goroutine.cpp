// A goroutine's memory: one block holding it and its first stacks, then growth. Both
// stacks double, clipped so that together their capacities never pass the byte limit; a
// call that finds no room within the limit is a stack overflow. Memory for stacks thus
// stays bounded by the limit.
#include "runtime/goroutine.hpp"

#include <algorithm>

namespace csp {

Goroutine::Goroutine(size_t stack_slots, size_t frame_records) : stack(stack_slots), frames(frame_records) {}

Goroutine::Goroutine(Slot* stack_storage, size_t stack_slots, Frame* frame_storage, size_t frame_records)
    : stack(stack_storage, stack_slots), frames(frame_storage, frame_records) {}

// The block: the Goroutine, then its registers, then its frame records.
static constexpr size_t round_up(size_t bytes) { return (bytes + 15) / 16 * 16; }
static constexpr size_t stack_offset = round_up(sizeof(Goroutine));
static_assert(alignof(Slot) <= 16 && alignof(Frame) <= 16);

Goroutine* Goroutine::create(size_t stack_slots, size_t frame_records) {
    if (stack_slots > (SIZE_MAX >> 2) / sizeof(Slot) || frame_records > (SIZE_MAX >> 2) / sizeof(Frame))
        throw std::bad_alloc();
    size_t frames_offset = stack_offset + round_up(stack_slots * sizeof(Slot));
    auto* block = static_cast<char*>(::operator new(frames_offset + frame_records * sizeof(Frame)));
    return new (block) Goroutine(reinterpret_cast<Slot*>(block + stack_offset), stack_slots,
                                 reinterpret_cast<Frame*>(block + frames_offset), frame_records);
}

void Goroutine::destroy(Goroutine* g) {
    g->~Goroutine();
    ::operator delete(static_cast<void*>(g));
}

bool Goroutine::reserve(size_t base, size_t slots, size_t max_bytes) {
    size_t slot_capacity = stack.size();
    size_t frame_capacity = frames.size();
    if (base + slots > slot_capacity) {
        size_t other = frame_capacity * sizeof(Frame);
        size_t room = max_bytes > other ? (max_bytes - other) / sizeof(Slot) : 0;
        room = std::min<size_t>(room, UINT32_MAX); // Frame::base is 32-bit
        slot_capacity = std::min(std::max(base + slots, 2 * slot_capacity), room);
        if (slot_capacity < base + slots) return false;
    }
    if (frame_count + 1 > frame_capacity) {
        size_t other = slot_capacity * sizeof(Slot);
        size_t room = max_bytes > other ? (max_bytes - other) / sizeof(Frame) : 0;
        frame_capacity = std::min(std::max(frame_count + 1, 2 * frame_capacity), room);
        if (frame_capacity < frame_count + 1) return false;
    }
    // Only what changes is reallocated: callers may reserve when there is room already.
    if (slot_capacity != stack.size()) stack.resize(slot_capacity);
    if (frame_capacity != frames.size()) frames.resize(frame_capacity);
    return true;
}

} // namespace csp
