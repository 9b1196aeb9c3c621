// Unit tests for the Go fmt/strconv formatting engine (stdlib/fmt/format.*). Every expected
// string below was produced by running the equivalent Go 1.19 program (fmt.Sprintf,
// fmt.Sprint, fmt.Sprintln, strconv.FormatFloat, strconv.Quote, builtin println).
#include "stdlib/fmt/format.hpp"
#include "stdlib/fmt/value_printer.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <initializer_list>
#include <limits>
#include <string>
#include <vector>

namespace {

using csp::fmt::Arg;
using csp::fmt::ArgKind;
using namespace std::string_view_literals;

constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

Arg I(int64_t v, uint8_t bits = 64, std::string_view type = "int") {
    Arg a;
    a.kind = ArgKind::Int, a.bits = bits, a.type_name = type, a.i = v;
    return a;
}
Arg U(uint64_t v, uint8_t bits = 64, std::string_view type = "uint") {
    Arg a;
    a.kind = ArgKind::Uint, a.bits = bits, a.type_name = type, a.u = v;
    return a;
}
Arg F(double v, std::string_view type = "float64") {
    Arg a;
    a.kind = ArgKind::Float, a.type_name = type, a.f = v;
    return a;
}
// float32 operands carry the float32 value widened to double, as the interpreter stores it.
Arg F32(double v, std::string_view type = "float32") {
    Arg a = F(static_cast<double>(static_cast<float>(v)), type);
    a.bits = 32;
    return a;
}
Arg S(std::string_view v, std::string_view type = "string") {
    Arg a;
    a.kind = ArgKind::String, a.type_name = type, a.s = v;
    return a;
}
Arg B(bool v, std::string_view type = "bool") {
    Arg a;
    a.kind = ArgKind::Bool, a.type_name = type, a.b = v;
    return a;
}
Arg N() {
    return Arg{};
}

std::string P(std::string_view format, std::initializer_list<Arg> args) {
    std::string out;
    csp::fmt::append_printf(out, format, std::span<const Arg>(args.begin(), args.size()));
    return out;
}
std::string SP(std::initializer_list<Arg> args) {
    std::string out;
    csp::fmt::append_print(out, std::span<const Arg>(args.begin(), args.size()));
    return out;
}
std::string SL(std::initializer_list<Arg> args) {
    std::string out;
    csp::fmt::append_println(out, std::span<const Arg>(args.begin(), args.size()));
    return out;
}
std::string FF(double v, char fmt, int prec, int bits) {
    std::string out;
    csp::fmt::append_float(out, v, fmt, prec, bits);
    return out;
}
std::string BF(double v) {
    std::string out;
    csp::fmt::append_builtin_float(out, v);
    return out;
}
std::string Quote(std::string_view s) {
    std::string out;
    csp::fmt::append_quote(out, s);
    return out;
}
std::string QuoteASCII(std::string_view s) {
    std::string out;
    csp::fmt::append_quote(out, s, true);
    return out;
}

} // namespace

TEST(FmtFormat, IntegerDecimal) {
    EXPECT_EQ(P("%d", {I(5)}), "5");
    EXPECT_EQ(P("%d|%d", {I(-42), I(0)}), "-42|0");
    EXPECT_EQ(P("%v", {I(1234567)}), "1234567");
    EXPECT_EQ(P("%+d|%+d|%+d", {I(5), I(-5), I(0)}), "+5|-5|+0");
    EXPECT_EQ(P("% d|% d", {I(5), I(-5)}), " 5|-5");
    EXPECT_EQ(P("%+ d", {I(5)}), "+5");
    EXPECT_EQ(P("[%5d][%-5d][%05d]", {I(42), I(42), I(42)}), "[   42][42   ][00042]");
    EXPECT_EQ(P("[%05d][%-05d][%0-5d]", {I(-42), I(42), I(42)}), "[-0042][42   ][42   ]");
    EXPECT_EQ(P("[%+05d][% 05d]", {I(42), I(42)}), "[+0042][ 0042]");
    EXPECT_EQ(P("[%.3d][%.3d][%8.3d][%-8.3d]", {I(7), I(-7), I(7), I(7)}),
              "[007][-007][     007][007     ]");
    EXPECT_EQ(P("[%08.3d]", {I(7)}), "[     007]");
    EXPECT_EQ(P("[%.0d][%5.0d][%-5.0d][%.0d]", {I(0), I(0), I(0), I(3)}), "[][     ][     ][3]");
    EXPECT_EQ(P("[%3d]", {I(123456)}), "[123456]");
    EXPECT_EQ(P("%d|%d", {I(9223372036854775807, 64, "int64"), I(INT64_MIN, 64, "int64")}),
              "9223372036854775807|-9223372036854775808");
    EXPECT_EQ(P("%d|%d|%d|%d",
                {I(-128, 8, "int8"), I(32767, 16, "int16"), I(-5, 32, "int32"), I(9, 64, "int64")}),
              "-128|32767|-5|9");
    EXPECT_EQ(P("%d|%v", {U(18446744073709551615u, 64, "uint64"), U(255u, 8, "uint8")}),
              "18446744073709551615|255");
    EXPECT_EQ(P("%d|%d", {U(65535u, 16, "uint16"), U(4294967295u, 32, "uint32")}),
              "65535|4294967295");
    EXPECT_EQ(P("%6.2d|%-+6d", {I(3), I(4)}), "    03|+4    ");
}

TEST(FmtFormat, IntegerBases) {
    EXPECT_EQ(P("%x|%X|%o|%O|%b", {I(255), I(255), I(8), I(8), I(5)}), "ff|FF|10|0o10|101");
    EXPECT_EQ(P("%#x|%#X|%#o|%#O|%#b", {I(255), I(255), I(8), I(8), I(5)}),
              "0xff|0XFF|010|0o010|0b101");
    EXPECT_EQ(P("%#o|%#x|%#b", {I(0), I(0), I(0)}), "0|0x0|0b0");
    EXPECT_EQ(P("%x|%X|%o|%b", {I(-255), I(-255), I(-8), I(-5)}), "-ff|-FF|-10|-101");
    EXPECT_EQ(P("%#x|%+x|% x", {I(-255), I(255), I(255)}), "-0xff|+ff| ff");
    EXPECT_EQ(P("[%08x][%#08x][%-#8x][%#-8X]", {I(255), I(255), I(255), I(255)}),
              "[000000ff][0x000000ff][0xff    ][0XFF    ]");
    EXPECT_EQ(P("[%.4x][%#.4x][%#8.4x]", {I(255), I(255), I(255)}), "[00ff][0x00ff][  0x00ff]");
    EXPECT_EQ(P("[%08b][%#010b][%O][%#.4o]", {I(5), I(5), I(-64), I(8)}),
              "[00000101][0b0000000101][-0o100][0010]");
    EXPECT_EQ(P("%x|%X", {U(18446744073709551615u, 64, "uint64"), I(INT64_MIN, 64, "int64")}),
              "ffffffffffffffff|-8000000000000000");
    EXPECT_EQ(P("%x|%o", {I(-1, 8, "int8"), U(200u, 8, "uint8")}), "-1|310");
    EXPECT_EQ(P("[%#08.3x][%+#x]", {I(1), I(17)}), "[   0x001][+0x11]");
}

