#!/usr/bin/env python3
"""Checks that docs/stdlib.md lists exactly the exported names of the standard packages
embedded in csp (the files of CSP_PACKAGE_SOURCES in stdlib/CMakeLists.txt).

  python3 tests/stdlib_doc.py --check   exit 1 and print the differences if the doc drifted
  python3 tests/stdlib_doc.py --lists   print each package's list lines, to paste into the doc

In the doc, each package is a `## <import path>` section; its names are the backticked
words on list lines starting with "- Functions:", "- Types:", "- Methods:" (as
`Type.Method`), "- Constants:" or "- Variables:". Other text is free."""
import os, re, sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
KINDS = ['Functions', 'Types', 'Methods', 'Constants', 'Variables']

def package_sources():
    text = open(os.path.join(ROOT, 'stdlib', 'CMakeLists.txt')).read()
    m = re.search(r'set\(CSP_PACKAGE_SOURCES([^)]*)\)', text)
    return m.group(1).split()

def exported(source):
    """{kind: set of names} declared by one package source."""
    names = {k: set() for k in KINDS}
    block = None
    for line in source.split('\n'):
        if block:
            if line.startswith(')'):
                block = None
                continue
            m = re.match(r'^\t([A-Za-z_]\w*(?:\s*,\s*[A-Za-z_]\w*)*)', line)
            if m:
                for n in re.split(r'\s*,\s*', m.group(1)):
                    if n[0].isupper():
                        names[block].add(n)
            continue
        m = re.match(r'^(const|var|type) \($', line)
        if m:
            block = {'const': 'Constants', 'var': 'Variables', 'type': 'Types'}[m.group(1)]
            continue
        m = re.match(r'^(const|var|type) ([A-Za-z_]\w*(?:\s*,\s*[A-Za-z_]\w*)*)', line)
        if m:
            kind = {'const': 'Constants', 'var': 'Variables', 'type': 'Types'}[m.group(1)]
            for n in re.split(r'\s*,\s*', m.group(2)):
                if n[0].isupper():
                    names[kind].add(n)
            continue
        m = re.match(r'^func \(\w+ \*?(\w+)\) (\w+)\(', line)
        if m:
            if m.group(1)[0].isupper() and m.group(2)[0].isupper():
                names['Methods'].add(m.group(1) + '.' + m.group(2))
            continue
        m = re.match(r'^func (\w+)\(', line)
        if m and m.group(1)[0].isupper():
            names['Functions'].add(m.group(1))
    return names

def declared():
    packages = {}
    for rel in package_sources():
        path = os.path.dirname(rel)
        packages[path] = exported(open(os.path.join(ROOT, 'stdlib', rel)).read())
    return packages

def documented():
    packages, current = {}, None
    for line in open(os.path.join(ROOT, 'docs', 'stdlib.md')).read().split('\n'):
        m = re.match(r'^## `?([\w./]+)`?\s*$', line)
        if m:
            current = packages.setdefault(m.group(1), {k: set() for k in KINDS})
            continue
        m = re.match(r'^- (%s):(.*)$' % '|'.join(KINDS), line)
        if m and current is not None:
            current[m.group(1)].update(re.findall(r'`([\w.]+)`', m.group(2)))
    return packages

def lists(names):
    return ['- %s: %s' % (k, ', '.join('`%s`' % n for n in sorted(names[k]))) for k in KINDS if names[k]]

def main():
    have = declared()
    if '--lists' in sys.argv:
        for path in sorted(have):
            print('## %s\n\n%s\n' % (path, '\n'.join(lists(have[path]))))
        return 0
    doc = documented()
    problems = []
    for path in sorted(set(have) | set(doc)):
        if path not in doc:
            problems.append('package %s is embedded but has no "## %s" section' % (path, path))
            continue
        if path not in have:
            problems.append('package %s is documented but not embedded' % path)
            continue
        for k in KINDS:
            for n in sorted(have[path][k] - doc[path][k]):
                problems.append('%s: %s %s is declared but not documented' % (path, k.lower()[:-1], n))
            for n in sorted(doc[path][k] - have[path][k]):
                problems.append('%s: %s %s is documented but not declared' % (path, k.lower()[:-1], n))
    for p in problems:
        print(p)
    if problems:
        print('docs/stdlib.md drifted from the declarations; `python3 tests/stdlib_doc.py --lists` prints the lists')
    return 1 if problems else 0

if __name__ == '__main__':
    sys.exit(main())
