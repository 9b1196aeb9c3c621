// The bytecode listing. One header per function (index, name, slots, constants), then one
// line per instruction: index, source line, opcode, operands, and a comment resolving what
// the operands name (constants, jump targets, functions, types).
#include "runtime/disasm.hpp"

#include <cstdio>
#include <ostream>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace csp {

namespace {

bool is_jump_sc(Opcode op) {
    return op >= Opcode::JEQ && op <= Opcode::JGEK;
}
bool is_jump_sbx(Opcode op) {
    return op == Opcode::JMP || op == Opcode::JMPIF || op == Opcode::JMPIFNOT;
}
bool has_constant_b(Opcode op) {
    return op == Opcode::LOADK || op == Opcode::CHKIDX || (op >= Opcode::JEQK && op <= Opcode::JGEK);
}
bool has_constant_c(Opcode op) {
    return (op >= Opcode::ADDK && op <= Opcode::XORK) || op == Opcode::MEMDUP;
}
bool has_signed_c(Opcode op) {
    return op == Opcode::ADDI || is_jump_sc(op);
}

std::string quote(const char* data, int64_t length) {
    std::string text = "\"";
    for (int64_t k = 0; k < length; ++k) {
        unsigned char c = static_cast<unsigned char>(data[k]);
        if (c == '"' || c == '\\') {
            text += '\\';
            text += char(c);
        } else if (c == '\n') {
            text += "\\n";
        } else if (c == '\t') {
            text += "\\t";
        } else if (c < 0x20 || c == 0x7F) {
            char buffer[8];
            std::snprintf(buffer, sizeof buffer, "\\x%02x", c);
            text += buffer;
        } else {
            text += char(c);
        }
    }
    return text + '"';
}

// Slots are untyped; a pattern that looks like a double of moderate magnitude is shown
// both ways.
std::string constant_text(Slot value) {
    std::string text = std::to_string(value.i);
    unsigned exponent = unsigned(value.u >> 52) & 0x7FF;
    bool small_integer = value.i > -(int64_t(1) << 40) && value.i < (int64_t(1) << 40);
    if (!small_integer && exponent >= 0x3C0 && exponent <= 0x440) {
        char buffer[40];
        std::snprintf(buffer, sizeof buffer, " (float %.17g)", value.f);
        text += buffer;
    }
    return text;
}

// Indices of the constants that LOADK2 uses as strings (pointer, then length).
std::set<uint32_t> string_constants(const Function& function) {
    std::set<uint32_t> result;
    for (const Instr& instr : function.code)
        if (instr.op == Opcode::LOADK2) result.insert(instr.b);
    return result;
}

std::string describe_constant(const Function& function, const std::set<uint32_t>& strings,
                              uint32_t index) {
    if (index >= function.constants.size()) return "K[" + std::to_string(index) + "] = ?";
    std::string text = "K[" + std::to_string(index) + "] = ";
    if (strings.count(index) && index + 1 < function.constants.size())
        return text + quote(function.constants[index].s, function.constants[index + 1].i);
    return text + constant_text(function.constants[index]);
}

std::string function_name(const Program& program, uint32_t index) {
    if (index >= program.functions.size()) return "function ?";
    return program.functions[index]->name;
}

std::string type_name(const Program& program, uint32_t index) {
    if (index >= program.types.size()) return "type ?";
    return program.types[index]->name;
}

std::string operands(const Instr& instr) {
    std::string b = std::to_string(instr.b);
    std::string c = has_signed_c(instr.op) ? std::to_string(instr.sc()) : std::to_string(instr.c);
    switch (opcode_format(instr.op)) {
    case OperandFormat::none:
        return "";
    case OperandFormat::a:
        return std::to_string(instr.a);
    case OperandFormat::ab:
        return std::to_string(instr.a) + " " + b;
    case OperandFormat::abc:
        return std::to_string(instr.a) + " " + b + " " + c;
    case OperandFormat::ac:
        return std::to_string(instr.a) + " " + c;
    case OperandFormat::asbx:
        return std::to_string(instr.a) + " " + std::to_string(instr.sbx());
    case OperandFormat::sbx:
        return std::to_string(instr.sbx());
    }
    return "";
}

std::string comment(const Program& program, const Function& function,
                    const std::set<uint32_t>& strings, size_t index, const Instr& instr) {
    Opcode op = instr.op;
    std::string text;
    auto add = [&text](const std::string& part) { text += text.empty() ? part : ", " + part; };
    if (has_constant_b(op)) add(describe_constant(function, strings, instr.b));
    if (has_constant_c(op)) add(describe_constant(function, strings, instr.c));
    if (op == Opcode::LOADK2) add(describe_constant(function, strings, instr.b));
    if (is_jump_sc(op)) add("to " + std::to_string(int64_t(index) + 1 + instr.sc()));
    if (is_jump_sbx(op)) add("to " + std::to_string(int64_t(index) + 1 + instr.sbx()));
    if (op == Opcode::CALL || op == Opcode::CALLN || op == Opcode::LOADF || op == Opcode::CLOSURE)
        add(function_name(program, instr.b));
    if (op == Opcode::BOX || op == Opcode::BOXN) add(type_name(program, instr.c));
    if (op == Opcode::PRINT) add(type_name(program, instr.b));
    if (op == Opcode::RACE && instr.a < program.race_names.size())
        add(program.race_names[instr.a].text +
            (program.race_names[instr.a].indexed ? "[i]" + program.race_names[instr.a].suffix : ""));
    if (op == Opcode::DEFER && instr.c != 0) add("if nil: " + function_name(program, instr.c - 1u));
    if (op == Opcode::MAKESLICE || (op >= Opcode::APPEND && op <= Opcode::APPENDSTR))
        add("element " + type_name(program, instr.c));
    if (op == Opcode::CAPTURE)
        add(instr.a == 0 ? "cell in R[" + std::to_string(instr.b) + "]"
                         : "enclosing cell " + std::to_string(instr.b));
    if (op == Opcode::MKSLICE)
        add(std::to_string(instr.c >> 4) + ((instr.c >> 4) == 1 ? " element of " : " elements of ") +
            std::to_string(instr.c & 15) + " slots");
    return text;
}

// The lines of the main file without indentation, [0] for line 1.
std::vector<std::string_view> split_lines(std::string_view text) {
    std::vector<std::string_view> lines;
    while (!text.empty()) {
        size_t end = text.find('\n');
        std::string_view line = text.substr(0, end);
        size_t start = line.find_first_not_of(" \t");
        lines.push_back(start == std::string_view::npos ? std::string_view() : line.substr(start));
        if (end == std::string_view::npos) break;
        text.remove_prefix(end + 1);
    }
    return lines;
}

} // namespace