TEST(FmtFormat, IntegerCharacters) {
    EXPECT_EQ(P("%c|%c|%c|%c",
                {I(65, 32, "int32"), I(233, 32, "int32"), I(19990, 32, "int32"), I(128512)}),
              "A|\303\251|\344\270\226|\360\237\230\200");
    EXPECT_EQ(P("%c|%c|%c", {I(-1), I(55296), I(1114112)}),
              "\357\277\275|\357\277\275|\357\277\275");
    EXPECT_EQ(
        P("[%3c][%-3c][%03c]", {I(120, 32, "int32"), I(121, 32, "int32"), I(122, 32, "int32")}),
        "[  x][y  ][00z]");
    EXPECT_EQ(P("%q|%q|%q|%q",
                {I(97, 32, "int32"), I(39, 32, "int32"), I(34, 32, "int32"), I(92, 32, "int32")}),
              "'a'|'\\''|'\"'|'\\\\'");
    EXPECT_EQ(P("%q|%q|%q|%q", {I(10, 32, "int32"), I(0), I(127), I(233, 32, "int32")}),
              "'\\n'|'\\x00'|'\\x7f'|'\303\251'");
    EXPECT_EQ(P("%+q|%+q|%+q", {I(233, 32, "int32"), I(128512), I(97, 32, "int32")}),
              "'\\u00e9'|'\\U0001f600'|'a'");
    EXPECT_EQ(P("%q|%q|%q", {I(55296), I(1114112), I(-1)}),
              "'\357\277\275'|'\357\277\275'|'\357\277\275'");
    EXPECT_EQ(P("%q|%q|%q", {I(8203), I(65279), I(1114111)}), "'\\u200b'|'\\ufeff'|'\\U0010ffff'");
    EXPECT_EQ(P("[%6q][%-6q]", {I(120, 32, "int32"), I(121, 32, "int32")}), "[   'x']['y'   ]");
    EXPECT_EQ(P("%#q|%#+q", {I(120, 32, "int32"), I(233, 32, "int32")}), "'x'|'\\u00e9'");
    EXPECT_EQ(P("%U|%U|%U|%U", {I(65, 32, "int32"), I(128512), I(0), I(-1)}),
              "U+0041|U+1F600|U+0000|U+FFFFFFFFFFFFFFFF");
    EXPECT_EQ(P("%#U|%#U|%#U", {I(65, 32, "int32"), I(19990, 32, "int32"), I(127)}),
              "U+0041 'A'|U+4E16 '\344\270\226'|U+007F");
    EXPECT_EQ(P("[%.6U][%#.6U][%8U][%-8U][%08U]",
                {I(65, 32, "int32"), I(65, 32, "int32"), I(65, 32, "int32"), I(65, 32, "int32"),
                 I(65, 32, "int32")}),
              "[U+000041][U+000041 'A'][  U+0041][U+0041  ][  U+0041]");
    EXPECT_EQ(P("%#U", {I(1114112)}), "U+110000");
    EXPECT_EQ(P("%c|%q|%U", {I(9786, 32, "int32"), U(120u, 8, "uint8"), I(1114111, 64, "int64")}),
              "\342\230\272|'x'|U+10FFFF");
}

TEST(FmtFormat, IntegerGoSyntax) {
    EXPECT_EQ(P("%#v|%#v|%#v", {I(42), I(-42), U(42u)}), "42|-42|0x2a");
    EXPECT_EQ(P("%#v|%#v|%#v", {U(255u, 8, "uint8"), U(0u, 64, "uint64"), I(7, 64, "main.MyInt")}),
              "0xff|0x0|7");
    EXPECT_EQ(P("%+v|%+#v", {I(5), U(16u, 16, "uint16")}), "5|0x10");
    EXPECT_EQ(P("[%#8v][%#-8v][%#08v]", {U(10u), U(10u), U(10u)}),
              "[     0xa][0xa     ][0x0000000a]");
    EXPECT_EQ(P("%T|%T|%T|%T|%T",
                {I(1), I(1, 8, "int8"), I(1, 16, "int16"), I(1, 32, "int32"), I(1, 64, "int64")}),
              "int|int8|int16|int32|int64");
    EXPECT_EQ(P("%T|%T|%T|%T|%T", {U(1u), U(1u, 8, "uint8"), U(1u, 16, "uint16"),
                                   U(1u, 32, "uint32"), U(1u, 64, "uint64")}),
              "uint|uint8|uint16|uint32|uint64");
    EXPECT_EQ(
        P("%T|%v|%d", {I(3, 64, "main.MyInt"), I(3, 64, "main.MyInt"), I(-3, 64, "main.MyInt")}),
        "main.MyInt|3|-3");
    EXPECT_EQ(P("[%10T][%-6T][%.2T]", {I(1), I(1), I(1, 64, "main.MyInt")}),
              "[       int][int   ][ma]");
}

TEST(FmtFormat, FloatDefault) {
    EXPECT_EQ(P("%v|%v|%v|%v",
                {F(0x1.e848p+19), F(0x1.86ap+16), F(0x1.d6f3454p+26), F(0x1.4f8b588e368f1p-17)}),
              "1e+06|100000|1.23456789e+08|1e-05");
    EXPECT_EQ(P("%v|%v|%v|%v", {F(0x1.a36e2eb1c432dp-14), F(0x1.b1ae4d6e2ef5p+69),
                                F(0x1.5af1d78b58c4p+66), F(0x1.9p+06)}),
              "0.0001|1e+21|1e+20|100");
    EXPECT_EQ(P("%v|%v|%v|%v", {F(0x0p+00), F(-0x0p+00), F(0x1.8p+01), F(0x1.5555555555555p-02)}),
              "0|-0|3|0.3333333333333333");
    EXPECT_EQ(P("%v|%v|%v", {F(0x1.3333333333333p-02), F(0x1.ad7f29abcaf48p-26), F(-0x1.8p+00)}),
              "0.3|2.5e-08|-1.5");
    EXPECT_EQ(P("%v|%v", {F(0x1.fffffffffffffp+1023), F(0x1p-1074)}),
              "1.7976931348623157e+308|5e-324");
    EXPECT_EQ(P("%v|%v|%v", {F32(0x1.99999ap-04), F32(0x1.555556p-02), F32(0x1p+24)}),
              "0.1|0.33333334|1.6777216e+07");
    EXPECT_EQ(P("%v|%v", {F32(0x1.fffffep+127), F32(0x1p-149)}), "3.4028235e+38|1e-45");
    EXPECT_EQ(P("%v|%v|%T|%T",
                {F(0x1.24ccccccccccdp+05, "main.Celsius"), F32(0x1.99999ap-04, "main.Temp32"),
                 F(0x0p+00, "main.Celsius"), F32(0x0p+00, "main.Temp32")}),
              "36.6|0.1|main.Celsius|main.Temp32");
    EXPECT_EQ(
        P("%+v|%#v|%#v|%#v", {F(0x1.8p+00), F(0x1p+00), F(0x1.e848p+19), F(0x1.0c6f7a0b5ed8dp-20)}),
        "1.5|1|1e+06|1e-06");
    EXPECT_EQ(P("[%10v][%-10v][%010v]", {F(0x1.ap+01), F(0x1.ap+01), F(-0x1.ap+01)}),
              "[      3.25][3.25      ][-000003.25]");
    EXPECT_EQ(P("[%10.4v][%.3v]", {F(0x1.921fb54442d18p+01), F(0x1.2d687p+20)}),
              "[     3.142][1.23e+06]");
}

TEST(FmtFormat, FloatFixed) {
    EXPECT_EQ(P("%f|%.2f|%.0f|%.10f", {F(0x1.921fb54442d18p+01), F(0x1.921fb54442d18p+01),
                                       F(0x1.921fb54442d18p+01), F(0x1.999999999999ap-04)}),
              "3.141593|3.14|3|0.1000000000");
    EXPECT_EQ(P("[%8.2f][%-8.2f][%08.2f][%+08.2f]",
                {F(0x1.921f9f01b866ep+01), F(0x1.921f9f01b866ep+01), F(-0x1.921f9f01b866ep+01),
                 F(0x1.921f9f01b866ep+01)}),
              "[    3.14][3.14    ][-0003.14][+0003.14]");
    EXPECT_EQ(P("[% .2f][% 08.2f][%+.2f]", {F(0x1.4p+01), F(0x1.4p+01), F(-0x1.4p+01)}),
              "[ 2.50][ 0002.50][-2.50]");
    EXPECT_EQ(P("%.0f|%.0f|%.0f|%.0f|%.0f",
                {F(0x1p-01), F(0x1.8p+00), F(0x1.4p+01), F(0x1.cp+01), F(-0x1p-01)}),
              "0|2|2|4|-0");
    EXPECT_EQ(P("%.1f|%.1f|%.1f|%.2f|%.2f",
                {F(0x1.999999999999ap-05), F(0x1p-02), F(0x1.6666666666666p-02),
                 F(0x1.0147ae147ae14p+00), F(0x1.03d70a3d70a3dp+00)}),
              "0.1|0.2|0.3|1.00|1.01");
    EXPECT_EQ(P("%.2f|%.2f|%.3f", {F(0x1p-03), F(0x1.8p-02), F(0x1.0010624dd2f1bp+01)}),
              "0.12|0.38|2.001");
    EXPECT_EQ(P("%f|%.1f|%F", {F(0x1.5af1d78b58c4p+66), F(0x1.79ca10c924223p-67), F(0x1.9p+03)}),
              "100000000000000000000.000000|0.0|12.500000");
    EXPECT_EQ(P("%.20f|%.30f", {F(0x1.999999999999ap-04), F(0x1.b7cdfd9d7bdbbp-34)}),
              "0.10000000000000000555|0.000000000100000000000000003643");
    EXPECT_EQ(P("%f|%f", {F(0x1.fffffffffffffp+1023), F(-0x0p+00)}),
              "179769313486231570814527423731704356798070567525844996598917476803157260780028538760"
              "589558632766878171540458953514382464234321326889464182768467546703537516986049910576"
              "551282076245490090389328944075868508455133942304583236903222948165808559332123348274"
              "797826204144723168738177180919299881250404026184124858368.000000|-0.000000");
    EXPECT_EQ(P("%.3f|%.1f", {F(-0x1.a36e2eb1c432dp-14), F(-0x1.47ae147ae147bp-05)}),
              "-0.000|-0.0");
    EXPECT_EQ(P("%f|%.2f|%.9f", {F32(0x1.99999ap-04), F32(0x1.566666p+01), F32(0x1.555556p-02)}),
              "0.100000|2.67|0.333333343");
    EXPECT_EQ(P("[%#.0f][%#f][%#.3F]", {F(0x1.8p+01), F(0x1p+00), F(0x1p+01)}),
              "[3.][1.000000][2.000]");
    EXPECT_EQ(P("[%6.f][%.f]", {F(0x1.4p+01), F(0x1.cp+01)}), "[     2][4]");
}

