// Channel operations and select, in the shape of Go's chan.go and select.go. Every helper
// runs with the channel in a consistent state and leaves it so; waking a goroutine always
// goes through wake(), which also withdraws a selecting goroutine's other waiters, so a
// waiter found on a queue is always live and a select is woken exactly once.
#include "runtime/channel.hpp"
#include "runtime/race.hpp"
#include "runtime/scheduler.hpp"

#include <cstring>
#include <vector>

namespace csp {

void WaitQueue::push_back(Waiter* w) {
    w->next = nullptr;
    w->prev = last;
    if (last != nullptr) last->next = w;
    else first = w;
    last = w;
}

Waiter* WaitQueue::pop_front() {
    Waiter* w = first;
    if (w != nullptr) remove(w);
    return w;
}

void WaitQueue::remove(Waiter* w) {
    if (w->prev != nullptr) w->prev->next = w->next;
    else first = w->next;
    if (w->next != nullptr) w->next->prev = w->prev;
    else last = w->prev;
    w->prev = w->next = nullptr;
}

namespace {

// Field by field: GCC copies a Waiter{...} temporary through a misaligned load that waits
// for its own stores (a quarter of chan_select's time, measured with perf annotate).
inline void fill_waiter(Waiter& w, Goroutine* g, Channel* c, Slot* value, Slot* ok, int32_t case_index,
                        bool is_send) {
    w.goroutine = g;
    w.channel = c;
    w.value = value;
    w.received_ok = ok;
    w.prev = w.next = nullptr;
    w.case_index = case_index;
    w.is_send = is_send;
}

} // namespace

namespace {

// Most elements are one slot (int, pointer, chan...): that case is a plain move, not a
// call to memcpy or memset.
void copy_slots(Slot* to, const Slot* from, uint32_t n) {
    if (to == nullptr) return;
    if (n == 1) *to = *from;
    else std::memcpy(to, from, n * sizeof(Slot));
}

void zero_slots(Slot* to, uint32_t n) {
    if (to == nullptr) return;
    if (n == 1) to->u = 0;
    else std::memset(to, 0, n * sizeof(Slot));
}

Slot* element(Channel* c, int64_t index) { return c->buffer + index * c->elem_slots; }

// A selecting goroutine's waiter `w` won: records its case and takes the goroutine's other
// waiters off their channels' queues. Out of line, so that wake() stays a few instructions
// (the extra block's code in it cost pingpong 4% more instructions).
[[gnu::noinline]] void finish_select(Waiter* w) {
    Goroutine* g = w->goroutine;
    GoroutineExtra& extra = *g->extra_if_any(); // chan_select made it
    extra.select_chosen = w->case_index;
    if (g->select_result != nullptr) g->select_result->i = w->case_index;
    for (Waiter& other : extra.select_waiters) {
        if (&other == w || other.channel == nullptr) continue;
        (other.is_send ? other.channel->sendq : other.channel->recvq).remove(&other);
    }
}

// -race: the happens-before edges of channel operations, as Go's chan.go makes them.
// Each buffer slot carries a clock that every send into it and receive from it acquires
// and then replaces (racenotify), so the k-th receive happens before the (k+C)-th send
// completes; an unbuffered hand-off joins both goroutines' clocks (racesync); close
// releases the channel, and a receive that observes it acquires. A timer's send (no
// goroutine sends) makes no edge.
bool race_timer_send = false;

Goroutine* race_self(Scheduler& scheduler) {
    return race_tracking() && !race_timer_send ? scheduler.current() : nullptr;
}

void race_slot(Scheduler& scheduler, Channel* c, int64_t index, Goroutine* other) {
    Goroutine* self = race_self(scheduler);
    if (self == nullptr) return;
    race_detector->release_acquire(self, element(c, index));
    if (other != nullptr) race_detector->release_acquire(other, element(c, index));
}

void race_handoff(Scheduler& scheduler, Channel* c, Goroutine* other) {
    Goroutine* self = race_self(scheduler);
    if (self == nullptr) return;
    if (c->capacity == 0) race_detector->rendezvous(self, other);
    else race_slot(scheduler, c, c->recv_index, other);
}

// Makes w's goroutine runnable; for a select, records the case and takes its other
// waiters off their channels' queues.
void wake(Scheduler& scheduler, Waiter* w) {
    if (w->case_index >= 0) finish_select(w);
    scheduler.ready(w->goroutine);
}

// A receiver is waiting: hand the value straight to it.
void send_to_waiter(Scheduler& scheduler, Channel* c, Waiter* receiver, const Slot* value) {
    if (race_detector) [[unlikely]]
        race_handoff(scheduler, c, receiver->goroutine);
    copy_slots(receiver->value, value, c->elem_slots);
    if (receiver->received_ok != nullptr) receiver->received_ok->u = 1;
    wake(scheduler, receiver);
}

void send_to_buffer(Scheduler& scheduler, Channel* c, const Slot* value) {
    if (race_detector) [[unlikely]]
        race_slot(scheduler, c, c->send_index, nullptr);
    copy_slots(element(c, c->send_index), value, c->elem_slots);
    if (++c->send_index == c->capacity) c->send_index = 0;
    ++c->count;
}

// A sender is waiting. Unbuffered: take its value directly. Buffered (so the buffer is
// full): take the head, and put the sender's value in the slot freed at the tail.
void receive_from_waiter(Scheduler& scheduler, Channel* c, Waiter* sender, Slot* into, Slot* ok) {
    if (race_detector) [[unlikely]]
        race_handoff(scheduler, c, sender->goroutine);
    if (c->capacity == 0) {
        copy_slots(into, sender->value, c->elem_slots);
    } else {
        Slot* head = element(c, c->recv_index);
        copy_slots(into, head, c->elem_slots);
        copy_slots(head, sender->value, c->elem_slots);
        if (++c->recv_index == c->capacity) c->recv_index = 0;
        c->send_index = c->recv_index;
    }
    if (ok != nullptr) ok->u = 1;
    wake(scheduler, sender);
}

void receive_from_buffer(Scheduler& scheduler, Channel* c, Slot* into, Slot* ok) {
    if (race_detector) [[unlikely]]
        race_slot(scheduler, c, c->recv_index, nullptr);
    Slot* head = element(c, c->recv_index);
    copy_slots(into, head, c->elem_slots);
    zero_slots(head, c->elem_slots); // no stale pointer keeps garbage alive
    if (++c->recv_index == c->capacity) c->recv_index = 0;
    --c->count;
    if (ok != nullptr) ok->u = 1;
}

void receive_closed(Channel* c, Slot* into, Slot* ok, Goroutine* receiver) {
    if (receiver != nullptr) [[unlikely]]
        race_detector->acquire(receiver, c);
    zero_slots(into, c->elem_slots);
    if (ok != nullptr) ok->u = 0;
}

} // namespace

bool chan_try_send(Scheduler& scheduler, Channel* c, const Slot* value) {
    if (c->closed) return false;
    race_timer_send = true;
    bool sent = true;
    if (Waiter* receiver = c->recvq.pop_front()) send_to_waiter(scheduler, c, receiver, value);
    else if (c->count < c->capacity) send_to_buffer(scheduler, c, value);
    else sent = false;
    race_timer_send = false;
    return sent;
}

ChanStatus chan_send(Scheduler& scheduler, Channel* c, const Slot* value, Goroutine* self) {
    if (c->closed) return ChanStatus::Closed;
    if (Waiter* receiver = c->recvq.pop_front()) {
        send_to_waiter(scheduler, c, receiver, value);
        return ChanStatus::Done;
    }
    if (c->count < c->capacity) {
        send_to_buffer(scheduler, c, value);
        return ChanStatus::Done;
    }
    fill_waiter(self->waiter, self, c, const_cast<Slot*>(value), nullptr, -1, true);
    self->woken_by_close = false;
    c->sendq.push_back(&self->waiter);
    return ChanStatus::Blocked;
}

ChanStatus chan_receive(Scheduler& scheduler, Channel* c, Slot* into, Slot* ok, Goroutine* self) {
    if (c->closed && c->count == 0) {
        receive_closed(c, into, ok, race_self(scheduler));
        return ChanStatus::Done;
    }
    if (Waiter* sender = c->sendq.pop_front()) {
        receive_from_waiter(scheduler, c, sender, into, ok);
        return ChanStatus::Done;
    }
    if (c->count > 0) {
        receive_from_buffer(scheduler, c, into, ok);
        return ChanStatus::Done;
    }
    fill_waiter(self->waiter, self, c, into, ok, -1, false);
    c->recvq.push_back(&self->waiter);
    return ChanStatus::Blocked;
}

CloseStatus chan_close(Scheduler& scheduler, Channel* c) {
    if (c == nullptr) return CloseStatus::NilChannel;
    if (c->closed) return CloseStatus::AlreadyClosed;
    c->closed = 1;
    if (Goroutine* self = race_self(scheduler)) [[unlikely]]
        race_detector->release_merge(self, c);
    // Go's closechan collects the waiters on a stack (gList) and readies them as it pops,
    // so the last waiter is readied first and the first one ends in runnext: it runs next.
    std::vector<Waiter*> woken;
    while (Waiter* receiver = c->recvq.pop_front()) {
        receive_closed(c, receiver->value, receiver->received_ok, race_self(scheduler) ? receiver->goroutine : nullptr);
        woken.push_back(receiver);
    }
    while (Waiter* sender = c->sendq.pop_front()) {
        sender->goroutine->woken_by_close = true; // it panics when it runs again
        woken.push_back(sender);
    }
    for (size_t k = woken.size(); k-- > 0;) wake(scheduler, woken[k]);
    return CloseStatus::Done;
}

namespace {

// Pass 1 for one case: run it if it can proceed now.
bool try_case(Scheduler& scheduler, SelectCase& sc, ChanStatus& status) {
    Channel* c = sc.channel;
    status = ChanStatus::Done;
    if (sc.is_send) {
        if (c->closed) {
            status = ChanStatus::Closed;
            return true;
        }
        if (Waiter* receiver = c->recvq.pop_front()) {
            send_to_waiter(scheduler, c, receiver, sc.value);
            return true;
        }
        if (c->count < c->capacity) {
            send_to_buffer(scheduler, c, sc.value);
            return true;
        }
        return false;
    }
    if (Waiter* sender = c->sendq.pop_front()) {
        receive_from_waiter(scheduler, c, sender, sc.value, sc.ok);
        return true;
    }
    if (c->count > 0) {
        receive_from_buffer(scheduler, c, sc.value, sc.ok);
        return true;
    }
    if (c->closed) {
        receive_closed(c, sc.value, sc.ok, race_self(scheduler));
        return true;
    }
    return false;
}

} // namespace

SelectResult chan_select(Scheduler& scheduler, SelectCase* cases, int count, bool has_default,
                         Goroutine* self) {
    // Pass 1: poll the cases in a random order (Fisher-Yates, seeded).
    int order_small[16];
    std::vector<int> order_large;
    int* order = order_small;
    if (count > 16) {
        order_large.resize(size_t(count));
        order = order_large.data();
    }
    for (int k = 0; k < count; ++k) {
        int j = int(scheduler.random(uint32_t(k + 1)));
        order[k] = order[j];
        order[j] = k;
    }
    for (int k = 0; k < count; ++k) {
        SelectCase& sc = cases[order[k]];
        if (sc.channel == nullptr) continue;
        ChanStatus status;
        if (try_case(scheduler, sc, status)) return {order[k], status};
    }
    if (has_default) return {-1, ChanStatus::Done};
    // Pass 2: wait on every channel; the first case to proceed wakes us (wake()).
    GoroutineExtra& extra = self->extra();
    std::vector<Waiter>& waiters = extra.select_waiters;
    waiters.resize(size_t(count));
    extra.select_chosen = -1;
    self->woken_by_close = false;
    for (int k = 0; k < count; ++k) {
        SelectCase& sc = cases[k];
        Waiter& w = waiters[size_t(k)];
        fill_waiter(w, sc.channel == nullptr ? nullptr : self, sc.channel, sc.value, sc.ok, k, sc.is_send);
        if (sc.channel != nullptr) (sc.is_send ? sc.channel->sendq : sc.channel->recvq).push_back(&w);
    }
    return {-2, ChanStatus::Blocked};
}

} // namespace csp
