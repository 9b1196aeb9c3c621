// The scheduler: Go's with GOMAXPROCS=1 on VM fibers. A FIFO run queue plus a runnext
// slot (a goroutine readied by a channel operation runs next, so communicating pairs stay
// hot), the list of every live goroutine (for dumps and GC roots), and the seeded random
// source behind select's choices, so one seed gives one interleaving.
#pragma once
#include "runtime/goroutine.hpp"

#include <cstdint>
#include <memory>

namespace csp {

class Scheduler {
  public:
    explicit Scheduler(uint64_t seed = 1);
    ~Scheduler();
    Scheduler(const Scheduler&) = delete;
    Scheduler& operator=(const Scheduler&) = delete;

    // A new goroutine (Runnable, not yet queued) with the next id and the given initial
    // stack capacities. The scheduler owns it.
    Goroutine* spawn(size_t stack_slots = Goroutine::initial_stack_slots,
                     size_t frame_records = Goroutine::initial_frames);
    // A goroutine outside Go's numbering (id 0) for the REPL's own work between inputs
    // (running other goroutines while the prompt waits).
    Goroutine* spawn_unnumbered();
    // Frees a goroutine that has finished (it must not be on the run queue).
    void exit(Goroutine* g);

    // Makes a waiting goroutine runnable. As Go's ready(gp, next=true): it takes the
    // runnext slot and the goroutine there before goes to the tail of the queue.
    void ready(Goroutine* g);
    // Puts a runnable goroutine at the tail of the queue (a new goroutine, a preempted one).
    void enqueue(Goroutine* g);
    // Marks the current goroutine Waiting for `reason`; it runs again after ready().
    void park(Goroutine* g, WaitReason reason);
    // The next goroutine to run (runnext first, then the queue's head), or null.
    Goroutine* pick();
    // Takes a Runnable goroutine off the run queue (the REPL abandoning an interrupted
    // input); false if it is not there.
    bool unqueue(Goroutine* g);

    Goroutine* current() const { return m_current; }
    void set_current(Goroutine* g) { m_current = g; }
    Goroutine* first_live() const { return m_live; }
    size_t live_count() const { return m_live_count; }
    bool has_runnable() const { return m_runnext != nullptr || m_queue_head != nullptr; }

    // In [0, n): select's case order, map iteration order. Go's fastrandn: wyrand, then
    // Lemire's multiply-shift (uniform but for a bias below n / 2^32), since a select
    // draws once per case.
    uint32_t random(uint32_t n) {
        m_random += 0xa0761d6478bd642fu;
        unsigned __int128 product = (unsigned __int128)m_random * (m_random ^ 0xe7037ed1a0b428dbu);
        uint64_t r = uint64_t(product >> 64) ^ uint64_t(product);
        return uint32_t((uint64_t(uint32_t(r)) * n) >> 32);
    }
    uint64_t seed() const { return m_seed; }
    // Restarts the random source from `seed` (the REPL's :seed).
    void reseed(uint64_t seed) { m_seed = seed, m_random = seed; }
    // The id of the first goroutine after main's (1): see Program::first_goroutine_id.
    void set_first_goroutine_id(uint64_t id) { m_first_user_id = id; }

  private:
    uint64_t m_seed;
    uint64_t m_random; // wyrand's state
    Goroutine* m_current = nullptr;
    Goroutine* m_runnext = nullptr;
    Goroutine* m_queue_head = nullptr; // FIFO through Goroutine::next_runnable
    Goroutine* m_queue_tail = nullptr;
    // Dead goroutines for spawn to reuse with their blocks: a fan-out of short goroutines
    // then allocates nothing per goroutine.
    static constexpr size_t max_recycled = 64;
    std::vector<Goroutine*> m_recycled;
    Goroutine* m_live = nullptr;       // every goroutine not yet exited, newest first
    size_t m_live_count = 0;
    uint64_t m_next_id = 1;
    uint64_t m_first_user_id = 6;
};

} // namespace csp
