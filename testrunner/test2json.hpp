// go test -json: Go 1.19's test2json converter (cmd/internal/test2json) over the text
// output of a test run, turning it into the JSON event stream line by line.
#pragma once
#include <string>

namespace csp::testrunner {

// Converts the whole output of one package's run (the test binary's output followed by
// the ok/FAIL line) into events for package `package_name`; `elapsed` is the run's time
// in seconds, for the final pass/fail/skip event.
std::string test2json(const std::string& output, const std::string& package_name, double elapsed);

} // namespace csp::testrunner
