"""Parses data race reports (Go's -race output or csp's) into comparable facts.

A report's facts: for the access and the previous access, the kind (Read/Write), whether
main or another goroutine made it, the stack (functions of package main and lines,
innermost first: Go's runtime frames, such as map internals, are dropped), and for a
goroutine other than main the stack of the go statement that created it. Addresses
(Go) and location names (csp) are not compared; csp's names are checked for presence.
"""
import re

ACCESS = re.compile(r'^(Previous )?(read|write|Read|Write) at (.+) by (main goroutine|goroutine (\d+)):$')
CREATED = re.compile(r'^Goroutine (\d+) \((running|finished)\) created at:$')
FRAME_FUNC = re.compile(r'^  (\S+)\(\)$')
FRAME_LINE = re.compile(r'^      (.+):(\d+)( \+0x[0-9a-f]+)?$')


def _stack(lines, i):
    stack = []
    while i + 1 < len(lines):
        f = FRAME_FUNC.match(lines[i])
        l = FRAME_LINE.match(lines[i + 1])
        if not f or not l:
            break
        if f.group(1).startswith('main.'):
            stack.append([f.group(1), int(l.group(2))])
        i += 2
    return stack, i


def parse(stderr):
    """Returns (reports, found) from a program's stderr; found is N of 'Found N data race(s)'."""
    lines = stderr.split('\n')
    reports = []
    i = 0
    while i < len(lines):
        if lines[i] != 'WARNING: DATA RACE':
            i += 1
            continue
        i += 1
        accesses, created, names = [], {}, []
        while i < len(lines) and lines[i] != '==================':
            m = ACCESS.match(lines[i])
            c = CREATED.match(lines[i])
            if m:
                stack, i = _stack(lines, i + 1)
                accesses.append({'kind': m.group(2).capitalize(), 'goroutine': m.group(5) or 'main',
                                 'stack': stack})
                names.append(m.group(3))
                continue
            if c:
                stack, i = _stack(lines, i + 1)
                created[c.group(1)] = stack
                continue
            i += 1
        for a in accesses:
            a['created'] = created.get(a['goroutine'])
            a['main'] = a.pop('goroutine') == 'main'
        if len(accesses) == 2:
            reports.append({'access': accesses[0], 'previous': accesses[1], 'names': names})
    found = 0
    for line in lines:
        m = re.match(r'^Found (\d+) data race\(s\)$', line)
        if m:
            found = int(m.group(1))
    return reports, found


def facts(report):
    """The comparable part of a report (no names or addresses)."""
    return {k: report[k] for k in ('access', 'previous')}
