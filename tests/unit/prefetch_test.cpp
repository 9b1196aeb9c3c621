// The parallel parse of imported standard packages (lang/prefetch): the import scan, and
// that a package taken from a worker is the package a parse on the checker's thread makes.
#include "lang/prefetch.hpp"
#include "stdlib/stdlib.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>

namespace {

using csp::scan_import_paths;
using Paths = std::vector<std::string>;

TEST(Prefetch, ScansEveryFormOfImport) {
    EXPECT_EQ(scan_import_paths("package main\n\nimport \"fmt\"\n\nfunc main() {}\n"), Paths{"fmt"});
    EXPECT_EQ(scan_import_paths("// comment\n/* block\n import \"no\" */ package p\nimport (\n\t\"a\"\n\tb \"x/y\"\n\t_ "
                                "\"c\" // why\n\t. \"d\"\n)\nimport \"e\"; import f \"g\"\nvar import_ = 1\n"),
              (Paths{"a", "x/y", "c", "d", "e", "g"}));
    EXPECT_EQ(scan_import_paths("package p\nfunc f() {}\nimport \"late\"\n"), Paths{}); // not Go anyway
    EXPECT_EQ(scan_import_paths("package p\nimport (\"a\"; \"b\")"), (Paths{"a", "b"}));
    EXPECT_EQ(scan_import_paths("package p\nimports \"a\""), Paths{});
    EXPECT_EQ(scan_import_paths("package p\nimport \"unterminated"), Paths{});
    EXPECT_EQ(scan_import_paths(""), Paths{});
    EXPECT_EQ(scan_import_paths("func main() {}"), Paths{});
}

TEST(Prefetch, WorkersParseTheClosureTheCheckerTakes) {
    std::vector<std::string> asked;
    csp::PackageSource packages = [&](const std::string& path) {
        asked.push_back(path);
        return csp::stdlib::package_source(path);
    };
    auto loaded = [](const std::string& path) { return path == "errors"; };
    csp::PackagePrefetch prefetch(packages, {"fmt", "no/such"}, loaded, 2);
    // Depth first in import order, skipping what is loaded and what does not exist.
    EXPECT_EQ(asked.front(), "fmt");
    EXPECT_EQ(std::count(asked.begin(), asked.end(), "errors"), 0);
    EXPECT_GE(std::count(asked.begin(), asked.end(), "io"), 1);
    for (const char* path : {"fmt", "io", "strconv", "unicode/utf8"}) {
        std::string text = *csp::stdlib::package_source(path);
        csp::ParsedPackage parsed = prefetch.take(path, text);
        ASSERT_TRUE(parsed.file) << path;
        EXPECT_FALSE(parsed.diags->has_errors()) << path;
        EXPECT_EQ(parsed.source->name(), "stdlib/" + std::string(path) + ".csp");
        csp::ParsedPackage here = csp::PackagePrefetch::parse_package(path, text);
        EXPECT_EQ(parsed.file->items.size(), here.file->items.size()) << path;
        EXPECT_EQ(parsed.file->imports.size(), here.file->imports.size()) << path;
        EXPECT_EQ(parsed.file->package_name, here.file->package_name) << path;
    }
    // Not in the closure: parsed on the spot.
    csp::ParsedPackage sync = prefetch.take("sync", *csp::stdlib::package_source("sync"));
    EXPECT_TRUE(sync.file);
}

TEST(Prefetch, NoWorkersMeansNoThreadsAndStillParses) {
    csp::PackagePrefetch prefetch(csp::stdlib::package_source, {"fmt"}, [](const std::string&) { return false; }, 0);
    csp::ParsedPackage parsed = prefetch.take("fmt", *csp::stdlib::package_source("fmt"));
    EXPECT_TRUE(parsed.file);
}

} // namespace

namespace {

// Every standard package's import clauses, as the scan reads them, are its parsed imports:
// so the prefetch covers every package a program can import.
TEST(Prefetch, TheScanFindsEveryStandardPackagesImports) {
    std::vector<std::string> queue = {"fmt", "os", "time", "testing", "bufio", "flag", "log", "sort", "math/rand",
                                      "path/filepath", "context", "golang.org/x/sync/errgroup", "bytes", "strings"};
    std::set<std::string> seen;
    while (!queue.empty()) {
        std::string path = queue.back();
        queue.pop_back();
        if (!seen.insert(path).second) continue;
        std::optional<std::string> text = csp::stdlib::package_source(path);
        ASSERT_TRUE(text) << path;
        csp::ParsedPackage parsed = csp::PackagePrefetch::parse_package(path, *text);
        ASSERT_TRUE(parsed.file) << path;
        std::vector<std::string> parsed_paths;
        for (const csp::ImportSpec* imp : parsed.file->imports) parsed_paths.push_back(imp->path);
        EXPECT_EQ(scan_import_paths(*text), parsed_paths) << path;
        for (const std::string& p : parsed_paths) queue.push_back(p);
    }
    EXPECT_GE(seen.size(), 20u);
}

} // namespace
