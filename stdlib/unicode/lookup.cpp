// Searching the generated rune tables (tables.cpp): class membership, case mapping and
// Go's SimpleFold.
#include "stdlib/unicode/unicode.hpp"

#include <algorithm>

namespace csp::unicode {

bool in_table(const RuneTable& table, int64_t r) {
    const RuneRange* end = table.ranges + table.count;
    const RuneRange* it = std::lower_bound(table.ranges, end, r,
                                           [](const RuneRange& range, int64_t x) { return range.hi < x; });
    return it != end && it->lo <= r && (r - it->lo) % it->stride == 0;
}

static const CaseEntry* find_case(int64_t r) {
    const CaseEntry* end = case_entries + case_entry_count;
    const CaseEntry* it = std::lower_bound(case_entries, end, r,
                                           [](const CaseEntry& e, int64_t x) { return e.rune < x; });
    return it != end && it->rune == r ? it : nullptr;
}

int64_t to_case(Case c, int64_t r) {
    const CaseEntry* e = find_case(r);
    if (!e) return r;
    return c == Case::Upper ? e->upper : c == Case::Lower ? e->lower : e->title;
}

int64_t simple_fold(int64_t r) {
    if (r < 0 || r > max_rune) return r;
    const FoldEntry* end = fold_entries + fold_entry_count;
    const FoldEntry* it = std::lower_bound(fold_entries, end, r,
                                           [](const FoldEntry& e, int64_t x) { return e.rune < x; });
    if (it != end && it->rune == r) return it->fold;
    if (int64_t l = to_case(Case::Lower, r); l != r) return l;
    return to_case(Case::Upper, r);
}

} // namespace csp::unicode