TEST(FmtFormat, FloatExponent) {
    EXPECT_EQ(P("%e|%E|%.2e|%.0e", {F(0x1.34a456d5cfaadp+10), F(0x1.34a456d5cfaadp+10),
                                    F(0x1.34a456d5cfaadp+10), F(0x1.34a456d5cfaadp+10)}),
              "1.234568e+03|1.234568E+03|1.23e+03|1e+03");
    EXPECT_EQ(P("%e|%e|%e", {F(0x0p+00), F(0x1.56e1fc2f8f359p-997), F(0x1.7e43c8800759cp+996)}),
              "0.000000e+00|1.000000e-300|1.000000e+300");
    EXPECT_EQ(P("%.0e|%.0e|%.1e|%.1e",
                {F(0x1.4p+01), F(0x1.cp+01), F(0x1.4p+00), F(0x1.599999999999ap+00)}),
              "2e+00|4e+00|1.2e+00|1.4e+00");
    EXPECT_EQ(P("%.30e|%.17e", {F(0x1.5555555555555p-02), F(0x1.999999999999ap-04)}),
              "3.333333333333333148296162562474e-01|1.00000000000000006e-01");
    EXPECT_EQ(P("[%+e][% e][%12.3e][%-12.3E][%012.3e]",
                {F(0x1.8p+00), F(0x1.8p+00), F(0x1.8p+00), F(0x1.8p+00), F(-0x1.8p+00)}),
              "[+1.500000e+00][ 1.500000e+00][   1.500e+00][1.500E+00   ][-001.500e+00]");
    EXPECT_EQ(P("%e|%.3e", {F32(0x1.99999ap-04), F32(0x1.d6f346p+26)}), "1.000000e-01|1.235e+08");
    EXPECT_EQ(P("[%#.0e][%#e][%#E]", {F(0x1.8p+01), F(0x1p+00), F(0x1p+01)}),
              "[3.e+00][1.000000e+00][2.000000E+00]");
    EXPECT_EQ(P("%e|%e", {F(0x1p-1074), F(0x1.fffffffffffffp+1023)}),
              "4.940656e-324|1.797693e+308");
}

TEST(FmtFormat, FloatGeneral) {
    EXPECT_EQ(P("%g|%g|%g|%g", {F(0x1.a36e2eb1c432dp-14), F(0x1.4f8b588e368f1p-17), F(0x1.e24p+16),
                                F(0x1.2d687p+20)}),
              "0.0001|1e-05|123456|1.234567e+06");
    EXPECT_EQ(P("%g|%G|%g|%G", {F(0x1.b1ae4d6e2ef5p+69), F(0x1.ad7f29abcaf48p-24), F(0x0p+00),
                                F(0x1.12e0be826d695p-32)}),
              "1e+21|1E-07|0|2.5E-10");
    EXPECT_EQ(P("%.3g|%.3g|%.3g|%.3g",
                {F(0x1.2d687p+20), F(0x1p+00), F(0x1.02c9dedbc309dp-13), F(0x1.8fccccccccccdp+06)}),
              "1.23e+06|1|0.000123|100");
    EXPECT_EQ(P("%.10g|%.17g|%.20g|%.0g",
                {F(0x1p+00), F(0x1.999999999999ap-04), F(0x1.999999999999ap-04), F(0x1.ecp+06)}),
              "1|0.10000000000000001|0.10000000000000000555|1e+02");
    EXPECT_EQ(P("%.1g|%.2g|%.5g", {F(0x1.3333333333333p-03), F(0x1.312dp+21), F(0x1.9p+06)}),
              "0.1|2.5e+06|100");
    EXPECT_EQ(P("[%#g][%#g][%#g][%#.3g][%#.3g]",
                {F(0x1p+00), F(0x1.e24p+16), F(0x1.ad7f29abcaf48p-24), F(0x1p+00), F(0x1.9p+06)}),
              "[1.00000][123456.][1.00000e-07][1.00][100.]");
    EXPECT_EQ(P("[%#G][%#.0g][%#g]", {F(0x1.2a05f2p+33), F(0x1.4p+02), F(0x0p+00)}),
              "[1.00000E+10][5.][0.00000]");
    EXPECT_EQ(P("[%10g][%-10g][%010g][%+g][% g]",
                {F(0x1.8p+00), F(0x1.8p+00), F(-0x1.8p+00), F(0x1.8p+00), F(0x1.8p+00)}),
              "[       1.5][1.5       ][-0000001.5][+1.5][ 1.5]");
    EXPECT_EQ(P("%g|%.3g|%G", {F32(0x1.99999ap-04), F32(0x1.555556p-02), F32(0x1.5af1d8p+66)}),
              "0.1|0.333|1E+20");
    EXPECT_EQ(P("%g|%g", {F(0x1.fffffffffffffp+1023), F32(0x1.fffffep+127)}),
              "1.7976931348623157e+308|3.4028235e+38");
}

TEST(FmtFormat, FloatBinaryAndHex) {
    EXPECT_EQ(P("%b|%b|%b", {F(0x1p+00), F(-0x1p-01), F(0x0p+00)}),
              "4503599627370496p-52|-4503599627370496p-53|0p-1074");
    EXPECT_EQ(P("%b|%b", {F32(0x1p+00), F(0x1p-1074)}), "8388608p-23|1p-1074");
    EXPECT_EQ(P("%x|%X|%x|%x", {F(0x1p+00), F(0x1p+00), F(-0x1.999999999999ap-04), F(0x0p+00)}),
              "0x1p+00|0X1P+00|-0x1.999999999999ap-04|0x0p+00");
    EXPECT_EQ(P("%.3x|%.0x|%.1x|%.20x",
                {F(0x1.5555555555555p-02), F(0x1.8p+00), F(0x1.f8p+00), F(0x1p+00)}),
              "0x1.555p-02|0x1p+01|0x1.0p+01|0x1.00000000000000000000p+00");
    EXPECT_EQ(P("%x|%x|%X", {F32(0x1.99999ap-04), F(0x1.fffffffffffffp+1023), F(0x1p-1074)}),
              "0x1.99999ap-04|0x1.fffffffffffffp+1023|0X1P-1074");
    EXPECT_EQ(P("[%#x][%#X][%#.2x][%#b]", {F(0x1p+00), F(0x1p+00), F(0x1p+00), F(0x1p+00)}),
              "[0x1.0000p+00][0X1.P+00][0x1.00p+00][4503599627370496p-52]");
    EXPECT_EQ(
        P("[%20x][%-20x][%020x][%+x]", {F(0x1.8p+00), F(0x1.8p+00), F(-0x1.8p+00), F(0x1.8p+00)}),
        "[           0x1.8p+00][0x1.8p+00           ][-00000000000x1.8p+00][+0x1.8p+00]");
    EXPECT_EQ(P("%x|%.2x", {F(0x1.fep+07), F(0x1.fffeb074a771dp-01)}), "0x1.fep+07|0x1.00p+00");
}

