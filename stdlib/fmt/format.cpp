// Port of Go 1.19's fmt (format.go, print.go) and strconv (ftoa.go, quote.go, isprint.go)
// for scalar operands. Control flow deliberately mirrors the Go sources so that every
// flag interaction and error form matches; only digit generation is delegated to
// std::to_chars, which yields the same correctly rounded (ties-to-even) digits as Go.
#include "stdlib/fmt/format.hpp"
#include "stdlib/unicode/unicode.hpp"

#include <algorithm>
#include <bit>
#include <charconv>
#include <cmath>
#include <limits>
#include <utility>

namespace csp::fmt {
namespace {

constexpr char32_t kRuneError = 0xFFFD;
constexpr char32_t kMaxRune = 0x10FFFF;
constexpr std::string_view kLowerDigits = "0123456789abcdefx";
constexpr std::string_view kUpperDigits = "0123456789ABCDEFX";

// ---------------------------------------------------------------------------------------
// UTF-8 exactly as Go's unicode/utf8 (stdlib/unicode/unicode.hpp, shared with strings and
// utf8), with runes as char32_t here.

struct Decoded {
    char32_t rune;
    size_t width;
};

Decoded decode_rune(std::string_view s, size_t i) {
    const unicode::Decoded d = unicode::decode_rune(s, i);
    return {static_cast<char32_t>(d.rune), d.width};
}

bool valid_rune(char32_t r) { return unicode::valid_rune(r); }
void append_rune(std::string& out, char32_t r) { unicode::append_rune(out, r); }
using unicode::rune_count;

// ---------------------------------------------------------------------------------------
// strconv.IsPrint tables, generated from Go 1.19 src/strconv/isprint.go. Pairs in the
// isPrint tables are inclusive ranges; isNotPrint lists exceptions inside those ranges
// (isNotPrint32 entries are offsets from 0x10000).

// clang-format off
constexpr uint16_t kIsPrint16[] = {
    0x0020, 0x007e, 0x00a1, 0x0377, 0x037a, 0x037f, 0x0384, 0x0556, 0x0559, 0x058a, 0x058d, 0x05c7,
    0x05d0, 0x05ea, 0x05ef, 0x05f4, 0x0606, 0x061b, 0x061e, 0x070d, 0x0710, 0x074a, 0x074d, 0x07b1,
    0x07c0, 0x07fa, 0x07fd, 0x082d, 0x0830, 0x085b, 0x085e, 0x086a, 0x08a0, 0x08c7, 0x08d3, 0x098c,
    0x098f, 0x0990, 0x0993, 0x09b2, 0x09b6, 0x09b9, 0x09bc, 0x09c4, 0x09c7, 0x09c8, 0x09cb, 0x09ce,
    0x09d7, 0x09d7, 0x09dc, 0x09e3, 0x09e6, 0x09fe, 0x0a01, 0x0a0a, 0x0a0f, 0x0a10, 0x0a13, 0x0a39,
    0x0a3c, 0x0a42, 0x0a47, 0x0a48, 0x0a4b, 0x0a4d, 0x0a51, 0x0a51, 0x0a59, 0x0a5e, 0x0a66, 0x0a76,
    0x0a81, 0x0ab9, 0x0abc, 0x0acd, 0x0ad0, 0x0ad0, 0x0ae0, 0x0ae3, 0x0ae6, 0x0af1, 0x0af9, 0x0b0c,
    0x0b0f, 0x0b10, 0x0b13, 0x0b39, 0x0b3c, 0x0b44, 0x0b47, 0x0b48, 0x0b4b, 0x0b4d, 0x0b55, 0x0b57,
    0x0b5c, 0x0b63, 0x0b66, 0x0b77, 0x0b82, 0x0b8a, 0x0b8e, 0x0b95, 0x0b99, 0x0b9f, 0x0ba3, 0x0ba4,
    0x0ba8, 0x0baa, 0x0bae, 0x0bb9, 0x0bbe, 0x0bc2, 0x0bc6, 0x0bcd, 0x0bd0, 0x0bd0, 0x0bd7, 0x0bd7,
    0x0be6, 0x0bfa, 0x0c00, 0x0c39, 0x0c3d, 0x0c4d, 0x0c55, 0x0c5a, 0x0c60, 0x0c63, 0x0c66, 0x0c6f,
    0x0c77, 0x0cb9, 0x0cbc, 0x0ccd, 0x0cd5, 0x0cd6, 0x0cde, 0x0ce3, 0x0ce6, 0x0cf2, 0x0d00, 0x0d4f,
    0x0d54, 0x0d63, 0x0d66, 0x0d96, 0x0d9a, 0x0dbd, 0x0dc0, 0x0dc6, 0x0dca, 0x0dca, 0x0dcf, 0x0ddf,
    0x0de6, 0x0def, 0x0df2, 0x0df4, 0x0e01, 0x0e3a, 0x0e3f, 0x0e5b, 0x0e81, 0x0ebd, 0x0ec0, 0x0ecd,
    0x0ed0, 0x0ed9, 0x0edc, 0x0edf, 0x0f00, 0x0f6c, 0x0f71, 0x0fda, 0x1000, 0x10c7, 0x10cd, 0x10cd,
    0x10d0, 0x124d, 0x1250, 0x125d, 0x1260, 0x128d, 0x1290, 0x12b5, 0x12b8, 0x12c5, 0x12c8, 0x1315,
    0x1318, 0x135a, 0x135d, 0x137c, 0x1380, 0x1399, 0x13a0, 0x13f5, 0x13f8, 0x13fd, 0x1400, 0x169c,
    0x16a0, 0x16f8, 0x1700, 0x1714, 0x1720, 0x1736, 0x1740, 0x1753, 0x1760, 0x1773, 0x1780, 0x17dd,
    0x17e0, 0x17e9, 0x17f0, 0x17f9, 0x1800, 0x180d, 0x1810, 0x1819, 0x1820, 0x1878, 0x1880, 0x18aa,
    0x18b0, 0x18f5, 0x1900, 0x192b, 0x1930, 0x193b, 0x1940, 0x1940, 0x1944, 0x196d, 0x1970, 0x1974,
    0x1980, 0x19ab, 0x19b0, 0x19c9, 0x19d0, 0x19da, 0x19de, 0x1a1b, 0x1a1e, 0x1a7c, 0x1a7f, 0x1a89,
    0x1a90, 0x1a99, 0x1aa0, 0x1aad, 0x1ab0, 0x1ac0, 0x1b00, 0x1b4b, 0x1b50, 0x1b7c, 0x1b80, 0x1bf3,
    0x1bfc, 0x1c37, 0x1c3b, 0x1c49, 0x1c4d, 0x1c88, 0x1c90, 0x1cba, 0x1cbd, 0x1cc7, 0x1cd0, 0x1cfa,
    0x1d00, 0x1f15, 0x1f18, 0x1f1d, 0x1f20, 0x1f45, 0x1f48, 0x1f4d, 0x1f50, 0x1f7d, 0x1f80, 0x1fd3,
    0x1fd6, 0x1fef, 0x1ff2, 0x1ffe, 0x2010, 0x2027, 0x2030, 0x205e, 0x2070, 0x2071, 0x2074, 0x209c,
    0x20a0, 0x20bf, 0x20d0, 0x20f0, 0x2100, 0x218b, 0x2190, 0x2426, 0x2440, 0x244a, 0x2460, 0x2b73,
    0x2b76, 0x2cf3, 0x2cf9, 0x2d27, 0x2d2d, 0x2d2d, 0x2d30, 0x2d67, 0x2d6f, 0x2d70, 0x2d7f, 0x2d96,
    0x2da0, 0x2e52, 0x2e80, 0x2ef3, 0x2f00, 0x2fd5, 0x2ff0, 0x2ffb, 0x3001, 0x3096, 0x3099, 0x30ff,
    0x3105, 0x31e3, 0x31f0, 0x9ffc, 0xa000, 0xa48c, 0xa490, 0xa4c6, 0xa4d0, 0xa62b, 0xa640, 0xa6f7,
    0xa700, 0xa7bf, 0xa7c2, 0xa7ca, 0xa7f5, 0xa82c, 0xa830, 0xa839, 0xa840, 0xa877, 0xa880, 0xa8c5,
    0xa8ce, 0xa8d9, 0xa8e0, 0xa953, 0xa95f, 0xa97c, 0xa980, 0xa9d9, 0xa9de, 0xaa36, 0xaa40, 0xaa4d,
    0xaa50, 0xaa59, 0xaa5c, 0xaac2, 0xaadb, 0xaaf6, 0xab01, 0xab06, 0xab09, 0xab0e, 0xab11, 0xab16,
    0xab20, 0xab6b, 0xab70, 0xabed, 0xabf0, 0xabf9, 0xac00, 0xd7a3, 0xd7b0, 0xd7c6, 0xd7cb, 0xd7fb,
    0xf900, 0xfa6d, 0xfa70, 0xfad9, 0xfb00, 0xfb06, 0xfb13, 0xfb17, 0xfb1d, 0xfbc1, 0xfbd3, 0xfd3f,
    0xfd50, 0xfd8f, 0xfd92, 0xfdc7, 0xfdf0, 0xfdfd, 0xfe00, 0xfe19, 0xfe20, 0xfe6b, 0xfe70, 0xfefc,
    0xff01, 0xffbe, 0xffc2, 0xffc7, 0xffca, 0xffcf, 0xffd2, 0xffd7, 0xffda, 0xffdc, 0xffe0, 0xffee,
    0xfffc, 0xfffd,
};
constexpr uint16_t kIsNotPrint16[] = {
    0x00ad, 0x038b, 0x038d, 0x03a2, 0x0530, 0x0590, 0x06dd, 0x083f, 0x085f, 0x08b5, 0x08e2, 0x0984,
    0x09a9, 0x09b1, 0x09de, 0x0a04, 0x0a29, 0x0a31, 0x0a34, 0x0a37, 0x0a3d, 0x0a5d, 0x0a84, 0x0a8e,
    0x0a92, 0x0aa9, 0x0ab1, 0x0ab4, 0x0ac6, 0x0aca, 0x0b00, 0x0b04, 0x0b29, 0x0b31, 0x0b34, 0x0b5e,
    0x0b84, 0x0b91, 0x0b9b, 0x0b9d, 0x0bc9, 0x0c0d, 0x0c11, 0x0c29, 0x0c45, 0x0c49, 0x0c57, 0x0c8d,
    0x0c91, 0x0ca9, 0x0cb4, 0x0cc5, 0x0cc9, 0x0cdf, 0x0cf0, 0x0d0d, 0x0d11, 0x0d45, 0x0d49, 0x0d80,
    0x0d84, 0x0db2, 0x0dbc, 0x0dd5, 0x0dd7, 0x0e83, 0x0e85, 0x0e8b, 0x0ea4, 0x0ea6, 0x0ec5, 0x0ec7,
    0x0f48, 0x0f98, 0x0fbd, 0x0fcd, 0x10c6, 0x1249, 0x1257, 0x1259, 0x1289, 0x12b1, 0x12bf, 0x12c1,
    0x12d7, 0x1311, 0x1680, 0x170d, 0x176d, 0x1771, 0x191f, 0x1a5f, 0x1dfa, 0x1f58, 0x1f5a, 0x1f5c,
    0x1f5e, 0x1fb5, 0x1fc5, 0x1fdc, 0x1ff5, 0x208f, 0x2b96, 0x2c2f, 0x2c5f, 0x2d26, 0x2da7, 0x2daf,
    0x2db7, 0x2dbf, 0x2dc7, 0x2dcf, 0x2dd7, 0x2ddf, 0x2e9a, 0x3040, 0x3130, 0x318f, 0x321f, 0xa9ce,
    0xa9ff, 0xab27, 0xab2f, 0xfb37, 0xfb3d, 0xfb3f, 0xfb42, 0xfb45, 0xfe53, 0xfe67, 0xfe75, 0xffe7,
};
constexpr uint32_t kIsPrint32[] = {
    0x10000, 0x1004d, 0x10050, 0x1005d, 0x10080, 0x100fa, 0x10100, 0x10102, 0x10107, 0x10133,
    0x10137, 0x1019c, 0x101a0, 0x101a0, 0x101d0, 0x101fd, 0x10280, 0x1029c, 0x102a0, 0x102d0,
    0x102e0, 0x102fb, 0x10300, 0x10323, 0x1032d, 0x1034a, 0x10350, 0x1037a, 0x10380, 0x103c3,
    0x103c8, 0x103d5, 0x10400, 0x1049d, 0x104a0, 0x104a9, 0x104b0, 0x104d3, 0x104d8, 0x104fb,
    0x10500, 0x10527, 0x10530, 0x10563, 0x1056f, 0x1056f, 0x10600, 0x10736, 0x10740, 0x10755,
    0x10760, 0x10767, 0x10800, 0x10805, 0x10808, 0x10838, 0x1083c, 0x1083c, 0x1083f, 0x1089e,
    0x108a7, 0x108af, 0x108e0, 0x108f5, 0x108fb, 0x1091b, 0x1091f, 0x10939, 0x1093f, 0x1093f,
    0x10980, 0x109b7, 0x109bc, 0x109cf, 0x109d2, 0x10a06, 0x10a0c, 0x10a35, 0x10a38, 0x10a3a,
    0x10a3f, 0x10a48, 0x10a50, 0x10a58, 0x10a60, 0x10a9f, 0x10ac0, 0x10ae6, 0x10aeb, 0x10af6,
    0x10b00, 0x10b35, 0x10b39, 0x10b55, 0x10b58, 0x10b72, 0x10b78, 0x10b91, 0x10b99, 0x10b9c,
    0x10ba9, 0x10baf, 0x10c00, 0x10c48, 0x10c80, 0x10cb2, 0x10cc0, 0x10cf2, 0x10cfa, 0x10d27,
    0x10d30, 0x10d39, 0x10e60, 0x10ead, 0x10eb0, 0x10eb1, 0x10f00, 0x10f27, 0x10f30, 0x10f59,
    0x10fb0, 0x10fcb, 0x10fe0, 0x10ff6, 0x11000, 0x1104d, 0x11052, 0x1106f, 0x1107f, 0x110c1,
    0x110d0, 0x110e8, 0x110f0, 0x110f9, 0x11100, 0x11147, 0x11150, 0x11176, 0x11180, 0x111f4,
    0x11200, 0x1123e, 0x11280, 0x112a9, 0x112b0, 0x112ea, 0x112f0, 0x112f9, 0x11300, 0x1130c,
    0x1130f, 0x11310, 0x11313, 0x11344, 0x11347, 0x11348, 0x1134b, 0x1134d, 0x11350, 0x11350,
    0x11357, 0x11357, 0x1135d, 0x11363, 0x11366, 0x1136c, 0x11370, 0x11374, 0x11400, 0x11461,
    0x11480, 0x114c7, 0x114d0, 0x114d9, 0x11580, 0x115b5, 0x115b8, 0x115dd, 0x11600, 0x11644,
    0x11650, 0x11659, 0x11660, 0x1166c, 0x11680, 0x116b8, 0x116c0, 0x116c9, 0x11700, 0x1171a,
    0x1171d, 0x1172b, 0x11730, 0x1173f, 0x11800, 0x1183b, 0x118a0, 0x118f2, 0x118ff, 0x11906,
    0x11909, 0x11909, 0x1190c, 0x11938, 0x1193b, 0x11946, 0x11950, 0x11959, 0x119a0, 0x119a7,
    0x119aa, 0x119d7, 0x119da, 0x119e4, 0x11a00, 0x11a47, 0x11a50, 0x11aa2, 0x11ac0, 0x11af8,
    0x11c00, 0x11c45, 0x11c50, 0x11c6c, 0x11c70, 0x11c8f, 0x11c92, 0x11cb6, 0x11d00, 0x11d36,
    0x11d3a, 0x11d47, 0x11d50, 0x11d59, 0x11d60, 0x11d98, 0x11da0, 0x11da9, 0x11ee0, 0x11ef8,
    0x11fb0, 0x11fb0, 0x11fc0, 0x11ff1, 0x11fff, 0x12399, 0x12400, 0x12474, 0x12480, 0x12543,
    0x13000, 0x1342e, 0x14400, 0x14646, 0x16800, 0x16a38, 0x16a40, 0x16a69, 0x16a6e, 0x16a6f,
    0x16ad0, 0x16aed, 0x16af0, 0x16af5, 0x16b00, 0x16b45, 0x16b50, 0x16b77, 0x16b7d, 0x16b8f,
    0x16e40, 0x16e9a, 0x16f00, 0x16f4a, 0x16f4f, 0x16f87, 0x16f8f, 0x16f9f, 0x16fe0, 0x16fe4,
    0x16ff0, 0x16ff1, 0x17000, 0x187f7, 0x18800, 0x18cd5, 0x18d00, 0x18d08, 0x1b000, 0x1b11e,
    0x1b150, 0x1b152, 0x1b164, 0x1b167, 0x1b170, 0x1b2fb, 0x1bc00, 0x1bc6a, 0x1bc70, 0x1bc7c,
    0x1bc80, 0x1bc88, 0x1bc90, 0x1bc99, 0x1bc9c, 0x1bc9f, 0x1d000, 0x1d0f5, 0x1d100, 0x1d126,
    0x1d129, 0x1d172, 0x1d17b, 0x1d1e8, 0x1d200, 0x1d245, 0x1d2e0, 0x1d2f3, 0x1d300, 0x1d356,
    0x1d360, 0x1d378, 0x1d400, 0x1d49f, 0x1d4a2, 0x1d4a2, 0x1d4a5, 0x1d4a6, 0x1d4a9, 0x1d50a,
    0x1d50d, 0x1d546, 0x1d54a, 0x1d6a5, 0x1d6a8, 0x1d7cb, 0x1d7ce, 0x1da8b, 0x1da9b, 0x1daaf,
    0x1e000, 0x1e018, 0x1e01b, 0x1e02a, 0x1e100, 0x1e12c, 0x1e130, 0x1e13d, 0x1e140, 0x1e149,
    0x1e14e, 0x1e14f, 0x1e2c0, 0x1e2f9, 0x1e2ff, 0x1e2ff, 0x1e800, 0x1e8c4, 0x1e8c7, 0x1e8d6,
    0x1e900, 0x1e94b, 0x1e950, 0x1e959, 0x1e95e, 0x1e95f, 0x1ec71, 0x1ecb4, 0x1ed01, 0x1ed3d,
    0x1ee00, 0x1ee24, 0x1ee27, 0x1ee3b, 0x1ee42, 0x1ee42, 0x1ee47, 0x1ee54, 0x1ee57, 0x1ee64,
    0x1ee67, 0x1ee9b, 0x1eea1, 0x1eebb, 0x1eef0, 0x1eef1, 0x1f000, 0x1f02b, 0x1f030, 0x1f093,
    0x1f0a0, 0x1f0ae, 0x1f0b1, 0x1f0f5, 0x1f100, 0x1f1ad, 0x1f1e6, 0x1f202, 0x1f210, 0x1f23b,
    0x1f240, 0x1f248, 0x1f250, 0x1f251, 0x1f260, 0x1f265, 0x1f300, 0x1f6d7, 0x1f6e0, 0x1f6ec,
    0x1f6f0, 0x1f6fc, 0x1f700, 0x1f773, 0x1f780, 0x1f7d8, 0x1f7e0, 0x1f7eb, 0x1f800, 0x1f80b,
    0x1f810, 0x1f847, 0x1f850, 0x1f859, 0x1f860, 0x1f887, 0x1f890, 0x1f8ad, 0x1f8b0, 0x1f8b1,
    0x1f900, 0x1fa53, 0x1fa60, 0x1fa6d, 0x1fa70, 0x1fa74, 0x1fa78, 0x1fa7a, 0x1fa80, 0x1fa86,
    0x1fa90, 0x1faa8, 0x1fab0, 0x1fab6, 0x1fac0, 0x1fac2, 0x1fad0, 0x1fad6, 0x1fb00, 0x1fbca,
    0x1fbf0, 0x1fbf9, 0x20000, 0x2a6dd, 0x2a700, 0x2b734, 0x2b740, 0x2b81d, 0x2b820, 0x2cea1,
    0x2ceb0, 0x2ebe0, 0x2f800, 0x2fa1d, 0x30000, 0x3134a, 0xe0100, 0xe01ef,
};
constexpr uint16_t kIsNotPrint32[] = {
    0x000c, 0x0027, 0x003b, 0x003e, 0x018f, 0x039e, 0x0809, 0x0836, 0x0856, 0x08f3, 0x0a04, 0x0a14,
    0x0a18, 0x0e7f, 0x0eaa, 0x10bd, 0x1135, 0x11e0, 0x1212, 0x1287, 0x1289, 0x128e, 0x129e, 0x1304,
    0x1329, 0x1331, 0x1334, 0x133a, 0x145c, 0x1914, 0x1917, 0x1936, 0x1c09, 0x1c37, 0x1ca8, 0x1d07,
    0x1d0a, 0x1d3b, 0x1d3e, 0x1d66, 0x1d69, 0x1d8f, 0x1d92, 0x246f, 0x6a5f, 0x6b5a, 0x6b62, 0xd455,
    0xd49d, 0xd4ad, 0xd4ba, 0xd4bc, 0xd4c4, 0xd506, 0xd515, 0xd51d, 0xd53a, 0xd53f, 0xd545, 0xd551,
    0xdaa0, 0xe007, 0xe022, 0xe025, 0xee04, 0xee20, 0xee23, 0xee28, 0xee33, 0xee38, 0xee3a, 0xee48,
    0xee4a, 0xee4c, 0xee50, 0xee53, 0xee58, 0xee5a, 0xee5c, 0xee5e, 0xee60, 0xee63, 0xee6b, 0xee73,
    0xee78, 0xee7d, 0xee7f, 0xee8a, 0xeea4, 0xeeaa, 0xf0c0, 0xf0d0, 0xf979, 0xf9cc, 0xfb93,
};
// clang-format on

template <class T> size_t lower_bound_index(const T* first, size_t n, T x) {
    return static_cast<size_t>(std::lower_bound(first, first + n, x) - first);
}

template <class T, size_t N> bool in_ranges(const T (&ranges)[N], T x) {
    const size_t i = lower_bound_index(ranges, N, x);
    return i < N && ranges[i & ~size_t{1}] <= x && x <= ranges[i | 1];
}

template <size_t N> bool in_list(const uint16_t (&list)[N], uint16_t x) {
    const size_t j = lower_bound_index(list, N, x);
    return j < N && list[j] == x;
}

} // namespace

bool is_print(char32_t r) {
    if (r <= 0xFF) {
        if (0x20 <= r && r <= 0x7E) return true;
        if (0xA1 <= r && r <= 0xFF) return r != 0xAD; // soft hyphen
        return false;
    }
    if (r < 0x10000) {
        const auto rr = static_cast<uint16_t>(r);
        return in_ranges(kIsPrint16, rr) && !in_list(kIsNotPrint16, rr);
    }
    if (!in_ranges(kIsPrint32, static_cast<uint32_t>(r))) return false;
    if (r >= 0x20000) return true;
    return !in_list(kIsNotPrint32, static_cast<uint16_t>(r - 0x10000));
}

// ---------------------------------------------------------------------------------------
// strconv quoting.

namespace {

void append_hex_escape(std::string& out, char prefix, uint32_t v, int digits) {
    out += '\\';
    out += prefix;
    for (int shift = (digits - 1) * 4; shift >= 0; shift -= 4)
        out += kLowerDigits[(v >> shift) & 0xF];
}

// strconv.appendEscapedRune (without the graphic-only mode, which fmt never uses).
void append_escaped_rune(std::string& out, char32_t r, char quote, bool ascii_only) {
    if (r == static_cast<char32_t>(quote) || r == '\\') {
        out += '\\';
        out += static_cast<char>(r);
        return;
    }
    if (ascii_only ? (r < 0x80 && is_print(r)) : is_print(r)) {
        append_rune(out, r);
        return;
    }
    constexpr std::string_view kControls = "\a\b\f\n\r\t\v", kLetters = "abfnrtv";
    if (const size_t k = kControls.find(static_cast<char>(r)); r < 0x80 && k != kControls.npos) {
        out += '\\';
        out += kLetters[k];
        return;
    }
    if (r < ' ' || r == 0x7F) {
        append_hex_escape(out, 'x', r, 2);
    } else if (!valid_rune(r) || r < 0x10000) {
        append_hex_escape(out, 'u', valid_rune(r) ? r : kRuneError, 4);
    } else {
        append_hex_escape(out, 'U', r, 8);
    }
}

} // namespace

void append_quote(std::string& out, std::string_view s, bool ascii_only) {
    out += '"';
    for (size_t i = 0; i < s.size();) {
        const Decoded d = decode_rune(s, i);
        if (d.width == 1 && d.rune == kRuneError) {
            // Invalid bytes are shown individually rather than as U+FFFD.
            append_hex_escape(out, 'x', static_cast<unsigned char>(s[i]), 2);
        } else {
            append_escaped_rune(out, d.rune, '"', ascii_only);
        }
        i += d.width;
    }
    out += '"';
}

void append_quote_rune(std::string& out, char32_t r, bool ascii_only) {
    out += '\'';
    append_escaped_rune(out, valid_rune(r) ? r : kRuneError, '\'', ascii_only);
    out += '\'';
}

bool can_backquote(std::string_view s) {
    for (size_t i = 0; i < s.size();) {
        const Decoded d = decode_rune(s, i);
        i += d.width;
        if (d.width > 1) {
            if (d.rune == 0xFEFF) return false; // BOMs are invisible
            continue;
        }
        if (d.rune == kRuneError) return false;
        if ((d.rune < ' ' && d.rune != '\t') || d.rune == '`' || d.rune == 0x7F) return false;
    }
    return true;
}

// ---------------------------------------------------------------------------------------
// strconv.FormatFloat.

namespace {

// Go's decimalSlice: significant digits without leading or trailing zeros (empty for
// zero) and the decimal point position, value = 0.d[0]d[1]... * 10^dp.
struct DecimalDigits {
    std::string d;
    int dp = 0;
    int nd() const { return static_cast<int>(d.size()); }
};

// Parses std::to_chars scientific output such as "-1.2500e+07" into digits and dp.
DecimalDigits parse_scientific(std::string_view text) {
    DecimalDigits digs;
    size_t i = text.starts_with('-') ? 1 : 0;
    for (; i < text.size() && text[i] != 'e'; ++i) {
        if (text[i] != '.') digs.d += text[i];
    }
    int exp = 0;
    if (i + 1 < text.size()) {
        const char* first = text.data() + i + 1;
        if (*first == '+') ++first;
        std::from_chars(first, text.data() + text.size(), exp);
    }
    while (!digs.d.empty() && digs.d.back() == '0')
        digs.d.pop_back();
    digs.dp = digs.d.empty() ? 0 : exp + 1;
    return digs;
}

template <class T> DecimalDigits shortest_digits(T v) {
    char buf[64];
    const auto res = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::scientific);
    return parse_scientific({buf, res.ptr});
}

// Exactly `ndigits` significant digits, correctly rounded (ties to even), as Go's
// ryuFtoaFixed/bigFtoa produce; then trailing zeros trimmed as Go does.
DecimalDigits fixed_digits(double v, int64_t ndigits) {
    std::string buf(static_cast<size_t>(ndigits) + 16, '\0');
    const int prec = static_cast<int>(ndigits - 1);
    const auto res =
        std::to_chars(buf.data(), buf.data() + buf.size(), v, std::chars_format::scientific, prec);
    return parse_scientific({buf.data(), static_cast<size_t>(res.ptr - buf.data())});
}

// %f with an explicit precision: std::to_chars prints exactly what Go's fmtF prints for
// the value rounded at dp+prec digits, including "-0.00" for small negatives.
void append_fixed(std::string& out, double v, int prec) {
    const size_t old = out.size();
    out.resize(old + 330 + static_cast<size_t>(prec));
    const auto res =
        std::to_chars(out.data() + old, out.data() + out.size(), v, std::chars_format::fixed, prec);
    out.resize(static_cast<size_t>(res.ptr - out.data()));
}

void append_exponent_digits(std::string& out, int exp, int min_digits) {
    char buf[8];
    int n = 0;
    do {
        buf[n++] = static_cast<char>('0' + exp % 10);
        exp /= 10;
    } while (exp > 0 || n < min_digits);
    while (n > 0)
        out += buf[--n];
}

// %e: -d.ddddde±dd
void fmt_e(std::string& out, bool neg, const DecimalDigits& d, int64_t prec, char fmt) {
    if (neg) out += '-';
    out += d.nd() != 0 ? d.d[0] : '0';
    if (prec > 0) {
        out += '.';
        const int64_t m = std::min<int64_t>(d.nd(), prec + 1);
        if (m > 1) out.append(d.d, 1, static_cast<size_t>(m - 1));
        out.append(static_cast<size_t>(prec + 1 - std::max<int64_t>(m, 1)), '0');
    }
    out += fmt;
    int exp = d.nd() == 0 ? 0 : d.dp - 1; // zero has exponent 0
    out += exp < 0 ? '-' : '+';
    append_exponent_digits(out, exp < 0 ? -exp : exp, 2);
}

// %f: -ddddddd.ddddd
void fmt_f(std::string& out, bool neg, const DecimalDigits& d, int64_t prec) {
    if (neg) out += '-';
    if (d.dp > 0) {
        const int m = std::min(d.nd(), d.dp);
        out.append(d.d, 0, static_cast<size_t>(m));
        out.append(static_cast<size_t>(d.dp - m), '0');
    } else {
        out += '0';
    }
    if (prec > 0) {
        out += '.';
        for (int64_t i = 0; i < prec; ++i) {
            const int64_t j = d.dp + i;
            out += (0 <= j && j < d.nd()) ? d.d[static_cast<size_t>(j)] : '0';
        }
    }
}

// strconv.formatDigits: lays out digits for e/E/f/g/G.
void format_digits(std::string& out, bool shortest, bool neg, const DecimalDigits& digs,
                   int64_t prec, char fmt) {
    if (fmt == 'e' || fmt == 'E') return fmt_e(out, neg, digs, prec, fmt);
    if (fmt == 'f') return fmt_f(out, neg, digs, prec);
    int64_t eprec = prec;
    if (eprec > digs.nd() && digs.nd() >= digs.dp) eprec = digs.nd();
    // %e is used if the exponent from the conversion is less than -4 or greater than or
    // equal to the precision; shortest output decides with precision 6.
    if (shortest) eprec = 6;
    const int exp = digs.dp - 1;
    if (exp < -4 || exp >= eprec) {
        prec = std::min<int64_t>(prec, digs.nd());
        return fmt_e(out, neg, digs, prec - 1, fmt == 'g' ? 'e' : 'E');
    }
    if (prec > digs.dp) prec = digs.nd();
    fmt_f(out, neg, digs, std::max<int64_t>(prec - digs.dp, 0));
}

struct FloatBits {
    bool neg;
    uint64_t mant;
    int exp; // unbiased, as in genericFtoa after adding the bias
    int mantbits;
};

FloatBits decompose(double v, bool is32) {
    const uint64_t bits =
        is32 ? std::bit_cast<uint32_t>(static_cast<float>(v)) : std::bit_cast<uint64_t>(v);
    const int mantbits = is32 ? 23 : 52;
    const int expbits = is32 ? 8 : 11;
    const int bias = is32 ? -127 : -1023;
    FloatBits fb{(bits >> (expbits + mantbits)) != 0, bits & ((uint64_t{1} << mantbits) - 1),
                 static_cast<int>(bits >> mantbits) & ((1 << expbits) - 1), mantbits};
    if (fb.exp == 0) {
        fb.exp++; // denormal
    } else {
        fb.mant |= uint64_t{1} << mantbits;
    }
    fb.exp += bias;
    return fb;
}

// %b: -ddddddddp±ddd
void fmt_b(std::string& out, const FloatBits& fb) {
    if (fb.neg) out += '-';
    out += std::to_string(fb.mant);
    out += 'p';
    const int exp = fb.exp - fb.mantbits;
    if (exp >= 0) out += '+';
    out += std::to_string(exp);
}

// %x: -0x1.yyyyyyyyp±ddd or -0x0p+00.
void fmt_x(std::string& out, int prec, char fmt, FloatBits fb) {
    uint64_t mant = fb.mant;
    int exp = mant == 0 ? 0 : fb.exp;
    // Shift digits so the leading 1 (if any) is at bit 1<<60.
    mant <<= 60 - fb.mantbits;
    while (mant != 0 && (mant & (uint64_t{1} << 60)) == 0) {
        mant <<= 1;
        exp--;
    }
    if (prec >= 0 && prec < 15) { // round to prec hex digits, ties to even
        const unsigned shift = static_cast<unsigned>(prec) * 4;
        const uint64_t extra = (mant << shift) & ((uint64_t{1} << 60) - 1);
        mant >>= 60 - shift;
        if ((extra | (mant & 1)) > (uint64_t{1} << 59)) mant++;
        mant <<= 60 - shift;
        if ((mant & (uint64_t{1} << 61)) != 0) {
            mant >>= 1;
            exp++;
        }
    }
    const std::string_view hex = fmt == 'X' ? kUpperDigits : kLowerDigits;
    if (fb.neg) out += '-';
    out += '0';
    out += fmt;
    out += static_cast<char>('0' + ((mant >> 60) & 1));
    mant <<= 4; // drop the leading 0 or 1
    if (prec < 0 && mant != 0) {
        out += '.';
        for (; mant != 0; mant <<= 4)
            out += hex[(mant >> 60) & 15];
    } else if (prec > 0) {
        out += '.';
        for (int i = 0; i < prec; ++i, mant <<= 4)
            out += hex[(mant >> 60) & 15];
    }
    out += fmt == 'X' ? 'P' : 'p';
    out += exp < 0 ? '-' : '+';
    append_exponent_digits(out, exp < 0 ? -exp : exp, 2);
}

// float32(v) with Go's round-to-nearest semantics but without the undefined behaviour a
// C++ cast has for finite doubles beyond the float range.
float to_float32(double v) {
    constexpr double kMax = std::numeric_limits<float>::max();
    // Half an ulp above FLT_MAX rounds (to even) up to infinity.
    constexpr double kOverflow = kMax + 0x1p103;
    if (std::isfinite(v) && std::fabs(v) > kMax) {
        const float inf = std::numeric_limits<float>::infinity();
        if (std::fabs(v) >= kOverflow) return v < 0 ? -inf : inf;
        return static_cast<float>(v < 0 ? -kMax : kMax);
    }
    return static_cast<float>(v);
}

} // namespace

