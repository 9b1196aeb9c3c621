// A port of Go 1.19's test2json Converter.handleInputLine: "=== RUN/PAUSE/CONT" lines
// start events, "--- PASS/FAIL/SKIP/BENCH" reports (indented four spaces per subtest
// level) are held until a line at their depth or shallower ends them, other lines are
// output attributed to the current test, and PASS/FAIL lines set the package's result.
#include "testrunner/test2json.hpp"

#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <optional>
#include <vector>

namespace csp::testrunner {

namespace {

struct Event {
    std::string action;
    std::string test;
    std::optional<double> elapsed;
};

// Go's encoding/json string: HTML-safe escapes for < > &, \n \r \t, \u00XX controls.
std::string json_string(const std::string& s) {
    std::string out = "\"";
    for (unsigned char c : s) {
        switch (c) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        case '\t': out += "\\t"; break;
        default:
            if (c < 0x20 || c == '<' || c == '>' || c == '&') {
                char buffer[8];
                std::snprintf(buffer, sizeof buffer, "\\u%04x", c);
                out += buffer;
            } else {
                out += char(c);
            }
        }
    }
    return out + "\"";
}

// RFC 3339 with nanoseconds and trailing zeros trimmed, as Go's time.Time marshals.
std::string timestamp() {
    auto now = std::chrono::system_clock::now();
    auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(now.time_since_epoch()).count();
    std::time_t seconds = std::time_t(ns / 1000000000);
    std::tm utc{};
    gmtime_r(&seconds, &utc);
    char buffer[64];
    std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%S", &utc);
    std::string text = buffer;
    long fraction = long(ns % 1000000000);
    if (fraction != 0) {
        std::snprintf(buffer, sizeof buffer, ".%09ld", fraction);
        std::string digits = buffer;
        while (digits.back() == '0') digits.pop_back();
        text += digits;
    }
    return text + "Z";
}

std::string format_float(double value) {
    char buffer[64];
    auto result = std::to_chars(buffer, buffer + sizeof buffer, value, std::chars_format::fixed);
    return std::string(buffer, result.ptr);
}

class Converter {
  public:
    explicit Converter(std::string package) : m_package(std::move(package)) {}

    void line(const std::string& text);
    std::string finish(double elapsed) {
        if (!m_result.empty()) {
            Event e{m_result, "", std::round(elapsed * 1000) / 1000};
            write(e);
        }
        return std::move(m_out);
    }

  private:
    void write(Event e) {
        if (e.test.empty()) e.test = m_test;
        m_out += "{\"Time\":\"" + timestamp() + "\",\"Action\":\"" + e.action + "\",\"Package\":" +
                 json_string(m_package);
        if (!e.test.empty()) m_out += ",\"Test\":" + json_string(e.test);
        if (e.elapsed) m_out += ",\"Elapsed\":" + format_float(*e.elapsed);
        m_out += "}\n";
    }
    void output(const std::string& text) {
        std::string test = m_test;
        m_out += "{\"Time\":\"" + timestamp() + "\",\"Action\":\"output\",\"Package\":" + json_string(m_package);
        if (!test.empty()) m_out += ",\"Test\":" + json_string(test);
        m_out += ",\"Output\":" + json_string(text) + "}\n";
    }
    void flush_report(size_t depth) {
        m_test.clear();
        while (m_report.size() > depth) {
            Event e = m_report.back();
            m_report.pop_back();
            write(e);
        }
    }

    std::string m_package;
    std::string m_out;
    std::string m_test;            // the test output lines are attributed to
    std::vector<Event> m_report;   // pending PASS/FAIL reports, outermost first
    std::string m_result;          // the package's: pass, fail or skip
};

bool starts(const std::string& s, const char* prefix) { return s.rfind(prefix, 0) == 0; }

void Converter::line(const std::string& text) {
    if (text == "PASS\n" || text == "FAIL\n" || starts(text, "FAIL\t")) {
        flush_report(0);
        output(text);
        m_result = text == "PASS\n" ? "pass" : "fail";
        return;
    }
    if (starts(text, "?   \t") && text.size() >= 17 && text.ends_with("\t[no test files]\n")) m_result = "skip";
    static const char* const updates[] = {"=== RUN   ", "=== PAUSE ", "=== CONT  "};
    static const char* const reports[] = {"--- PASS: ", "--- FAIL: ", "--- SKIP: ", "--- BENCH: "};
    bool ok = false, report = false;
    std::string rest = text;
    size_t indent = 0;
    for (const char* magic : updates) ok = ok || starts(rest, magic);
    if (!ok) {
        while (starts(rest, "    ")) {
            rest = rest.substr(4);
            indent++;
        }
        for (const char* magic : reports) report = report || starts(rest, magic);
        ok = report;
    }
    if (!ok) {
        if (indent > 0 && indent <= m_report.size()) m_test = m_report[indent - 1].test;
        output(text);
        return;
    }
    size_t i = report ? rest.find(':') + 1 : 10;
    std::string action = rest.substr(4, i - 4);
    while (!action.empty() && (action.back() == ' ' || action.back() == ':')) action.pop_back();
    for (char& c : action) c = char(std::tolower((unsigned char)c));
    std::string name = rest.substr(i);
    while (!name.empty() && std::isspace((unsigned char)name.back())) name.pop_back();
    while (!name.empty() && std::isspace((unsigned char)name.front())) name.erase(0, 1);
    Event e{action, "", std::nullopt};
    if (report) {
        if (size_t paren = name.find(" ("); paren != std::string::npos) {
            if (name.ends_with("s)")) {
                double seconds = 0;
                std::string number = name.substr(paren + 2, name.size() - paren - 4);
                auto parsed = std::from_chars(number.data(), number.data() + number.size(), seconds);
                if (parsed.ec == std::errc()) e.elapsed = seconds;
            }
            name = name.substr(0, paren);
        }
        if (m_report.size() < indent) {
            output(text);
            return;
        }
        flush_report(indent);
        e.test = name;
        m_test = name;
        m_report.push_back(e);
        output(text);
        return;
    }
    flush_report(0);
    m_test = name;
    if (action == "pause") output(text);
    write(e);
    if (action != "pause") output(text);
}

} // namespace

std::string test2json(const std::string& output, const std::string& package_name, double elapsed) {
    Converter converter(package_name);
    size_t start = 0;
    while (start < output.size()) {
        size_t end = output.find('\n', start);
        end = end == std::string::npos ? output.size() : end + 1;
        converter.line(output.substr(start, end - start));
        start = end;
    }
    return converter.finish(elapsed);
}

} // namespace csp::testrunner
