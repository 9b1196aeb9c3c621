// Native bodies of package unicode/utf8: the string forms, over the shared decoder
// (stdlib/unicode/unicode.hpp).
#include "stdlib/natives.hpp"
#include "stdlib/unicode/unicode.hpp"

namespace csp::stdlib {

namespace {

void decode_rune(VM&, Slot* frame) {
    unicode::Decoded d = unicode::decode_rune(load_string(frame).view());
    frame[0].i = d.rune;
    frame[1].i = int64_t(d.width);
}

void decode_last_rune(VM&, Slot* frame) {
    std::string_view s = load_string(frame).view();
    unicode::Decoded d = unicode::decode_last_rune(s, s.size());
    frame[0].i = d.rune;
    frame[1].i = int64_t(d.width);
}

void rune_count(VM&, Slot* frame) { frame[0].i = unicode::rune_count(load_string(frame).view()); }

void valid_string(VM&, Slot* frame) {
    std::string_view s = load_string(frame).view();
    bool valid = true;
    for (size_t i = 0; i < s.size() && valid;) {
        unicode::Decoded d = unicode::decode_rune(s, i);
        valid = !(d.rune == unicode::rune_error && d.width == 1);
        i += d.width;
    }
    frame[0].i = valid;
}

// Go's FullRuneInString: true unless s is a valid but truncated prefix of an encoding.
void full_rune(VM&, Slot* frame) {
    std::string_view s = load_string(frame).view();
    if (s.empty()) {
        frame[0].i = 0;
        return;
    }
    const auto b0 = static_cast<unsigned char>(s[0]);
    size_t need = b0 < 0xC2 ? 1 : b0 < 0xE0 ? 2 : b0 < 0xF0 ? 3 : b0 < 0xF5 ? 4 : 1;
    bool full = s.size() >= need;
    if (!full) {
        unsigned lo = b0 == 0xE0 ? 0xA0 : b0 == 0xF0 ? 0x90 : 0x80;
        unsigned hi = b0 == 0xED ? 0x9F : b0 == 0xF4 ? 0x8F : 0xBF;
        auto b1 = s.size() > 1 ? static_cast<unsigned char>(s[1]) : 0u;
        auto b2 = s.size() > 2 ? static_cast<unsigned char>(s[2]) : 0u;
        full = (s.size() > 1 && (b1 < lo || hi < b1)) || (s.size() > 2 && (b2 < 0x80 || 0xBF < b2));
    }
    frame[0].i = full;
}

void rune_len(VM&, Slot* frame) { frame[0].i = unicode::rune_len(frame[0].i); }

} // namespace

const NativeEntry utf8_natives[] = {
    {"unicode/utf8.DecodeRuneInString", decode_rune},
    {"unicode/utf8.DecodeLastRuneInString", decode_last_rune},
    {"unicode/utf8.RuneCountInString", rune_count},
    {"unicode/utf8.ValidString", valid_string},
    {"unicode/utf8.FullRuneInString", full_rune},
    {"unicode/utf8.RuneLen", rune_len},
    {nullptr, nullptr},
};

} // namespace csp::stdlib
