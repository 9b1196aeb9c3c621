// Package csp/repl. Show prints its operands as fmt.Println does (%v, separated by
// spaces), except channels, which print what a REPL user asks of them:
// `(chan int) len 0 cap 1 closed`. Settle lets other goroutines run after an input.
#include "stdlib/repl/show.hpp"

#include "runtime/channel.hpp"
#include "stdlib/fmt/format.hpp"
#include "stdlib/fmt/value_printer.hpp"
#include "stdlib/natives.hpp"

#include <deque>
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

void show(VM& vm, Slot* frame) {
    std::span<const Slot> slots = variadic_slots(frame);
    std::vector<fmt::Arg> args;
    std::deque<VmValue> composites; // args point into it
    std::deque<std::string> texts;
    for (size_t k = 0; k < slots.size(); k += 2) {
        InterfaceRef value = load_interface(&slots[k]);
        if (value.type == nullptr) {
            args.emplace_back();
        } else if (is_channel(*value.type)) {
            texts.push_back(describe_channel(*value.type, static_cast<const Channel*>(slots[k + 1].p)));
            fmt::Arg arg;
            arg.kind = fmt::ArgKind::String;
            arg.type_name = "string";
            arg.s = texts.back();
            args.push_back(arg);
        } else if (is_composite(*value.type)) {
            const Slot* payload = value.type->slots == 1 ? &slots[k + 1] : interface_payload(value);
            composites.emplace_back(*value.type, payload);
            args.push_back(composites.back().arg());
        } else {
            args.push_back(scalar_arg(*value.type, interface_payload(value)));
        }
    }
    fmt::append_println(vm.out().buffer(), args);
    vm.out().maybe_flush();
}

// Whether another goroutine can run now.
void busy(VM& vm, Slot* frame) { frame[0].u = vm.scheduler().has_runnable(); }
void yield(VM& vm, Slot*) { vm.yield_current(); }

// Settle ends each input: the goroutines that can run do, until every one waits or sleeps,
// so that their output follows the input that set them going. A goroutine that never
// waits (`for {}`) stops this after a bound; it runs on with later inputs.
const char* const source = R"(package repl

func Show(values ...any)

func Settle() {
	for i := 0; i < 200 && busy(); i++ {
		yield()
	}
}

func busy() bool
func yield()
)";

} // namespace

std::optional<std::string> repl_package_source(const std::string& path) {
    if (path != repl_package_path) return std::nullopt;
    return std::string(source);
}

NativeFn repl_native(const std::string& qualified_name) {
    static const std::pair<std::string, NativeFn> natives[] = {
        {std::string(repl_package_path) + ".Show", show},
        {std::string(repl_package_path) + ".busy", busy},
        {std::string(repl_package_path) + ".yield", yield},
    };
    for (const auto& [name, body] : natives)
        if (name == qualified_name) return body;
    return nullptr;
}

} // namespace csp::stdlib