TEST(FmtFormat, FloatSpecialValues) {
    EXPECT_EQ(P("%v|%v|%v", {F(kInf), F(-kInf), F(kNaN)}), "+Inf|-Inf|NaN");
    EXPECT_EQ(P("%f|%e|%g|%x|%b|%E|%G|%F",
                {F(kInf), F(kInf), F(kInf), F(kInf), F(kInf), F(kInf), F(kInf), F(kInf)}),
              "+Inf|+Inf|+Inf|+Inf|+Inf|+Inf|+Inf|+Inf");
    EXPECT_EQ(P("%f|%e|%g|%x|%b", {F(kNaN), F(kNaN), F(kNaN), F(kNaN), F(kNaN)}),
              "NaN|NaN|NaN|NaN|NaN");
    EXPECT_EQ(P("[%+f][% f][%+v][% v]", {F(kNaN), F(kNaN), F(kNaN), F(kNaN)}),
              "[+NaN][ NaN][NaN][ NaN]");
    EXPECT_EQ(P("[%+f][% f][%+v][% v]", {F(kInf), F(kInf), F(-kInf), F(-kInf)}),
              "[+Inf][ Inf][-Inf][-Inf]");
    EXPECT_EQ(P("[%08f][%-8f][%8f][%08.3e]", {F(kInf), F(kInf), F(kNaN), F(-kInf)}),
              "[    +Inf][+Inf    ][     NaN][    -Inf]");
    EXPECT_EQ(P("[%+08v][% 8v][%#v][%#g]", {F(kNaN), F(kInf), F(-kInf), F(kInf)}),
              "[     NaN][     Inf][-Inf][+Inf]");
    EXPECT_EQ(P("%v|%v|%.2f", {F32(kInf), F32(kNaN), F32(-kInf)}), "+Inf|NaN|-Inf");
    EXPECT_EQ(P("%T|%v", {F(kNaN, "main.Celsius"), F(kInf, "main.Celsius")}), "main.Celsius|+Inf");
}

TEST(FmtFormat, Strings) {
    EXPECT_EQ(P("%s|%v|%s", {S("hello"), S("world"), S("")}), "hello|world|");
    EXPECT_EQ(P("[%10s][%-10s][%.2s][%5.1s][%-5.3s]",
                {S("abc"), S("abc"), S("abc"), S("abc"), S("abcdef")}),
              "[       abc][abc       ][ab][    a][abc  ]");
    EXPECT_EQ(P("[%05s][%-05s][%.0s]", {S("ab"), S("ab"), S("abc")}), "[000ab][ab   ][]");
    EXPECT_EQ(P("[%6s][%-6s][%.2s]", {S("h\303\251llo"), S("\346\227\245\346\234\254"),
                                      S("\346\227\245\346\234\254\350\252\236")}),
              "[ h\303\251llo][\346\227\245\346\234\254    ][\346\227\245\346\234\254]");
    EXPECT_EQ(P("%x|%X|% x|%#x|%# x|%# X", {S("hi"), S("hi"), S("hi"), S("hi"), S("hi"), S("hi")}),
              "6869|6869|68 69|0x6869|0x68 0x69|0X68 0X69");
    EXPECT_EQ(
        P("[%x][%5x][%-5x][%.1x][%8x][%-8x]", {S(""), S(""), S(""), S("ab"), S("ab"), S("ab")}),
        "[][     ][     ][61][    6162][6162    ]");
    EXPECT_EQ(P("[%#8x][% 10x][%.0x][%#-12X]", {S("ab"), S("abc"), S("ab"), S("ab")}),
              "[  0x6162][  61 62 63][][0X6162      ]");
    EXPECT_EQ(P("%x|% X", {S("\377\000\303\251"sv), S("\001\002")}), "ff00c3a9|01 02");
    EXPECT_EQ(P("%T|%T|%v|%s",
                {S("s"), S("x", "main.MyStr"), S("hey", "main.MyStr"), S("you", "main.MyStr")}),
              "string|main.MyStr|hey|you");
    EXPECT_EQ(P("%5.3v|%-5.3v|", {S("abcdef", "main.MyStr"), S("abcdef")}), "  abc|abc  |");
    EXPECT_EQ(P("%s", {S("\377\376 invalid")}), "\377\376 invalid");
    EXPECT_EQ(P("[%4s][%.3s]", {S("\377a"), S("\377\376ab")}), "[  \377a][\377\376a]");
}

TEST(FmtFormat, StringQuoting) {
    EXPECT_EQ(P("%q|%q|%q", {S("hello"), S(""), S("say \"hi\"")}),
              "\"hello\"|\"\"|\"say \\\"hi\\\"\"");
    EXPECT_EQ(P("%q", {S("tab\011here\012newline\015\000\007\010\014\013\\"sv)}),
              "\"tab\\there\\nnewline\\r\\x00\\a\\b\\f\\v\\\\\"");
    EXPECT_EQ(
        P("%q|%q|%q", {S("\303\251\346\227\245\346\234\254"), S("\360\237\230\200"),
                       S("\342\200\250\302\255\342\200\213")}),
        "\"\303\251\346\227\245\346\234\254\"|\"\360\237\230\200\"|\"\\u2028\\u00ad\\u200b\"");
    EXPECT_EQ(P("%q|%q|%q", {S("\177\033"), S("\377\376"), S("a\300\200b")}),
              "\"\\x7f\\x1b\"|\"\\xff\\xfe\"|\"a\\xc0\\x80b\"");
    EXPECT_EQ(P("%q|%q", {S("\355\240\200"), S("\364\220\200\200")}),
              "\"\\xed\\xa0\\x80\"|\"\\xf4\\x90\\x80\\x80\"");
    EXPECT_EQ(P("%q", {S("\357\273\277\357\277\275")}), "\"\\ufeff\357\277\275\"");
    EXPECT_EQ(P("%+q|%+q|%+q",
                {S("\303\251\346\227\245\346\234\254"), S("\360\237\230\200"), S("plain")}),
              "\"\\u00e9\\u65e5\\u672c\"|\"\\U0001f600\"|\"plain\"");
    EXPECT_EQ(P("%#q|%#q|%#q|%#q", {S("hello"), S("a`b"), S("tab\011here"), S("nl\012")}),
              "`hello`|\"a`b\"|`tab\011here`|\"nl\\n\"");
    EXPECT_EQ(P("%#q|%#q|%#q", {S("\303\251"), S("\357\273\277"), S("\377")}),
              "`\303\251`|\"\\ufeff\"|\"\\xff\"");
    EXPECT_EQ(P("%#+q|%+#q", {S("\303\251"), S("a`")}), "`\303\251`|\"a`\"");
    EXPECT_EQ(P("[%12q][%-12q][%012q][%.3q]", {S("abc"), S("abc"), S("abc"), S("abcdef")}),
              "[       \"abc\"][\"abc\"       ][0000000\"abc\"][\"abc\"]");
    EXPECT_EQ(P("%#v|%#v|%#v", {S("hi"), S("a\"b"), S("x", "main.MyStr")}),
              "\"hi\"|\"a\\\"b\"|\"x\"");
    EXPECT_EQ(P("[%#10v][%+v][%+#v]", {S("hi"), S("\303\251"), S("\303\251")}),
              "[      \"hi\"][\303\251][\"\303\251\"]");
}

TEST(FmtFormat, Bools) {
    EXPECT_EQ(P("%t|%v|%t", {B(true), B(false), B(false)}), "true|false|false");
    EXPECT_EQ(P("[%6t][%-6t][%06t][%.2t]", {B(true), B(true), B(true), B(false)}),
              "[  true][true  ][00true][false]");
    EXPECT_EQ(P("%#v|%+v|%T|%T|%v",
                {B(true), B(false), B(true), B(true, "main.MyBool"), B(false, "main.MyBool")}),
              "true|false|bool|main.MyBool|false");
    EXPECT_EQ(P("%d|%s|%q|%x", {B(true), B(false), B(true), B(true)}),
              "%!d(bool=true)|%!s(bool=false)|%!q(bool=true)|%!x(bool=true)");
}

TEST(FmtFormat, Nil) {
    EXPECT_EQ(P("%v|%T|%s|%d", {N(), N(), N(), N()}), "<nil>|<nil>|%!s(<nil>)|%!d(<nil>)");
    EXPECT_EQ(P("[%8v][%-8v][%08v][%8T]", {N(), N(), N(), N()}),
              "[   <nil>][<nil>   ][000<nil>][   <nil>]");
    EXPECT_EQ(P("%#v|%+v|%x|%q|%t", {N(), N(), N(), N(), N()}),
              "<nil>|<nil>|%!x(<nil>)|%!q(<nil>)|%!t(<nil>)");
    EXPECT_EQ(P("%d %d", {I(1), N()}), "1 %!d(<nil>)");
    EXPECT_EQ(P("done", {N(), I(2)}), "done%!(EXTRA <nil>, int=2)");
}

