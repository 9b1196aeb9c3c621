// Native bodies of package strconv: Itoa and Atoi. Atoi's error is a value of a String-kind
// type named *strconv.NumError holding Go's message (fmt prints it as the error's text).
#include "stdlib/natives.hpp"

#include <charconv>
#include <string>

namespace csp::stdlib {

namespace {

void itoa(VM& vm, Slot* frame) {
    char buffer[24];
    auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, frame[0].i);
    (void)ec;
    store_string(frame, vm.heap().make_string(std::string_view(buffer, size_t(end - buffer))));
}

const RtType& num_error_type() {
    static const RtType type{TypeKind::String, "*strconv.NumError", 2};
    return type;
}

// Go's Atoi: an optional sign, then decimal digits (no underscores, no base prefix).
void atoi(VM& vm, Slot* frame) {
    std::string_view s = load_string(frame).view();
    size_t i = !s.empty() && (s[0] == '+' || s[0] == '-') ? 1 : 0;
    bool negative = i == 1 && s[0] == '-';
    const char* reason = i == s.size() ? "invalid syntax" : nullptr;
    uint64_t value = 0;
    uint64_t limit = negative ? uint64_t(1) << 63 : (uint64_t(1) << 63) - 1;
    for (; !reason && i < s.size(); ++i) {
        if (s[i] < '0' || s[i] > '9') reason = "invalid syntax";
        else if (value > (limit - uint64_t(s[i] - '0')) / 10) reason = "value out of range";
        else value = value * 10 + uint64_t(s[i] - '0');
    }
    if (reason) {
        bool range = std::string_view(reason) == "value out of range";
        frame[0].i = range ? (negative ? INT64_MIN : INT64_MAX) : 0;
        std::string message = "strconv.Atoi: parsing \"" + std::string(s) + "\": " + reason;
        Slot* payload = vm.heap().make_slots(2);
        store_string(payload, vm.heap().make_string(message));
        frame[1].p = const_cast<RtType*>(&num_error_type());
        frame[2].p = payload;
        return;
    }
    frame[0].u = negative ? 0 - value : value;
    frame[1].p = nullptr;
    frame[2].p = nullptr;
}

} // namespace

const NativeEntry strconv_natives[] = {
    {"strconv.Itoa", itoa},
    {"strconv.Atoi", atoi},
    {nullptr, nullptr},
};

} // namespace csp::stdlib
