// Package csp/repl. Show prints its operands as fmt.Println does (%v, separated by
// spaces), except channels, which print what a REPL user asks of them:
// `(chan int) len 0 cap 1 closed`. Settle lets other goroutines run after an input;
// Chan and Goroutines serve the :chan and :goroutines commands.
#include "stdlib/repl/show.hpp"

#include "runtime/channel.hpp"
#include "runtime/panic.hpp"
#include "stdlib/natives.hpp"

#include <vector>

namespace csp::stdlib {

namespace {

bool is_channel(const RtType& type) {
    return type.name.rfind("chan ", 0) == 0 || type.name.rfind("chan<- ", 0) == 0 ||
           type.name.rfind("<-chan ", 0) == 0 || type.name.rfind("chan(", 0) == 0;
}

std::string describe_channel(const RtType& type, const Channel* channel) {
    std::string text = "(" + type.name + ")";
    if (channel == nullptr) return text + " nil";
    text += " len " + std::to_string(channel->count) + " cap " + std::to_string(channel->capacity);
    if (channel->closed) text += " closed";
    return text;
}

// channel(v any) (string, bool): a channel's description for Show.
void channel(VM& vm, Slot* frame) {
    InterfaceRef value = load_interface(frame);
    bool is = value.type != nullptr && is_channel(*value.type);
    std::string text = is ? describe_channel(*value.type, static_cast<const Channel*>(frame[1].p)) : "";
    store_string(frame, vm.heap().make_string(text));
    frame[2].u = is;
}

// The ids of the goroutines waiting in `queue`, "none" if it is empty.
std::string waiting(const WaitQueue& queue) {
    std::string ids;
    for (const Waiter* w = queue.first; w != nullptr; w = w->next)
        ids.append(ids.empty() ? 0 : 1, ' ').append(std::to_string(w->goroutine->id));
    return ids.empty() ? "none" : ids;
}

// :chan EXPR: the channel's state and who waits on it.
void chan_info(VM& vm, Slot* frame) {
    InterfaceRef value = load_interface(frame);
    std::string text;
    if (value.type == nullptr || !is_channel(*value.type)) {
        text = "not a channel: " + std::string(value.type ? value.type->name : "nil") + "\n";
    } else {
        auto* channel = static_cast<const Channel*>(frame[1].p);
        text = describe_channel(*value.type, channel) + "\n";
        if (channel != nullptr) {
            text += "waiting to receive: " + waiting(channel->recvq) + "\n";
            text += "waiting to send: " + waiting(channel->sendq) + "\n";
        }
    }
    vm.out().buffer() += text;
    vm.out().maybe_flush();
}

// :goroutines: every goroutine but the one asking, oldest first, with its state (its
// wait reason, or runnable) and its frames, as a deadlock dump shows them.
void goroutines(VM& vm, Slot*) {
    std::vector<const Goroutine*> all;
    for (const Goroutine* g = vm.scheduler().first_live(); g != nullptr; g = g->next_live)
        if (g != &vm.current_goroutine()) all.insert(all.begin(), g);
    std::string text;
    for (const Goroutine* g : all) {
        std::string trace;
        append_goroutine_trace(trace, vm.program(), *g);
        const char* state = g->status == GoroutineStatus::Waiting ? wait_reason_text(g->wait_reason) : "runnable";
        text += "goroutine " + std::to_string(g->id) + " [" + state + "]:" + trace.substr(trace.find('\n'));
    }
    if (all.empty()) text = "no other goroutines\n";
    vm.out().buffer() += text;
    vm.out().maybe_flush();
}

// Whether another goroutine can run now.
void busy(VM& vm, Slot* frame) { frame[0].u = vm.scheduler().has_runnable(); }
void yield(VM& vm, Slot*) { vm.yield_current(); }

// Settle ends each input: the goroutines that can run do, until every one waits or sleeps,
// so that their output follows the input that set them going. On a terminal it also runs
// while the prompt waits (cli/repl.cpp). A goroutine that never
// waits (`for {}`) stops this after a bound; it runs on with later inputs.
const char* const source = R"(package repl

import "fmt"

// Show prints its operands as fmt.Println does (String and Error methods included),
// channels as their description.
func Show(values ...any) {
	for i, v := range values {
		if text, ok := channel(v); ok {
			values[i] = text
		}
	}
	fmt.Println(values...)
}

func channel(v any) (string, bool)

func Settle() {
	for i := 0; i < 200; i++ {
		yield() // (and timers that are due fire)
		if !busy() {
			return
		}
	}
}

func busy() bool
func yield()

func Chan(ch any)
func Goroutines()
)";

} // namespace

std::optional<std::string> repl_package_source(const std::string& path) {
    if (path != repl_package_path) return std::nullopt;
    return std::string(source);
}

NativeFn repl_native(const std::string& qualified_name) {
    static const std::pair<std::string, NativeFn> natives[] = {
        {std::string(repl_package_path) + ".channel", channel},
        {std::string(repl_package_path) + ".busy", busy},
        {std::string(repl_package_path) + ".yield", yield},
        {std::string(repl_package_path) + ".Chan", chan_info},
        {std::string(repl_package_path) + ".Goroutines", goroutines},
    };
    for (const auto& [name, body] : natives)
        if (name == qualified_name) return body;
    return nullptr;
}

} // namespace csp::stdlib