TEST(FmtFormat, PercentAndLiterals) {
    EXPECT_EQ(P("100%%", {}), "100%");
    EXPECT_EQ(P("%d%%|%5%|%-5%|%.3%", {I(50)}), "50%|%|%|%");
    EXPECT_EQ(P("no verbs", {}), "no verbs");
    EXPECT_EQ(P("", {}), "");
    EXPECT_EQ(P("%%d", {I(5)}), "%d%!(EXTRA int=5)");
    EXPECT_EQ(P("a%db%sc", {I(1), S("x")}), "a1bxc");
}

TEST(FmtFormat, WrongVerb) {
    EXPECT_EQ(P("%d", {S("hi")}), "%!d(string=hi)");
    EXPECT_EQ(P("%s|%t|%c", {I(5), I(5), F(0x1.4p+01)}), "%!s(int=5)|%!t(int=5)|%!c(float64=2.5)");
    EXPECT_EQ(P("%d|%x|%s", {F(0x1.8p+00), B(true), F(0x1.cp+01)}),
              "%!d(float64=1.5)|%!x(bool=true)|%!s(float64=3.5)");
    EXPECT_EQ(P("%z|%!|%r", {I(5), S("x"), F(0x1.8p+00)}),
              "%!z(int=5)|%!!(string=x)|%!r(float64=1.5)");
    EXPECT_EQ(P("%t|%e|%U", {S("s"), I(7), S("u")}), "%!t(string=s)|%!e(int=7)|%!U(string=u)");
    EXPECT_EQ(P("[%5z][%-5z][%+z][%#z][%05z]", {I(1), I(2), I(3), U(4u), I(5)}),
              "[%!z(int=    1)][%!z(int=2    )][%!z(int=+3)][%!z(uint=4)][%!z(int=00005)]");
    EXPECT_EQ(
        P("%z|%z|%z", {S("s", "main.MyStr"), F(0x1.8p+00, "main.Celsius"), B(true, "main.MyBool")}),
        "%!z(main.MyStr=s)|%!z(main.Celsius=1.5)|%!z(main.MyBool=true)");
    EXPECT_EQ(P("%.2z|%10.3z", {F(0x1.921f9f01b866ep+01), S("abcdef")}),
              "%!z(float64=3.1)|%!z(string=       abc)");
    EXPECT_EQ(P("%\303\244|%\342\202\254", {I(5), S("s")}),
              "%!\303\244(int=5)|%!\342\202\254(string=s)");
    EXPECT_EQ(P("%\377", {I(5)}), "%!\357\277\275(int=5)");
    EXPECT_EQ(P("%p", {I(5)}), "%!p(int=5)");
    EXPECT_EQ(P("%F|%O", {S("x"), F(0x1.8p+00)}), "%!F(string=x)|%!O(float64=1.5)");
}

TEST(FmtFormat, MissingAndExtra) {
    EXPECT_EQ(P("%d", {}), "%!d(MISSING)");
    EXPECT_EQ(P("%d %s", {I(1)}), "1 %!s(MISSING)");
    EXPECT_EQ(P("%s %d %v", {}), "%!s(MISSING) %!d(MISSING) %!v(MISSING)");
    EXPECT_EQ(P("%5d|%-5s|%.2f", {}), "%!d(MISSING)|%!s(MISSING)|%!f(MISSING)");
    EXPECT_EQ(P("x", {I(1)}), "x%!(EXTRA int=1)");
    EXPECT_EQ(P("%d", {I(1), I(2)}), "1%!(EXTRA int=2)");
    EXPECT_EQ(P("%d", {I(1), S("a"), F(0x1.4p+01), B(true), N()}),
              "1%!(EXTRA string=a, float64=2.5, bool=true, <nil>)");
    EXPECT_EQ(P("%s", {S("a"), I(3, 64, "main.MyInt"), F(0x1p+01, "main.Celsius"),
                       U(9u, 8, "uint8"), F32(0x1.99999ap-04)}),
              "a%!(EXTRA main.MyInt=3, main.Celsius=2, uint8=9, float32=0.1)");
    EXPECT_EQ(P("", {N()}), "%!(EXTRA <nil>)");
    EXPECT_EQ(P("%v %v", {I(1)}), "1 %!v(MISSING)");
}

TEST(FmtFormat, BadWidthPrecisionAndNoVerb) {
    EXPECT_EQ(P("%", {}), "%!(NOVERB)");
    EXPECT_EQ(P("abc%", {}), "abc%!(NOVERB)");
    EXPECT_EQ(P("%-", {}), "%!(NOVERB)");
    EXPECT_EQ(P("%5", {}), "%!(NOVERB)");
    EXPECT_EQ(P("%.", {}), "%!.(MISSING)");
    EXPECT_EQ(P("%.5", {}), "%!(NOVERB)");
    EXPECT_EQ(P("%[1]", {I(1)}), "%!(NOVERB)");
    EXPECT_EQ(P("%d %", {I(1)}), "1 %!(NOVERB)");
    EXPECT_EQ(P("%", {I(1)}), "%!(NOVERB)%!(EXTRA int=1)");
    EXPECT_EQ(P("%.", {I(1)}), "%!.(int=1)");
    EXPECT_EQ(P("%99999999d", {I(5)}), "%!(NOVERB)%!(EXTRA int=5)");
    EXPECT_EQ(P("%999999999d", {I(5)}), "%!(NOVERB)%!(EXTRA int=5)");
    EXPECT_EQ(P("%1000000000000000000000d|%d", {I(5)}), "%!(NOVERB)%!(EXTRA int=5)");
    EXPECT_EQ(P("%.99999999f", {F(0x1.4p+02)}), "%!(NOVERB)%!(EXTRA float64=5)");
    EXPECT_EQ(P("%*d", {S("x"), I(5)}), "%!(BADWIDTH)5");
    EXPECT_EQ(P("%*d", {F(0x1.dcd65p+29), I(5)}), "%!(BADWIDTH)5");
    EXPECT_EQ(P("%*d", {I(10000000), I(5)}), "%!(BADWIDTH)5");
    EXPECT_EQ(P("%*d", {U(18446744073709551615u, 64, "uint64"), I(5)}), "%!(BADWIDTH)5");
    EXPECT_EQ(P("%.*d", {S("x"), I(5)}), "%!(BADPREC)5");
    EXPECT_EQ(P("%.*f", {I(-1), F(0x1.921f9f01b866ep+01)}), "%!(BADPREC)3.141590");
    EXPECT_EQ(P("%.*f", {I(10000000), F(0x1.8p+00)}), "%!(BADPREC)1.500000");
    EXPECT_EQ(P("%*d", {}), "%!(BADWIDTH)%!d(MISSING)");
    EXPECT_EQ(P("%.*d", {}), "%!(BADPREC)%!d(MISSING)");
    EXPECT_EQ(P("%*.*f", {I(8), I(3), F(0x1.921fb54442d18p+01)}), "   3.142");
}

TEST(FmtFormat, StarWidthPrecision) {
    EXPECT_EQ(P("[%*d][%-*d][%*d]", {I(5), I(42), I(5), I(42), I(-5), I(42)}),
              "[   42][42   ][42   ]");
    EXPECT_EQ(P("[%.*f][%.*f][%*.*f]", {I(2), F(0x1.921fb54442d18p+01), I(0), F(0x1.4p+01), I(10),
                                        I(3), F(0x1.921fb54442d18p+01)}),
              "[3.14][2][     3.142]");
    EXPECT_EQ(P("[%0*d][%-0*d][%0*d]", {I(6), I(-42), I(6), I(42), I(-6), I(42)}),
              "[-00042][42    ][42    ]");
    EXPECT_EQ(P("[%*s][%.*s]", {I(6, 8, "int8"), S("ab"), U(1u, 16, "uint16"), S("xyz")}),
              "[    ab][x]");
    EXPECT_EQ(P("[%*d]", {I(-3, 64, "int64"), I(7)}), "[7  ]");
    EXPECT_EQ(P("[%*x]", {U(4u), I(255)}), "[  ff]");
}