void append_float(std::string& out, double f, char fmt, int prec, int bit_size) {
    const bool is32 = bit_size == 32;
    const float f32 = is32 ? to_float32(f) : 0.0f;
    const double v = is32 ? static_cast<double>(f32) : f;
    if (std::isnan(v)) {
        out += "NaN";
        return;
    }
    if (std::isinf(v)) {
        out += v < 0 ? "-Inf" : "+Inf";
        return;
    }
    if (fmt == 'b') return fmt_b(out, decompose(v, is32));
    if (fmt == 'x' || fmt == 'X') return fmt_x(out, prec, fmt, decompose(v, is32));
    if (fmt != 'e' && fmt != 'E' && fmt != 'f' && fmt != 'g' && fmt != 'G') {
        out += '%';
        out += fmt;
        return;
    }
    const bool neg = std::signbit(v);
    const bool shortest = prec < 0;
    DecimalDigits digs;
    if (shortest) {
        digs = is32 ? shortest_digits(f32) : shortest_digits(v);
        if (fmt == 'e' || fmt == 'E') prec = std::max(digs.nd() - 1, 0);
        if (fmt == 'f') prec = std::max(digs.nd() - digs.dp, 0);
        if (fmt == 'g' || fmt == 'G') prec = digs.nd();
    } else if (fmt == 'f') {
        return append_fixed(out, v, prec);
    } else {
        if ((fmt == 'g' || fmt == 'G') && prec == 0) prec = 1;
        const int64_t ndigits = int64_t{prec} + ((fmt == 'e' || fmt == 'E') ? 1 : 0);
        digs = fixed_digits(v, ndigits);
    }
    format_digits(out, shortest, neg, digs, prec, fmt);
}

