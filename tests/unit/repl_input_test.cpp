// The REPL's completeness rule (lang/repl_input.hpp): when an input needs more lines.
#include "lang/repl_input.hpp"

#include <gtest/gtest.h>

using csp::input_state;
using csp::InputState;

TEST(ReplInput, EmptyInputs) {
    EXPECT_EQ(input_state(""), InputState::Empty);
    EXPECT_EQ(input_state("   \n\t\n"), InputState::Empty);
    EXPECT_EQ(input_state("// a comment\n"), InputState::Empty);
    EXPECT_EQ(input_state("/* a */\n"), InputState::Empty);
}

TEST(ReplInput, CompleteStatements) {
    EXPECT_EQ(input_state("x := 1\n"), InputState::Complete);
    EXPECT_EQ(input_state("fmt.Println(x)\n"), InputState::Complete);
    EXPECT_EQ(input_state("x++\n"), InputState::Complete);
    EXPECT_EQ(input_state("func f() {}\n"), InputState::Complete);
    EXPECT_EQ(input_state("s := \"a{(\" // open {\n"), InputState::Complete);
    EXPECT_EQ(input_state("r := '('\n"), InputState::Complete);
    EXPECT_EQ(input_state("x := 1.5\n"), InputState::Complete);
    EXPECT_EQ(input_state("<-ch\n"), InputState::Complete);
}

TEST(ReplInput, OpenBrackets) {
    EXPECT_EQ(input_state("func f() {\n"), InputState::Incomplete);
    EXPECT_EQ(input_state("f(1,\n"), InputState::Incomplete);
    EXPECT_EQ(input_state("a := []int{\n1, 2}\n"), InputState::Complete);
    EXPECT_EQ(input_state("if x {\n} else {\n"), InputState::Incomplete);
    EXPECT_EQ(input_state("m[\n"), InputState::Incomplete);
}

TEST(ReplInput, OpenLiteralsAndComments) {
    EXPECT_EQ(input_state("s := `raw\n"), InputState::Incomplete);
    EXPECT_EQ(input_state("s := `raw\nmore`\n"), InputState::Complete);
    EXPECT_EQ(input_state("/* open\n"), InputState::Incomplete);
    EXPECT_EQ(input_state("s := \"unterminated\n"), InputState::Complete); // an error, not more
}

TEST(ReplInput, TrailingOperators) {
    EXPECT_EQ(input_state("x := 1 +\n"), InputState::Incomplete);
    EXPECT_EQ(input_state("ok := a &&\n"), InputState::Incomplete);
    EXPECT_EQ(input_state("x :=\n"), InputState::Incomplete);
    EXPECT_EQ(input_state("ch <-\n"), InputState::Incomplete);
    EXPECT_EQ(input_state("a, b :=\n"), InputState::Incomplete);
    EXPECT_EQ(input_state("x.\n"), InputState::Incomplete);
    EXPECT_EQ(input_state("x := 1 + // more\n"), InputState::Incomplete);
    EXPECT_EQ(input_state("x := 1 +\n2\n"), InputState::Complete);
}

TEST(ReplInput, ClosingTooMuchIsCompleteForTheErrorToShow) {
    EXPECT_EQ(input_state("}\n"), InputState::Complete);
}