TEST(FmtFormat, ArgumentIndexes) {
    EXPECT_EQ(P("%[2]d %[1]d", {I(1), I(2)}), "2 1");
    EXPECT_EQ(P("%[1]d %[1]x %[1]o", {I(64)}), "64 40 100");
    EXPECT_EQ(P("%[3]*.[2]*[1]f", {F(0x1.8p+03), I(2), I(6)}), " 12.00");
    EXPECT_EQ(P("%[1]*[2]d", {I(5), I(7)}), "    7");
    EXPECT_EQ(P("%d %d %d %[1]d %d", {I(1), I(2), I(3)}), "1 2 3 1 2");
    EXPECT_EQ(P("%[5]d", {I(1), I(2)}), "%!d(BADINDEX)");
    EXPECT_EQ(P("%[0]d|%[-1]d|%[x]d|%[1", {I(1)}),
              "%!d(BADINDEX)|%!d(BADINDEX)|%!d(BADINDEX)|%!(NOVERB)");
    EXPECT_EQ(P("%[]d|%[1]", {I(1)}), "%!d(BADINDEX)|%!(NOVERB)");
    EXPECT_EQ(P("%[2]d", {I(1), I(2)}), "2");
    EXPECT_EQ(P("%[1]d", {I(1), I(2), I(3)}), "1");
    EXPECT_EQ(P("%[3]2d|%[3].2d", {I(1), I(2), I(3)}), "%!d(BADINDEX)|%!d(BADINDEX)");
    EXPECT_EQ(P("%.[2]d|%[1].[2]d", {I(7), I(3)}), "3|%!d(BADINDEX)");
    EXPECT_EQ(P("%[2]*[1]d|%-[2]*[1]d", {I(12), I(5)}), "   12|12   ");
    EXPECT_EQ(P("%[1]v %v %v", {I(1), I(2)}), "1 2 %!v(MISSING)");
    EXPECT_EQ(P("%[1]d %[2]s", {I(1)}), "1 %!s(BADINDEX)");
    EXPECT_EQ(P("%[2]d %[3]d", {I(1), I(2)}), "2 %!d(BADINDEX)");
}

TEST(FmtFormat, Sprint) {
    EXPECT_EQ(SP({}), "");
    EXPECT_EQ(SP({I(1), I(2), I(3)}), "1 2 3");
    EXPECT_EQ(SP({S("a"), S("b"), S("c")}), "abc");
    EXPECT_EQ(SP({S("a"), I(1), I(2), S("b"), S("c")}), "a1 2bc");
    EXPECT_EQ(SP({I(1), S("a"), I(2)}), "1a2");
    EXPECT_EQ(SP({F(0x1.8p+00), B(true), N(), I(120, 32, "int32")}), "1.5 true <nil> 120");
    EXPECT_EQ(SP({N(), N(), S("s"), N()}), "<nil> <nil>s<nil>");
    EXPECT_EQ(SP({S("x", "main.MyStr"), I(1), S("y", "main.MyStr"), I(2, 64, "main.MyInt"),
                  F(0x1.8p+01, "main.Celsius")}),
              "x1y2 3");
    EXPECT_EQ(SP({F32(0x1.99999ap-04), F(0x1.e848p+19), F(0x1.5af1d78b58c4p+66),
                  F(0x1.b1ae4d6e2ef5p+69), U(7u, 8, "uint8")}),
              "0.1 1e+06 1e+20 1e+21 7");
    EXPECT_EQ(SP({S(""), I(1), S(""), I(2)}), "12");
}

TEST(FmtFormat, Sprintln) {
    EXPECT_EQ(SL({}), "\012");
    EXPECT_EQ(SL({I(1), I(2), I(3)}), "1 2 3\012");
    EXPECT_EQ(SL({S("a"), S("b"), I(1), S("c")}), "a b 1 c\012");
    EXPECT_EQ(SL({N(), B(true), F(0x1.4p+01), S("m", "main.MyStr"), F(-0x1p+00, "main.Celsius")}),
              "<nil> true 2.5 m -1\012");
    EXPECT_EQ(SL({F32(0x1.555556p-02), F(kInf), F(kNaN), F(-0x0p+00)}),
              "0.33333334 +Inf NaN -0\012");
    EXPECT_EQ(SL({S("")}), "\012");
}