// ---------------------------------------------------------------------------------------
// fmt's printer: one instance per Sprintf/Sprint/Sprintln call.

namespace {

struct Flags {
    bool wid_present = false;
    bool prec_present = false;
    bool minus = false;
    bool plus = false;
    bool sharp = false;
    bool space = false;
    bool zero = false;
    // %+v and %#v move plus/sharp here, since they are different flagless formats.
    bool plus_v = false;
    bool sharp_v = false;
};

// Go caps widths and precisions so a crazy format cannot request unbounded padding.
bool too_large(int64_t x) {
    return x > 1'000'000 || x < -1'000'000;
}

struct ParsedNum {
    int num = 0;
    bool ok = false;
    size_t next = 0;
};

// fmt.parsenum: on overflow it consumes the rest of the format (so NOVERB follows).
ParsedNum parse_num(std::string_view s, size_t start, size_t end) {
    if (start >= end) return {0, false, end};
    ParsedNum r{0, false, start};
    for (; r.next < end && s[r.next] >= '0' && s[r.next] <= '9'; ++r.next) {
        if (too_large(r.num)) return {0, false, end};
        r.num = r.num * 10 + (s[r.next] - '0');
        r.ok = true;
    }
    return r;
}

struct ArgIndex {
    int index = 0;
    size_t width = 1; // bytes to consume, up to and including ']'
    bool ok = false;
};

// fmt.parseArgNumber; `format` starts at the '['.
ArgIndex parse_arg_number(std::string_view format) {
    if (format.size() < 3) return {0, 1, false};
    for (size_t i = 1; i < format.size(); ++i) {
        if (format[i] != ']') continue;
        const ParsedNum n = parse_num(format, 1, i);
        if (!n.ok || n.next != i) return {0, i + 1, false};
        return {n.num - 1, i + 1, true};
    }
    return {0, 1, false};
}

class Printer final : public ValueSink {
  public:
    explicit Printer(std::string& out) : out_(out) {}
    void do_printf(std::string_view format, std::span<const Arg> args);
    void do_print(std::span<const Arg> args);
    void do_println(std::span<const Arg> args);

