// The run queue, runnext, the list of live goroutines and the seeded random source.
#include "runtime/scheduler.hpp"
#include "runtime/race.hpp"

namespace csp {

const char* wait_reason_text(WaitReason reason) {
    switch (reason) {
    case WaitReason::None: return "";
    case WaitReason::ChanReceive: return "chan receive";
    case WaitReason::ChanSend: return "chan send";
    case WaitReason::Select: return "select";
    case WaitReason::SelectNoCases: return "select (no cases)";
    case WaitReason::ChanReceiveNilChan: return "chan receive (nil chan)";
    case WaitReason::ChanSendNilChan: return "chan send (nil chan)";
    case WaitReason::Sleep: return "sleep";
    case WaitReason::Semacquire: return "semacquire";
    case WaitReason::SyncMutexLock: return "sync.Mutex.Lock";
    case WaitReason::SyncRWMutexLock: return "sync.RWMutex.Lock";
    case WaitReason::SyncRWMutexRLock: return "sync.RWMutex.RLock";
    case WaitReason::SyncWaitGroupWait: return "sync.WaitGroup.Wait";
    case WaitReason::SyncCondWait: return "sync.Cond.Wait";
    case WaitReason::IoWait: return "IO wait";
    }
    return "";
}

Scheduler::Scheduler(uint64_t seed) : m_seed(seed), m_random(seed) {}

Scheduler::~Scheduler() {
    for (Goroutine* g : m_recycled) Goroutine::destroy(g);
    while (m_live != nullptr) {
        Goroutine* next = m_live->next_live;
        Goroutine::destroy(m_live);
        m_live = next;
    }
}

Goroutine* Scheduler::spawn(size_t stack_slots, size_t frame_records) {
    Goroutine* g;
    if (!m_recycled.empty()) {
        g = m_recycled.back();
        m_recycled.pop_back();
        if (g->stack.size() < stack_slots) g->stack.resize(stack_slots);
        if (g->frames.size() < frame_records) g->frames.resize(frame_records);
    } else {
        g = Goroutine::create(stack_slots, frame_records);
    }
    g->id = m_next_id++;
    if (g->id == 1) m_next_id = m_first_user_id;
    g->status = GoroutineStatus::Runnable;
    g->next_live = m_live;
    if (m_live != nullptr) m_live->prev_live = g;
    m_live = g;
    ++m_live_count;
    return g;
}

Goroutine* Scheduler::spawn_unnumbered() {
    uint64_t next = m_next_id;
    Goroutine* g = spawn();
    if (g->id != 1) m_next_id = next; // the first spawn is main's: numbered 1 regardless
    if (g->id != 1) g->id = 0;
    return g;
}

void Scheduler::exit(Goroutine* g) {
    if (g->prev_live != nullptr) g->prev_live->next_live = g->next_live;
    else m_live = g->next_live;
    if (g->next_live != nullptr) g->next_live->prev_live = g->prev_live;
    --m_live_count;
    if (m_current == g) m_current = nullptr;
    if (race_detector) [[unlikely]]
        race_detector->goroutine_exited(g);
    // Kept for the next spawn unless it grew big (a deep recursion) or the pool is full.
    if (m_recycled.size() < max_recycled && g->defers.empty() && g->defers.capacity() <= 64 &&
        g->stack.size() <= Goroutine::initial_stack_slots &&
        g->frames.size() <= Goroutine::initial_frames) {
        g->reset();
        m_recycled.push_back(g);
        return;
    }
    Goroutine::destroy(g);
}

void Scheduler::enqueue(Goroutine* g) {
    g->status = GoroutineStatus::Runnable;
    g->wait_reason = WaitReason::None;
    g->next_runnable = nullptr;
    if (m_queue_tail != nullptr) m_queue_tail->next_runnable = g;
    else m_queue_head = g;
    m_queue_tail = g;
}

void Scheduler::ready(Goroutine* g) {
    if (m_runnext != nullptr) enqueue(m_runnext);
    g->status = GoroutineStatus::Runnable;
    g->wait_reason = WaitReason::None;
    m_runnext = g;
}

void Scheduler::park(Goroutine* g, WaitReason reason) {
    g->status = GoroutineStatus::Waiting;
    g->wait_reason = reason;
}

Goroutine* Scheduler::pick() {
    if (Goroutine* g = m_runnext) {
        m_runnext = nullptr;
        return g;
    }
    Goroutine* g = m_queue_head;
    if (g != nullptr) {
        m_queue_head = g->next_runnable;
        if (m_queue_head == nullptr) m_queue_tail = nullptr;
        g->next_runnable = nullptr;
    }
    return g;
}

bool Scheduler::unqueue(Goroutine* g) {
    if (m_runnext == g) {
        m_runnext = nullptr;
        return true;
    }
    Goroutine* before = nullptr;
    for (Goroutine* q = m_queue_head; q != nullptr; before = q, q = q->next_runnable) {
        if (q != g) continue;
        (before ? before->next_runnable : m_queue_head) = q->next_runnable;
        if (m_queue_tail == q) m_queue_tail = before;
        q->next_runnable = nullptr;
        return true;
    }
    return false;
}


} // namespace csp