TEST(FmtFormat, FormatFloat) {
    EXPECT_EQ(FF(0x0p+00, 'g', -1, 64), "0");
    EXPECT_EQ(FF(0x0p+00, 'e', -1, 64), "0e+00");
    EXPECT_EQ(FF(0x0p+00, 'f', -1, 64), "0");
    EXPECT_EQ(FF(0x1p+00, 'g', -1, 64), "1");
    EXPECT_EQ(FF(0x1p+00, 'e', -1, 64), "1e+00");
    EXPECT_EQ(FF(0x1p+00, 'f', -1, 64), "1");
    EXPECT_EQ(FF(-0x1p+00, 'g', -1, 64), "-1");
    EXPECT_EQ(FF(-0x1p+00, 'e', -1, 64), "-1e+00");
    EXPECT_EQ(FF(-0x1p+00, 'f', -1, 64), "-1");
    EXPECT_EQ(FF(0x1.999999999999ap-04, 'g', -1, 64), "0.1");
    EXPECT_EQ(FF(0x1.999999999999ap-04, 'e', -1, 64), "1e-01");
    EXPECT_EQ(FF(0x1.999999999999ap-04, 'f', -1, 64), "0.1");
    EXPECT_EQ(FF(0x1.5555555555555p-02, 'g', -1, 64), "0.3333333333333333");
    EXPECT_EQ(FF(0x1.5555555555555p-02, 'e', -1, 64), "3.333333333333333e-01");
    EXPECT_EQ(FF(0x1.5555555555555p-02, 'f', -1, 64), "0.3333333333333333");
    EXPECT_EQ(FF(0x1.d6f3454p+26, 'g', -1, 64), "1.23456789e+08");
    EXPECT_EQ(FF(0x1.d6f3454p+26, 'e', -1, 64), "1.23456789e+08");
    EXPECT_EQ(FF(0x1.d6f3454p+26, 'f', -1, 64), "123456789");
    EXPECT_EQ(FF(0x1.b1ae4d6e2ef5p+69, 'g', -1, 64), "1e+21");
    EXPECT_EQ(FF(0x1.b1ae4d6e2ef5p+69, 'e', -1, 64), "1e+21");
    EXPECT_EQ(FF(0x1.b1ae4d6e2ef5p+69, 'f', -1, 64), "1000000000000000000000");
    EXPECT_EQ(FF(0x1.ad7f29abcaf48p-24, 'g', -1, 64), "1e-07");
    EXPECT_EQ(FF(0x1.ad7f29abcaf48p-24, 'e', -1, 64), "1e-07");
    EXPECT_EQ(FF(0x1.ad7f29abcaf48p-24, 'f', -1, 64), "0.0000001");
    EXPECT_EQ(FF(0x1p-1074, 'g', -1, 64), "5e-324");
    EXPECT_EQ(FF(0x1p-1074, 'e', -1, 64), "5e-324");
    EXPECT_EQ(FF(0x1p-1074, 'f', -1, 64),
              "0."
              "000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
              "000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
              "000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
              "000000000000000000000000000000000000000000000000000000000000000000000005");
    EXPECT_EQ(FF(0x1.fffffffffffffp+1023, 'g', -1, 64), "1.7976931348623157e+308");
    EXPECT_EQ(FF(0x1.fffffffffffffp+1023, 'e', -1, 64), "1.7976931348623157e+308");
    EXPECT_EQ(FF(0x1.fffffffffffffp+1023, 'f', -1, 64),
              "179769313486231570000000000000000000000000000000000000000000000000000000000000000000"
              "000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
              "000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
              "000000000000000000000000000000000000000000000000000000000");
    EXPECT_EQ(FF(0x1.4p+01, 'g', -1, 64), "2.5");
    EXPECT_EQ(FF(0x1.4p+01, 'e', -1, 64), "2.5e+00");
    EXPECT_EQ(FF(0x1.4p+01, 'f', -1, 64), "2.5");
    EXPECT_EQ(FF(0x1.52d02c7e14af6p+76, 'g', -1, 64), "1e+23");
    EXPECT_EQ(FF(0x1.52d02c7e14af6p+76, 'e', -1, 64), "1e+23");
    EXPECT_EQ(FF(0x1.52d02c7e14af6p+76, 'f', -1, 64), "100000000000000000000000");
    EXPECT_EQ(FF(0x1.999999999999ap-04, 'g', -1, 32), "0.1");
    EXPECT_EQ(FF(0x1.999999999999ap-04, 'e', 3, 32), "1.000e-01");
    EXPECT_EQ(FF(0x1.999999999999ap-04, 'b', -1, 32), "13421773p-27");
    EXPECT_EQ(FF(0x1.5555555555555p-02, 'g', -1, 32), "0.33333334");
    EXPECT_EQ(FF(0x1.5555555555555p-02, 'e', 3, 32), "3.333e-01");
    EXPECT_EQ(FF(0x1.5555555555555p-02, 'b', -1, 32), "11184811p-25");
    EXPECT_EQ(FF(0x1.000001p+24, 'g', -1, 32), "1.6777216e+07");
    EXPECT_EQ(FF(0x1.000001p+24, 'e', 3, 32), "1.678e+07");
    EXPECT_EQ(FF(0x1.000001p+24, 'b', -1, 32), "8388608p+1");
    EXPECT_EQ(FF(0x1.fffffe54daff8p+127, 'g', -1, 32), "3.4028235e+38");
    EXPECT_EQ(FF(0x1.fffffe54daff8p+127, 'e', 3, 32), "3.403e+38");
    EXPECT_EQ(FF(0x1.fffffe54daff8p+127, 'b', -1, 32), "16777215p+104");
    EXPECT_EQ(FF(0x1.6d601ad376ab9p-150, 'g', -1, 32), "1e-45");
    EXPECT_EQ(FF(0x1.6d601ad376ab9p-150, 'e', 3, 32), "1.401e-45");
    EXPECT_EQ(FF(0x1.6d601ad376ab9p-150, 'b', -1, 32), "1p-149");
    EXPECT_EQ(FF(0x1.244ce242c5561p-153, 'g', -1, 32), "0");
    EXPECT_EQ(FF(0x1.244ce242c5561p-153, 'e', 3, 32), "0.000e+00");
    EXPECT_EQ(FF(0x1.244ce242c5561p-153, 'b', -1, 32), "0p-149");
    EXPECT_EQ(FF(0x1.ff868bf4d956ap-151, 'g', -1, 32), "0");
    EXPECT_EQ(FF(0x1.ff868bf4d956ap-151, 'e', 3, 32), "0.000e+00");
    EXPECT_EQ(FF(0x1.ff868bf4d956ap-151, 'b', -1, 32), "0p-149");
    EXPECT_EQ(FF(0x1.78287f49c4a1dp+129, 'g', -1, 32), "+Inf");
    EXPECT_EQ(FF(0x1.78287f49c4a1dp+129, 'e', 3, 32), "+Inf");
    EXPECT_EQ(FF(0x1.78287f49c4a1dp+129, 'b', -1, 32), "+Inf");
    EXPECT_EQ(FF(-0x1.78287f49c4a1dp+129, 'g', -1, 32), "-Inf");
    EXPECT_EQ(FF(-0x1.78287f49c4a1dp+129, 'e', 3, 32), "-Inf");
    EXPECT_EQ(FF(-0x1.78287f49c4a1dp+129, 'b', -1, 32), "-Inf");
    EXPECT_EQ(FF(0x1.ffffffp+127, 'g', -1, 32), "+Inf");
    EXPECT_EQ(FF(0x1.ffffffp+127, 'e', 3, 32), "+Inf");
    EXPECT_EQ(FF(0x1.ffffffp+127, 'b', -1, 32), "+Inf");
    EXPECT_EQ(FF(0x1.fffffefffffffp+127, 'g', -1, 32), "3.4028235e+38");
    EXPECT_EQ(FF(0x1.fffffefffffffp+127, 'e', 3, 32), "3.403e+38");
    EXPECT_EQ(FF(0x1.fffffefffffffp+127, 'b', -1, 32), "16777215p+104");
    EXPECT_EQ(FF(0x1.921fb54442d18p+01, 'f', 40, 64), "3.1415926535897931159979634685441851615906");
    EXPECT_EQ(FF(0x1.921fb54442d18p+01, 'e', 25, 64), "3.1415926535897931159979635e+00");
    EXPECT_EQ(FF(0x1.921fb54442d18p+01, 'g', 25, 64), "3.141592653589793115997963");
    EXPECT_EQ(FF(0x1.921fb54442d18p+01, 'G', 0, 64), "3");
    EXPECT_EQ(FF(0x1.b7cdfd9d7bdbbp-34, 'G', 3, 64), "1E-10");
    EXPECT_EQ(FF(0x1.249ad2594c37dp+332, 'E', -1, 64), "1E+100");
    EXPECT_EQ(FF(0x1.249ad2594c37dp+332, 'x', -1, 64), "0x1.249ad2594c37dp+332");
    EXPECT_EQ(FF(0x1.249ad2594c37dp+332, 'X', 5, 64), "0X1.249ADP+332");
    EXPECT_EQ(FF(0x1p-01, 'x', 0, 64), "0x1p-01");
    EXPECT_EQ(FF(0x1.8p+00, 'x', 0, 64), "0x1p+01");
    EXPECT_EQ(FF(0x1.4p+01, 'x', 0, 64), "0x1p+01");
    EXPECT_EQ(FF(0x1.5555555555555p-02, 'x', 14, 64), "0x1.55555555555550p-02");
    EXPECT_EQ(FF(0x1.5555555555555p-02, 'x', 15, 64), "0x1.555555555555500p-02");
    EXPECT_EQ(FF(0x1.fffffffffffffp+00, 'x', 3, 64), "0x1.000p+01");
    EXPECT_EQ(FF(0x1.999999999999ap-04, 'x', -1, 32), "0x1.99999ap-04");
    EXPECT_EQ(FF(0x1.8p+00, 'b', 2, 64), "6755399441055744p-52");
    EXPECT_EQ(FF(0x1.8p+00, 'z', -1, 64), "%z");
    EXPECT_EQ(FF(0x1.8p+00, 'z', 3, 64), "%z");
    EXPECT_EQ(FF(kInf, 'z', 3, 64), "+Inf");
    EXPECT_EQ(FF(kNaN, 'f', 3, 32), "NaN");
    EXPECT_EQ(FF(-kInf, 'b', 3, 32), "-Inf");
    EXPECT_EQ(FF(0x1.edd2f1a9fbe77p+06, 'f', 0, 64), "123");
    EXPECT_EQ(FF(0x1.edd2f1a9fbe77p+06, 'e', 0, 64), "1e+02");
    EXPECT_EQ(FF(0x1.3p+03, 'f', 0, 64), "10");
    EXPECT_EQ(FF(0x1.02e7ef70994ddp-13, 'g', 2, 64), "0.00012");
    EXPECT_EQ(FF(0x1.869f8p+16, 'g', 5, 64), "1e+05");
    EXPECT_EQ(FF(0x1.e847fp+19, 'g', -1, 64), "999999.5");
    EXPECT_EQ(FF(0x1.4f8b588e368f1p-17, 'g', -1, 32), "1e-05");
    EXPECT_EQ(FF(0x1.86ap+16, 'g', -1, 32), "100000");
    EXPECT_EQ(FF(0x1.e848p+19, 'g', -1, 32), "1e+06");
    EXPECT_EQ(FF(0x1.86ap+16, 'g', 6, 64), "100000");
    EXPECT_EQ(FF(0x1.e848p+19, 'g', 6, 64), "1e+06");
    EXPECT_EQ(FF(0x1.e848p+19, 'g', 7, 64), "1000000");
}

TEST(FmtFormat, Quote) {
    EXPECT_EQ(Quote(""), "\"\"");
    EXPECT_EQ(QuoteASCII(""), "\"\"");
    EXPECT_EQ(Quote("abc"), "\"abc\"");
    EXPECT_EQ(QuoteASCII("abc"), "\"abc\"");
    EXPECT_EQ(Quote("\"'\\`"), "\"\\\"'\\\\`\"");
    EXPECT_EQ(QuoteASCII("\"'\\`"), "\"\\\"'\\\\`\"");
    EXPECT_EQ(Quote("\000\001\037\177\200\277\302"sv), "\"\\x00\\x01\\x1f\\x7f\\x80\\xbf\\xc2\"");
    EXPECT_EQ(QuoteASCII("\000\001\037\177\200\277\302"sv),
              "\"\\x00\\x01\\x1f\\x7f\\x80\\xbf\\xc2\"");
    EXPECT_EQ(Quote("\303\251\302\240\302\255\346\227\245\346\234\254\360\237\230\200"),
              "\"\303\251\\u00a0\\u00ad\346\227\245\346\234\254\360\237\230\200\"");
    EXPECT_EQ(QuoteASCII("\303\251\302\240\302\255\346\227\245\346\234\254\360\237\230\200"),
              "\"\\u00e9\\u00a0\\u00ad\\u65e5\\u672c\\U0001f600\"");
    EXPECT_EQ(Quote("\315\270\342\200\250\342\200\251\356\200\200\363\240\200\201\360\235\221\225"
                    "\360\220\200\200"),
              "\"\\u0378\\u2028\\u2029\\ue000\\U000e0001\\U0001d455\360\220\200\200\"");
    EXPECT_EQ(QuoteASCII("\315\270\342\200\250\342\200\251\356\200\200\363\240\200\201\360\235\221"
                         "\225\360\220\200\200"),
              "\"\\u0378\\u2028\\u2029\\ue000\\U000e0001\\U0001d455\\U00010000\"");
    EXPECT_EQ(Quote("\330\234\341\240\216\342\200\216\343\200\200\357\277\271"),
              "\"\\u061c\\u180e\\u200e\\u3000\\ufff9\"");
    EXPECT_EQ(QuoteASCII("\330\234\341\240\216\342\200\216\343\200\200\357\277\271"),
              "\"\\u061c\\u180e\\u200e\\u3000\\ufff9\"");
    EXPECT_EQ(Quote("\340\200\200\355\277\277\360\200\200\200\370"),
              "\"\\xe0\\x80\\x80\\xed\\xbf\\xbf\\xf0\\x80\\x80\\x80\\xf8\"");
    EXPECT_EQ(QuoteASCII("\340\200\200\355\277\277\360\200\200\200\370"),
              "\"\\xe0\\x80\\x80\\xed\\xbf\\xbf\\xf0\\x80\\x80\\x80\\xf8\"");
    EXPECT_EQ(Quote("\342\202"), "\"\\xe2\\x82\"");
    EXPECT_EQ(QuoteASCII("\342\202"), "\"\\xe2\\x82\"");
}