    // ValueSink: what composite operands print themselves with.
    void print_arg(const Arg& arg, char32_t verb) override;
    void bad_verb(const Arg& arg, char32_t verb) override;
    void write(std::string_view text) override { out_ += text; }
    bool print_bytes(std::string_view bytes, bool nil, char32_t verb, std::string_view type_name) override;
    bool print_pointer(uint64_t address, char32_t verb, std::string_view type_name) override;
    bool sharp_v() const override { return f_.sharp_v; }
    bool plus_v() const override { return f_.plus_v; }
    bool erroring() const override { return erroring_; }
    // Errorf's %w: allowed once, on an operand that is an error; the index of that operand,
    // or -1 (none, or %w misused, which then prints as a bad verb).
    void allow_wrapping() { wrap_errs_ = true; }
    int wrapped() const { return wrapped_; }

  private:
    // Low-level formatting (fmt/format.go).
    void write_padding(int64_t n);
    void pad(std::string_view s);
    void pad_spaces(std::string_view s);
    void fmt_integer(uint64_t u, int base, bool is_signed, char32_t verb, std::string_view digits);
    void fmt_unicode(uint64_t u);
    void fmt_c(uint64_t c);
    void fmt_qc(uint64_t c);
    void fmt_s(std::string_view s);
    void fmt_sx(std::string_view s, std::string_view digits);
    void fmt_q(std::string_view s);
    void fmt_float(double v, int size, char verb, int prec);
    void fmt_float_sharp(std::string& num, char verb, int prec);
    std::string_view truncate_string(std::string_view s) const;