static void list_function(const Program& program, uint32_t function_index,
                   const std::vector<std::string_view>& source, std::ostream& out) {
    const Function& function = *program.functions[function_index];
    out << "function " << function_index << " " << function.name;
    if (function.native != nullptr) {
        out << " (native, params " << function.param_slots << ", results " << function.result_slots
            << ")\n";
        return;
    }
    out << " (params " << function.param_slots << ", results " << function.result_slots
        << ", frame " << function.frame_slots << ", " << function.constants.size() << " constants, "
        << function.code.size() << " instructions)\n";
    std::set<uint32_t> strings = string_constants(function);
    for (uint32_t k = 0; k < function.constants.size(); ++k) {
        if (k > 0 && strings.count(k - 1)) continue; // the length half of a string
        out << "  " << describe_constant(function, strings, k) << '\n';
    }
    unsigned shown_line = 0;
    for (size_t index = 0; index < function.code.size(); ++index) {
        const Instr& instr = function.code[index];
        unsigned line = index < function.lines.size() ? function.lines[index] : 0;
        if (line != shown_line && line >= 1 && line <= source.size() && !source[line - 1].empty())
            out << "                ; " << line << ": " << source[line - 1] << '\n';
        shown_line = line;
        char head[48];
        std::snprintf(head, sizeof head, "  %5zu  %5u  %-10s", index, line, opcode_name(instr.op));
        std::string text = head + operands(instr);
        std::string note = comment(program, function, strings, index, instr);
        if (!note.empty()) {
            if (text.size() < 40) text.resize(40, ' ');
            text += " ; " + note;
        }
        while (!text.empty() && text.back() == ' ')
            text.pop_back();
        out << text << '\n';
    }
}

void disassemble_function(const Program& program, uint32_t function_index, std::ostream& out) {
    list_function(program, function_index, split_lines(program.source_text), out);
}

void disassemble(const Program& program, std::ostream& out, bool all) {
    out << "program " << program.file_path << " (" << program.functions.size() << " functions, "
        << program.types.size() << " types, " << program.global_slots << " global slots, init "
        << program.init_function << ")\n";
    std::vector<std::string_view> source = split_lines(program.source_text);
    for (uint32_t index = 0; index < program.functions.size(); ++index) {
        const std::string& name = program.functions[index]->name;
        if (!all && !name.starts_with("main.") && !name.starts_with("*main.") && name != "runtime.main")
            continue;
        out << '\n';
        list_function(program, index, source, out);
    }
}

} // namespace csp