TEST(FmtFormat, BuiltinPrintlnFloat) {
    EXPECT_EQ(BF(0x1.8p+00), "+1.500000e+000");
    EXPECT_EQ(BF(0x0p+00), "+0.000000e+000");
    EXPECT_EQ(BF(-0x0p+00), "-0.000000e+000");
    EXPECT_EQ(BF(-0x1.2p+01), "-2.250000e+000");
    EXPECT_EQ(BF(0x1.e848p+19), "+1.000000e+006");
    EXPECT_EQ(BF(0x1.d6f3454p+26), "+1.234568e+008");
    EXPECT_EQ(BF(0x1.999999999999ap-04), "+1.000000e-001");
    EXPECT_EQ(BF(0x1.5555555555555p-02), "+3.333333e-001");
    EXPECT_EQ(BF(0x1.5555555555555p-01), "+6.666667e-001");
    EXPECT_EQ(BF(0x1.56e1fc2f8f359p-997), "+1.000000e-300");
    EXPECT_EQ(BF(0x1.7e43c8800759cp+996), "+1.000000e+300");
    EXPECT_EQ(BF(0x1.fffffffffffffp+1023), "+1.797693e+308");
    EXPECT_EQ(BF(0x1p-1074), "+4.940656e-324");
    EXPECT_EQ(BF(0x1.3fffffca501adp+03), "+1.000000e+001");
    EXPECT_EQ(BF(0x1.3ffffeee32224p+03), "+9.999999e+000");
    EXPECT_EQ(BF(0x1.02e85aa468b9p-13), "+1.234568e-004");
    EXPECT_EQ(BF(kInf), "+Inf");
    EXPECT_EQ(BF(-kInf), "-Inf");
    EXPECT_EQ(BF(kNaN), "NaN");
    EXPECT_EQ(BF(0x1.9p+06), "+1.000000e+002");
    EXPECT_EQ(BF(0x1.249ad2594c37dp+332), "+1.000000e+100");
    EXPECT_EQ(BF(0x1.8p-1073), "+1.482197e-323");
    EXPECT_EQ(BF(0x1.7d783ecp+26), "+1.000000e+008");
    EXPECT_EQ(BF(0x1.000008637bd06p+00), "+1.000001e+000");
}

// Go accepts widths up to 7 digits (the 1e6 cap is checked before each digit is added)
// and pads to exactly that many runes.
TEST(FmtFormat, LargeWidthsArePadded) {
    const std::string wide = P("%1000000d", {I(5)});
    ASSERT_EQ(wide.size(), 1000000u);
    EXPECT_EQ(wide.back(), '5');
    EXPECT_EQ(P("%*d", {I(-1000000), I(5)}).size(), 1000000u);
    const std::string prec = P("%.1000000f", {F(0.5)});
    ASSERT_EQ(prec.size(), 1000002u);
    EXPECT_EQ(prec.substr(0, 4), "0.50");
    EXPECT_EQ(P("%.1000000d", {I(-7)}).size(), 1000001u);
    EXPECT_EQ(P("%.1000000e", {F(1)}).size(), 1000006u);
}

TEST(FmtFormat, AppendsToExistingOutput) {
    std::string out = "x=";
    const Arg args[] = {I(1)};
    csp::fmt::append_printf(out, "%d;", args);
    csp::fmt::append_print(out, args);
    csp::fmt::append_println(out, args);
    EXPECT_EQ(out, "x=1;11\n");
}

TEST(FmtFormat, DefaultTypeNames) {
    Arg i8;
    i8.kind = ArgKind::Int, i8.bits = 8, i8.i = -1;
    Arg u;
    u.kind = ArgKind::Uint, u.u = 3;
    Arg f32;
    f32.kind = ArgKind::Float, f32.bits = 32, f32.f = 0.5;
    Arg s;
    s.kind = ArgKind::String, s.s = "x";
    const Arg args[] = {i8, u, f32, s, Arg{}};
    std::string out;
    csp::fmt::append_printf(out, "%T %T %T %T %T", args);
    EXPECT_EQ(out, "int8 uint float32 string <nil>");
}

TEST(FmtFormat, IsPrint) {
    EXPECT_TRUE(csp::fmt::is_print(U'a'));
    EXPECT_TRUE(csp::fmt::is_print(U'\u00e9'));
    EXPECT_FALSE(csp::fmt::is_print(U'\u00ad'));
    EXPECT_FALSE(csp::fmt::is_print(0x7f));
    EXPECT_TRUE(csp::fmt::is_print(0x1F600));
    EXPECT_FALSE(csp::fmt::is_print(0xE0001));
    EXPECT_FALSE(csp::fmt::is_print(0x110000));
    EXPECT_TRUE(csp::fmt::can_backquote("a\tb"));
    EXPECT_FALSE(csp::fmt::can_backquote("a`b"));
}

// The value printer over hand-made descriptors: type P struct { X int; S string; Q *P }.
// Expectations from Go 1.19 (fmt.Sprintf on the same values).
TEST(FmtValuePrinter, StructsAndPointers) {
    using csp::RtType;
    using csp::Slot;
    using csp::TypeKind;
    RtType int_type{TypeKind::Int, "int", 1};
    RtType string_type{TypeKind::String, "string", 2};
    RtType p_type{TypeKind::Struct, "main.P", 4};
    RtType ptr_type{TypeKind::Pointer, "*main.P", 1, &p_type};
    p_type.fields = {{"X", &int_type, 0, false}, {"S", &string_type, 1, false}, {"Q", &ptr_type, 3, false}};
    Slot value[4] = {Slot{.i = 7}, Slot{.s = "ab"}, Slot{.i = 2}, Slot{.p = nullptr}};
    Slot pointer[1] = {Slot{.p = value}};
    auto format = [&](std::string_view f, const RtType& t, const Slot* slots, size_t count = 1) {
        std::string out;
        csp::stdlib::VmValue v(t, slots);
        std::vector<Arg> args(count, v.arg());
        csp::fmt::append_printf(out, f, args);
        return out;
    };
    EXPECT_EQ(format("%v", p_type, value), "{7 ab <nil>}");
    EXPECT_EQ(format("%+v", p_type, value), "{X:7 S:ab Q:<nil>}");
    EXPECT_EQ(format("%#v", p_type, value), "main.P{X:7, S:\"ab\", Q:(*main.P)(nil)}");
    EXPECT_EQ(format("%d", p_type, value), "{7 %!d(string=ab) 0}");
    EXPECT_EQ(format("%v", ptr_type, pointer), "&{7 ab <nil>}");
    EXPECT_EQ(format("%+v|%T", ptr_type, pointer, 2), "&{X:7 S:ab Q:<nil>}|*main.P");
    EXPECT_EQ(format("%p", p_type, value), "%!p(main.P={7 ab <nil>})");
    Slot nil_pointer[1] = {Slot{.p = nullptr}};
    EXPECT_EQ(format("%v|%#v|%7v|", ptr_type, nil_pointer, 3), "<nil>|(*main.P)(nil)|  <nil>|");
}