    // Verb dispatch (fmt/print.go).
    void fmt_0x64(uint64_t v, bool leading_0x);
    void print_integer(uint64_t v, bool is_signed, char32_t verb);
    void print_float(double v, int size, char32_t verb);
    void print_string(std::string_view s, char32_t verb);

    // Printf directive parsing.
    bool simple_directive(std::string_view format, size_t& i, std::span<const Arg> args);
    bool complex_directive(std::string_view format, size_t& i, std::span<const Arg> args);
    bool arg_number(std::string_view format, size_t& i, size_t num_args);
    void parse_width(std::string_view format, size_t& i, std::span<const Arg> args,
                     bool& after_index);
    void parse_precision(std::string_view format, size_t& i, std::span<const Arg> args,
                         bool& after_index);
    bool int_from_arg(std::span<const Arg> args, int& num);
    void write_extra(std::span<const Arg> args);

    std::string& out_;
    Flags f_;
    int wid_ = 0;
    int prec_ = 0;
    size_t arg_num_ = 0;
    std::span<const Arg> args_; // the operands of a Printf, for %w's index
    bool erroring_ = false;
    bool wrap_errs_ = false;
    int wrapped_ = -1;
    bool reordered_ = false;
    bool good_arg_num_ = true;
};

void Printer::write_padding(int64_t n) {
    if (n <= 0) return;
    out_.append(static_cast<size_t>(n), f_.zero ? '0' : ' ');
}

void Printer::pad(std::string_view s) {
    if (!f_.wid_present || wid_ == 0) {
        out_ += s;
        return;
    }
    const int64_t width = wid_ - rune_count(s);
    if (!f_.minus) {
        write_padding(width);
        out_ += s;
    } else {
        out_ += s;
        write_padding(width);
    }
}

// Pads ignoring the zero flag: for forms where zeros were already applied as precision,
// or where zeros would be meaningless (Inf, NaN, U+ notation).
void Printer::pad_spaces(std::string_view s) {
    const bool old_zero = std::exchange(f_.zero, false);
    pad(s);
    f_.zero = old_zero;
}

std::string_view Printer::truncate_string(std::string_view s) const {
    if (!f_.prec_present) return s;
    int64_t n = prec_;
    for (size_t i = 0; i < s.size(); i += decode_rune(s, i).width) {
        if (--n < 0) return s.substr(0, i);
    }
    return s;
}

void Printer::fmt_integer(uint64_t u, int base, bool is_signed, char32_t verb,
                          std::string_view digits) {
    const bool negative = is_signed && static_cast<int64_t>(u) < 0;
    if (negative) u = 0 - u;
    // Two ways to ask for leading zeros: %.3d or %03d. With both, zero is ignored.
    int64_t prec = 0;
    if (f_.prec_present) {
        prec = prec_;
        if (prec == 0 && u == 0) { // precision 0 and value 0 print nothing but padding
            return pad_spaces("");
        }
    } else if (f_.zero && f_.wid_present) {
        prec = wid_;
        if (negative || f_.plus || f_.space) prec--; // leave room for the sign
    }
    char rev[64];
    int n = 0;
    if (base == 10) { // a constant divisor: the common case compiles to multiplications
        do {
            rev[n++] = char('0' + u % 10);
            u /= 10;
        } while (u != 0);
    } else {
        do {
            rev[n++] = digits[u % static_cast<unsigned>(base)];
            u /= static_cast<unsigned>(base);
        } while (u != 0);
    }
    const int64_t zeros = std::max<int64_t>(prec - n, 0);
    const bool leading_zero = zeros > 0 || rev[n - 1] == '0';

    // Sign, prefix and digits; built on the stack unless the precision asks for many zeros.
    char small[128];
    std::string large;
    const bool fits = zeros <= 32;
    size_t length = 0;
    auto put = [&](char c) {
        if (fits) small[length++] = c;
        else large += c;
    };
    if (negative) {
        put('-');
    } else if (f_.plus) {
        put('+');
    } else if (f_.space) {
        put(' ');
    }
    if (verb == 'O') put('0'), put('o');
    if (f_.sharp) {
        if (base == 2) put('0'), put('b');
        if (base == 8 && !leading_zero) put('0');
        if (base == 16) put('0'), put(digits[16]);
    }
    for (int64_t k = 0; k < zeros; ++k) put('0');
    while (n > 0) put(rev[--n]);
    std::string_view num = fits ? std::string_view(small, length) : std::string_view(large);
    pad_spaces(num); // zero padding was handled above as precision (or overridden by it)
}

// "U+0078", or with the sharp flag "U+0078 'x'".
void Printer::fmt_unicode(uint64_t u) {
    int64_t prec = 4;
    if (f_.prec_present && prec_ > 4) prec = prec_;
    char rev[16];
    int n = 0;
    for (uint64_t v = u; n == 0 || v != 0; v >>= 4)
        rev[n++] = kUpperDigits[v & 0xF];
    std::string num = "U+";
    num.append(static_cast<size_t>(std::max<int64_t>(prec - n, 0)), '0');
    while (n > 0)
        num += rev[--n];
    if (f_.sharp && u <= kMaxRune && is_print(static_cast<char32_t>(u))) {
        num += " '";
        append_rune(num, static_cast<char32_t>(u));
        num += '\'';
    }
    pad_spaces(num);
}

void Printer::fmt_c(uint64_t c) {
    std::string buf;
    append_rune(buf, c > kMaxRune ? kRuneError : static_cast<char32_t>(c));
    pad(buf);
}

void Printer::fmt_qc(uint64_t c) {
    std::string buf;
    append_quote_rune(buf, c > kMaxRune ? kRuneError : static_cast<char32_t>(c), f_.plus);
    pad(buf);
}

void Printer::fmt_s(std::string_view s) {
    pad(truncate_string(s));
}

// Hex encoding of a string's bytes; the space flag separates bytes, sharp adds 0x.
void Printer::fmt_sx(std::string_view s, std::string_view digits) {
    size_t length = s.size();
    if (f_.prec_present && static_cast<size_t>(prec_) < length) length = static_cast<size_t>(prec_);
    int64_t width = 2 * static_cast<int64_t>(length);
    if (width == 0) {
        if (f_.wid_present) write_padding(wid_);
        return;
    }
    if (f_.space) {
        if (f_.sharp) width *= 2;
        width += static_cast<int64_t>(length) - 1;
    } else if (f_.sharp) {
        width += 2;
    }
    if (f_.wid_present && wid_ > width && !f_.minus) write_padding(wid_ - width);
    if (f_.sharp) out_ += {'0', digits[16]};
    for (size_t i = 0; i < length; ++i) {
        if (f_.space && i > 0) {
            out_ += ' ';
            if (f_.sharp) out_ += {'0', digits[16]};
        }
        const auto c = static_cast<unsigned char>(s[i]);
        out_ += {digits[c >> 4], digits[c & 0xF]};
    }
    if (f_.wid_present && wid_ > width && f_.minus) write_padding(wid_ - width);
}

void Printer::fmt_q(std::string_view s) {
    s = truncate_string(s);
    std::string buf;
    if (f_.sharp && can_backquote(s)) {
        buf.reserve(s.size() + 2);
        buf += '`';
        buf += s;
        buf += '`';
    } else {
        append_quote(buf, s, f_.plus);
    }
    pad(buf);
}

// The sharp flag forces a decimal point and keeps trailing zeros (%#g, %#.3x, %#e).
void Printer::fmt_float_sharp(std::string& num, char verb, int prec) {
    int64_t digits = 0;
    if (verb == 'v' || verb == 'g' || verb == 'G' || verb == 'x') digits = prec == -1 ? 6 : prec;
    std::string tail; // exponent part such as "e+06" or "p-02", re-appended after padding
    bool has_decimal_point = false;
    bool saw_nonzero_digit = false;
    for (size_t i = 1; i < num.size(); ++i) {
        const char c = num[i];
        if (c == '.') {
            has_decimal_point = true;
            continue;
        }
        const bool hex_verb = verb == 'x' || verb == 'X';
        if (c == 'p' || c == 'P' || ((c == 'e' || c == 'E') && !hex_verb)) {
            tail = num.substr(i);
            num.resize(i);
            break;
        }
        if (c != '0') saw_nonzero_digit = true;
        if (saw_nonzero_digit) digits--; // count significant digits only
    }
    if (!has_decimal_point) {
        if (num.size() == 2 && num[1] == '0') digits--; // a lone 0 counts once
        num += '.';
    }
    if (digits > 0) num.append(static_cast<size_t>(digits), '0');
    num += tail;
}

void Printer::fmt_float(double v, int size, char verb, int prec) {
    if (f_.prec_present) prec = prec_;
    // num always starts with a sign byte, so the sign can be dropped or moved later.
    std::string num = "+";
    append_float(num, v, verb, prec, size);
    if (num[1] == '-' || num[1] == '+') {
        num.erase(0, 1);
    } else {
        num[0] = '+';
    }
    if (f_.space && num[0] == '+' && !f_.plus) num[0] = ' ';
    if (num[1] == 'I' || num[1] == 'N') {
        // Infinities and NaN are never zero padded; NaN shows a sign only if asked.
        if (num[1] == 'N' && !f_.space && !f_.plus) num.erase(0, 1);
        return pad_spaces(num);
    }
    if (f_.sharp && verb != 'b') fmt_float_sharp(num, verb, prec);
    if (f_.plus || num[0] != '+') {
        // With zero padding the sign goes before the zeros.
        if (f_.zero && f_.wid_present && wid_ > static_cast<int64_t>(num.size())) {
            out_ += num[0];
            write_padding(wid_ - static_cast<int64_t>(num.size()));
            out_.append(num, 1);
            return;
        }
        pad(num);
        return;
    }
    pad(std::string_view(num).substr(1));
}

void Printer::bad_verb(const Arg& arg, char32_t verb) {
    bool was_erroring = erroring_;
    erroring_ = true; // Go's p.erroring: the value is printed without its methods
    out_ += "%!";
    append_rune(out_, verb);
    out_ += '(';
    if (arg.kind == ArgKind::Nil) {
        out_ += "<nil>";
    } else {
        out_ += type_name_of(arg);
        out_ += '=';
        print_arg(arg, 'v'); // with the directive's flags still in effect, as Go does
    }
    out_ += ')';
    erroring_ = was_erroring;
}

void Printer::print_integer(uint64_t v, bool is_signed, char32_t verb) {
    if (verb == 'c') return fmt_c(v);
    if (verb == 'q') return fmt_qc(v);
    if (verb == 'U') return fmt_unicode(v);
    if (verb == 'v' && f_.sharp_v && !is_signed) { // %#v of unsigned values is 0x-prefixed hex
        const bool sharp = std::exchange(f_.sharp, true);
        fmt_integer(v, 16, false, 'v', kLowerDigits);
        f_.sharp = sharp;
        return;
    }
    const int base = verb == 'b'                    ? 2
                     : (verb == 'o' || verb == 'O') ? 8
                     : (verb == 'x' || verb == 'X') ? 16
                                                    : 10;
    fmt_integer(v, base, is_signed, verb, verb == 'X' ? kUpperDigits : kLowerDigits);
}

void Printer::print_float(double v, int size, char32_t verb) {
    // Go's defaults: %v is shortest %g, %F is %f, and e/E/f/F default to precision 6.
    const bool six = verb == 'e' || verb == 'E' || verb == 'f' || verb == 'F';
    const char fmt = verb == 'v' ? 'g' : verb == 'F' ? 'f' : static_cast<char>(verb);
    fmt_float(v, size, fmt, six ? 6 : -1);
}

void Printer::print_string(std::string_view s, char32_t verb) {
    if (verb == 'x' || verb == 'X') return fmt_sx(s, verb == 'X' ? kUpperDigits : kLowerDigits);
    if (verb == 'q' || (verb == 'v' && f_.sharp_v)) return fmt_q(s);
    fmt_s(s);
}

bool verb_accepts(ArgKind kind, char32_t verb) {
    constexpr std::u32string_view kIntVerbs = U"vdboOxXcqU";
    constexpr std::u32string_view kFloatVerbs = U"vbgGxXfeEF";
    constexpr std::u32string_view kStringVerbs = U"vsxXq";
    switch (kind) {
    case ArgKind::Bool:
        return verb == 't' || verb == 'v';
    case ArgKind::Int:
    case ArgKind::Uint:
        return kIntVerbs.find(verb) != std::u32string_view::npos;
    case ArgKind::Float:
        return kFloatVerbs.find(verb) != std::u32string_view::npos;
    case ArgKind::String:
        return kStringVerbs.find(verb) != std::u32string_view::npos;
    case ArgKind::Nil:
        return verb == 'v';
    case ArgKind::Composite:
        return true; // composites check verbs element by element
    }
    return false;
}

void Printer::print_arg(const Arg& arg, char32_t verb) {
    if (verb == 'T') {
        if (arg.kind == ArgKind::Nil) return pad("<nil>");
        return fmt_s(type_name_of(arg));
    }
    if (verb == 'w') { // Go's handleMethods for %w
        bool operand = !args_.empty() && &arg >= args_.data() && &arg < args_.data() + args_.size();
        // Go's printArg formats a nil operand and the predeclared basic types before
        // handleMethods, so a bad %w of those leaves the wrapping alone; a []byte operand
        // it prints element by element, each element a bad %w that cancels the wrapping.
        const std::string_view type = type_name_of(arg);
        const bool bytes = operand && type == "[]uint8";
        if (!bytes && (!wrap_errs_ || !arg.is_error || wrapped_ >= 0 || !operand)) {
            const bool direct = arg.kind == ArgKind::Nil ||
                                (arg.kind != ArgKind::Composite && type.find('.') == std::string_view::npos);
            if (!operand || !direct) {
                wrapped_ = -1;
                wrap_errs_ = false;
            }
            return bad_verb(arg, verb);
        }
        if (!bytes) {
            wrapped_ = int(&arg - args_.data());
            verb = 'v';
        }
    }
    if (arg.handler) return arg.handler->print(*this, verb);
    if (!verb_accepts(arg.kind, verb)) return bad_verb(arg, verb);
    switch (arg.kind) {
    case ArgKind::Bool:
        return pad(arg.b ? "true" : "false");
    case ArgKind::Int:
        return print_integer(static_cast<uint64_t>(arg.i), true, verb);
    case ArgKind::Uint:
        return print_integer(arg.u, false, verb);
    case ArgKind::Float:
        return print_float(arg.f, arg.bits == 32 ? 32 : 64, verb);
    case ArgKind::String:
        return print_string(arg.s, verb);
    case ArgKind::Nil:
        return pad("<nil>");
    case ArgKind::Composite:
        return arg.composite->print(*this, verb);
    }
}

// Go's fmt0x64: hex with or without the 0x prefix, whatever the sharp flag says.
void Printer::fmt_0x64(uint64_t v, bool leading_0x) {
    const bool sharp = std::exchange(f_.sharp, leading_0x);
    fmt_integer(v, 16, false, 'v', kLowerDigits);
    f_.sharp = sharp;
}

bool Printer::print_bytes(std::string_view bytes, bool nil, char32_t verb, std::string_view type_name) {
    switch (verb) {
    case 'v':
    case 'd':
        if (f_.sharp_v) {
            out_ += type_name;
            if (nil) {
                out_ += "(nil)";
                return true;
            }
            out_ += '{';
            for (size_t i = 0; i < bytes.size(); ++i) {
                if (i > 0) out_ += ", ";
                fmt_0x64(static_cast<unsigned char>(bytes[i]), true);
            }
            out_ += '}';
            return true;
        }
        out_ += '[';
        for (size_t i = 0; i < bytes.size(); ++i) {
            if (i > 0) out_ += ' ';
            fmt_integer(static_cast<unsigned char>(bytes[i]), 10, false, verb, kLowerDigits);
        }
        out_ += ']';
        return true;
    case 's':
        fmt_s(bytes);
        return true;
    case 'x':
    case 'X':
        fmt_sx(bytes, verb == 'X' ? kUpperDigits : kLowerDigits);
        return true;
    case 'q':
        fmt_q(bytes);
        return true;
    default:
        return false;
    }
}

bool Printer::print_pointer(uint64_t address, char32_t verb, std::string_view type_name) {
    switch (verb) {
    case 'v':
        if (f_.sharp_v) {
            out_ += '(';
            out_ += type_name;
            out_ += ")(";
            if (address == 0) out_ += "nil";
            else fmt_0x64(address, true);
            out_ += ')';
        } else if (address == 0) {
            pad("<nil>");
        } else {
            fmt_0x64(address, !f_.sharp);
        }
        return true;
    case 'p':
        fmt_0x64(address, !f_.sharp);
        return true;
    case 'b':
    case 'o':
    case 'd':
    case 'x':
    case 'X':
        print_integer(address, false, verb);
        return true;
    default:
        return false;
    }
}

// fmt.intFromArg: the operand of a '*' must be an integer that fits in an int and is
// not tooLarge. The operand is consumed either way.
bool Printer::int_from_arg(std::span<const Arg> args, int& num) {
    num = 0;
    if (arg_num_ >= args.size()) return false;
    const Arg& a = args[arg_num_++];
    int64_t n = 0;
    if (a.kind == ArgKind::Int) {
        n = a.i;
    } else if (a.kind == ArgKind::Uint && a.u <= static_cast<uint64_t>(INT64_MAX)) {
        n = static_cast<int64_t>(a.u);
    } else {
        return false;
    }
    if (too_large(n)) return false;
    num = static_cast<int>(n);
    return true;
}

// fmt.argNumber: handles an explicit "[n]" index at format[i]; returns whether one was
// found (even if out of range, which only marks the directive BADINDEX).
bool Printer::arg_number(std::string_view format, size_t& i, size_t num_args) {
    if (format.size() <= i || format[i] != '[') return false;
    reordered_ = true;
    const ArgIndex idx = parse_arg_number(format.substr(i));
    i += idx.width;
    if (idx.ok && idx.index >= 0 && static_cast<size_t>(idx.index) < num_args) {
        arg_num_ = static_cast<size_t>(idx.index);
        return true;
    }
    good_arg_num_ = false;
    return idx.ok;
}

// Fast path for flags followed directly by a lower-case verb with an operand available.
// Returns true when the directive was fully handled; leaves i at the first non-flag byte
// otherwise.
bool Printer::simple_directive(std::string_view format, size_t& i, std::span<const Arg> args) {
    for (; i < format.size(); ++i) {
        const char c = format[i];
        switch (c) {
        case '#':
            f_.sharp = true;
            break;
        case '0':
            f_.zero = !f_.minus;
            break; // only allow zero padding to the left
        case '+':
            f_.plus = true;
            break;
        case '-':
            f_.minus = true;
            f_.zero = false;
            break;
        case ' ':
            f_.space = true;
            break;
        default:
            if (c < 'a' || c > 'z' || arg_num_ >= args.size()) return false;
            if (c == 'v') {
                f_.sharp_v = std::exchange(f_.sharp, false);
                f_.plus_v = std::exchange(f_.plus, false);
            }
            print_arg(args[arg_num_++], static_cast<char32_t>(c));
            ++i;
            return true;
        }
    }
    return false;
}

void Printer::parse_width(std::string_view format, size_t& i, std::span<const Arg> args,
                          bool& after_index) {
    if (i < format.size() && format[i] == '*') {
        ++i;
        f_.wid_present = int_from_arg(args, wid_);
        if (!f_.wid_present) out_ += "%!(BADWIDTH)";
        if (wid_ < 0) { // a negative '*' width means left-justify
            wid_ = -wid_;
            f_.minus = true;
            f_.zero = false;
        }
        after_index = false;
        return;
    }
    const ParsedNum n = parse_num(format, i, format.size());
    wid_ = n.num, f_.wid_present = n.ok, i = n.next;
    if (after_index && f_.wid_present) good_arg_num_ = false; // "%[3]2d"
}

void Printer::parse_precision(std::string_view format, size_t& i, std::span<const Arg> args,
                              bool& after_index) {
    if (!(i + 1 < format.size() && format[i] == '.')) return;
    ++i;
    if (after_index) good_arg_num_ = false; // "%[3].2d"
    after_index = arg_number(format, i, args.size());
    if (i < format.size() && format[i] == '*') {
        ++i;
        f_.prec_present = int_from_arg(args, prec_);
        if (prec_ < 0) { // negative precisions make no sense
            prec_ = 0;
            f_.prec_present = false;
        }
        if (!f_.prec_present) out_ += "%!(BADPREC)";
        after_index = false;
        return;
    }
    const ParsedNum n = parse_num(format, i, format.size());
    prec_ = n.num, f_.prec_present = n.ok, i = n.next;
    if (!f_.prec_present) { // "%.f" means precision 0
        prec_ = 0;
        f_.prec_present = true;
    }
}

// Index, width, precision and verb. Returns false when the format ends without a verb.
bool Printer::complex_directive(std::string_view format, size_t& i, std::span<const Arg> args) {
    bool after_index = arg_number(format, i, args.size());
    parse_width(format, i, args, after_index);
    parse_precision(format, i, args, after_index);
    if (!after_index) after_index = arg_number(format, i, args.size());
    if (i >= format.size()) {
        out_ += "%!(NOVERB)";
        return false;
    }
    char32_t verb = static_cast<unsigned char>(format[i]);
    size_t size = 1;
    if (verb >= 0x80) {
        const Decoded d = decode_rune(format, i);
        verb = d.rune, size = d.width;
    }
    i += size;
    if (verb == '%') { // percent takes no operand and ignores width and precision
        out_ += '%';
    } else if (!good_arg_num_) {
        out_ += "%!";
        append_rune(out_, verb);
        out_ += "(BADINDEX)";
    } else if (arg_num_ >= args.size()) {
        out_ += "%!";
        append_rune(out_, verb);
        out_ += "(MISSING)";
    } else {
        if (verb == 'v') {
            f_.sharp_v = std::exchange(f_.sharp, false);
            f_.plus_v = std::exchange(f_.plus, false);
        }
        print_arg(args[arg_num_++], verb);
    }
    return true;
}

void Printer::write_extra(std::span<const Arg> args) {
    f_ = Flags{};
    out_ += "%!(EXTRA ";
    for (size_t k = 0; k < args.size(); ++k) {
        if (k > 0) out_ += ", ";
        if (args[k].kind == ArgKind::Nil) {
            out_ += "<nil>";
        } else {
            out_ += type_name_of(args[k]);
            out_ += '=';
            print_arg(args[k], 'v');
        }
    }
    out_ += ')';
}

void Printer::do_printf(std::string_view format, std::span<const Arg> args) {
    args_ = args;
    const size_t end = format.size();
    arg_num_ = 0;
    reordered_ = false;
    for (size_t i = 0; i < end;) {
        good_arg_num_ = true;
        const size_t lasti = i;
        while (i < end && format[i] != '%')
            ++i;
        if (i > lasti) out_.append(format, lasti, i - lasti);
        if (i >= end) break;
        ++i; // skip '%'
        f_ = Flags{};
        if (simple_directive(format, i, args)) continue;
        if (!complex_directive(format, i, args)) break;
    }
    // Extra operands are only reported when the arguments were consumed in order.
    if (!reordered_ && arg_num_ < args.size()) write_extra(args.subspan(arg_num_));
}

void Printer::do_print(std::span<const Arg> args) {
    bool prev_string = false;
    for (size_t k = 0; k < args.size(); ++k) {
        const bool is_string = args[k].kind == ArgKind::String;
        // Sprint separates two operands with a space only when neither is a string.
        if (k > 0 && !is_string && !prev_string) out_ += ' ';
        print_arg(args[k], 'v');
        prev_string = is_string;
    }
}

void Printer::do_println(std::span<const Arg> args) {
    for (size_t k = 0; k < args.size(); ++k) {
        if (k > 0) out_ += ' ';
        print_arg(args[k], 'v');
    }
    out_ += '\n';
}

} // namespace

