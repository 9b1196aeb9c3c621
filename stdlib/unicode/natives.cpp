// Native bodies of package unicode: class tests and case mappings over the generated
// tables (stdlib/unicode/tables.cpp).
#include "stdlib/natives.hpp"
#include "stdlib/unicode/unicode.hpp"

namespace csp::stdlib {

namespace {

using unicode::Case;
using unicode::RuneTable;

// One native per class: frame[0] holds the rune, the result is a bool.
template <const RuneTable& table> void is_class(VM&, Slot* frame) {
    frame[0].i = unicode::in_table(table, frame[0].i) ? 1 : 0;
}

template <Case c> void to_case(VM&, Slot* frame) { frame[0].i = unicode::to_case(c, frame[0].i); }

void simple_fold(VM&, Slot* frame) { frame[0].i = unicode::simple_fold(frame[0].i); }

} // namespace

const NativeEntry unicode_natives[] = {
    {"unicode.IsControl", is_class<unicode::control_table>},
    {"unicode.IsDigit", is_class<unicode::digit_table>},
    {"unicode.IsGraphic", is_class<unicode::graphic_table>},
    {"unicode.IsLetter", is_class<unicode::letter_table>},
    {"unicode.IsLower", is_class<unicode::lower_table>},
    {"unicode.IsMark", is_class<unicode::mark_table>},
    {"unicode.IsNumber", is_class<unicode::number_table>},
    {"unicode.IsPrint", is_class<unicode::print_table>},
    {"unicode.IsPunct", is_class<unicode::punct_table>},
    {"unicode.IsSpace", is_class<unicode::space_table>},
    {"unicode.IsSymbol", is_class<unicode::symbol_table>},
    {"unicode.IsTitle", is_class<unicode::title_table>},
    {"unicode.IsUpper", is_class<unicode::upper_table>},
    {"unicode.ToLower", to_case<Case::Lower>},
    {"unicode.ToTitle", to_case<Case::Title>},
    {"unicode.ToUpper", to_case<Case::Upper>},
    {"unicode.SimpleFold", simple_fold},
    {nullptr, nullptr},
};

} // namespace csp::stdlib
