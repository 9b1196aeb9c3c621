// Channels, after Go's runtime/chan.go and select.go: a ring buffer, FIFO queues of waiting
// goroutines, direct hand-off between a sender and a waiting receiver, close waking every
// waiter, and select's passes (poll the cases in random order; enqueue on all; the waker
// dequeues the losers). Single-threaded (M:1): no locks; a blocked operation reports
// Blocked and the caller parks the goroutine with the scheduler.
#pragma once
#include "runtime/bytecode.hpp"

#include <cstdint>

namespace csp {

struct Goroutine;
struct Channel;
class Scheduler;

// One goroutine waiting on one channel (Go's sudog); a select waits with one per case.
struct Waiter {
    Goroutine* goroutine = nullptr;
    Channel* channel = nullptr;
    Slot* value = nullptr;       // send: the value to send; receive: where it goes (or null)
    Slot* received_ok = nullptr; // receive: set to 1 for a value, 0 for a closed channel
    Waiter* prev = nullptr;
    Waiter* next = nullptr;
    int32_t case_index = -1; // select: the case this waiter stands for; -1 otherwise
    bool is_send = false;
};

// A FIFO of waiters, linked through Waiter::prev/next.
struct WaitQueue {
    Waiter* first = nullptr;
    Waiter* last = nullptr;

    bool empty() const { return first == nullptr; }
    void push_back(Waiter* w);
    Waiter* pop_front();
    void remove(Waiter* w);
};

// Invariants (as chan.go): at least one of sendq and recvq is empty, except for an
// unbuffered channel with a single goroutine selecting on both ends; a buffered channel
// with count > 0 has an empty recvq; with count < capacity an empty sendq.
// A Channel lives in the VM heap (a Slots block, so the collector sees `buffer`); it has
// no C++ members needing construction or destruction.
struct Channel {
    uint32_t elem_slots; // width of an element
    uint32_t closed;     // 1 once closed
    int64_t capacity;    // buffer size in elements; 0: unbuffered
    int64_t count;       // elements in the buffer
    int64_t recv_index;  // next element to receive
    int64_t send_index;  // next free position
    Slot* buffer;        // capacity * elem_slots slots (a heap block), or null
    const RtType* elem_type;
    WaitQueue recvq;
    WaitQueue sendq;
};

enum class ChanStatus : uint8_t {
    Done,    // the operation completed
    Blocked, // the goroutine was enqueued; park it (it resumes with the operation done)
    Closed,  // send on a closed channel: panic
};

// Each takes the running goroutine `self`, whose `waiters[0]` holds the enqueued wait.
// A nil channel blocks forever (the caller parks without any waiter).
ChanStatus chan_send(Scheduler& scheduler, Channel* channel, const Slot* value, Goroutine* self);
ChanStatus chan_receive(Scheduler& scheduler, Channel* channel, Slot* into, Slot* ok, Goroutine* self);

// The commonest operations, inlined into the dispatch loop: a one-slot element into a
// buffer with room that no receiver waits on (one may, when it is empty), or out of a
// buffer no sender waits on. False: anything else (or -race), for chan_send /
// chan_receive to do. Same effect as theirs.
inline bool chan_send_buffered(Channel* c, const Slot* value, bool race) {
    if (c->count >= c->capacity || c->elem_slots != 1 || c->closed || !c->recvq.empty() || race) return false;
    c->buffer[c->send_index] = *value;
    if (++c->send_index == c->capacity) c->send_index = 0;
    ++c->count;
    return true;
}
inline bool chan_receive_buffered(Channel* c, Slot* into, Slot* ok, bool race) {
    if (c->count == 0 || c->elem_slots != 1 || !c->sendq.empty() || race) return false;
    Slot* head = c->buffer + c->recv_index;
    *into = *head;
    head->u = 0; // no stale pointer keeps garbage alive
    if (++c->recv_index == c->capacity) c->recv_index = 0;
    --c->count;
    if (ok != nullptr) ok->u = 1;
    return true;
}

enum class CloseStatus : uint8_t { Done, NilChannel, AlreadyClosed };
// A send that never blocks (Go's select with a default, as time's sendTime does): false
// when the channel is closed or nobody can take the value now.
bool chan_try_send(Scheduler& scheduler, Channel* channel, const Slot* value);

CloseStatus chan_close(Scheduler& scheduler, Channel* channel);

// One case of a select: a send of `value` or a receive into `value` (and `ok`).
struct SelectCase {
    Channel* channel; // null: the case is never ready
    Slot* value;
    Slot* ok;
    bool is_send;
};

struct SelectResult {
    int index;         // the case that ran; -1: none was ready and there is a default
    ChanStatus status; // Blocked: enqueued on every case (park; the case that runs is put
                       // in self->select_chosen); Closed: the chosen send case's channel is closed
};

// Go's selectgo. Cases with a nil channel are never chosen; among ready cases the choice is
// uniformly random (the scheduler's seeded generator).
SelectResult chan_select(Scheduler& scheduler, SelectCase* cases, int count, bool has_default,
                         Goroutine* self);

} // namespace csp