std::string_view type_name_of(const Arg& arg) {
    if (!arg.type_name.empty()) return arg.type_name;
    constexpr std::string_view kInts[] = {"int8", "int16", "int32", "int"};
    constexpr std::string_view kUints[] = {"uint8", "uint16", "uint32", "uint"};
    const int size = arg.bits == 8 ? 0 : arg.bits == 16 ? 1 : arg.bits == 32 ? 2 : 3;
    switch (arg.kind) {
    case ArgKind::Bool:
        return "bool";
    case ArgKind::String:
        return "string";
    case ArgKind::Float:
        return arg.bits == 32 ? "float32" : "float64";
    case ArgKind::Int:
        return kInts[size];
    case ArgKind::Uint:
        return kUints[size];
    case ArgKind::Nil:
    case ArgKind::Composite: // always named
        break;
    }
    return "<nil>";
}

void append_printf(std::string& out, std::string_view format, std::span<const Arg> args) {
    Printer(out).do_printf(format, args);
}

int append_errorf(std::string& out, std::string_view format, std::span<const Arg> args) {
    Printer p(out);
    p.allow_wrapping();
    p.do_printf(format, args);
    return p.wrapped();
}

void append_print(std::string& out, std::span<const Arg> args) {
    Printer(out).do_print(args);
}

void append_println(std::string& out, std::span<const Arg> args) {
    Printer(out).do_println(args);
}

// ---------------------------------------------------------------------------------------
// The runtime's printfloat, ported operation by operation: its digits come from repeated
// float arithmetic (not exact conversion), so reproducing Go means doing the same ops in
// the same order. Contraction into FMA would change the rounding, hence the attribute.

#if defined(__GNUC__) && !defined(__clang__)
__attribute__((optimize("fp-contract=off")))
#endif
void append_builtin_float(std::string& out, double v) {
    if (std::isnan(v)) {
        out += "NaN";
        return;
    }
    if (std::isinf(v)) {
        out += v > 0 ? "+Inf" : "-Inf";
        return;
    }
    constexpr int kDigits = 7;
    char buf[kDigits + 7];
    buf[0] = std::signbit(v) ? '-' : '+';
    int e = 0;
    if (v != 0) {
        v = std::fabs(v);
        for (; v >= 10; v /= 10)
            e++;
        for (; v < 1; v *= 10)
            e--;
        double h = 5.0;
        for (int i = 0; i < kDigits; i++)
            h /= 10;
        v += h;
        if (v >= 10) {
            e++;
            v /= 10;
        }
    }
    for (int i = 0; i < kDigits; i++) {
        const int s = static_cast<int>(v);
        buf[i + 2] = static_cast<char>(s + '0');
        v -= s;
        v *= 10;
    }
    buf[1] = buf[2];
    buf[2] = '.';
    buf[kDigits + 2] = 'e';
    buf[kDigits + 3] = e < 0 ? '-' : '+';
    e = e < 0 ? -e : e;
    buf[kDigits + 4] = static_cast<char>(e / 100 + '0');
    buf[kDigits + 5] = static_cast<char>(e / 10 % 10 + '0');
    buf[kDigits + 6] = static_cast<char>(e % 10 + '0');
    out.append(buf, sizeof buf);
}

} // namespace csp::fmt
