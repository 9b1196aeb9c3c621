#!/usr/bin/env python3
"""Runs `csp run -race` on a tests/race program and checks it against Go's facts.

Compares with <case>.expect.json (written by regen.py from Go's run): the exit status,
stdout, the number of races and, report by report, the access kinds, main or not, the
stacks of package main (functions and lines) and the creation stacks of the goroutines.
csp's reports must also name each location (Go prints an address instead).
Usage: check.py CSP tests/race/<case>.csp
"""
import json
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import racereport  # noqa: E402

csp, path = sys.argv[1], sys.argv[2]
with open(os.path.splitext(path)[0] + '.expect.json') as f:
    expect = json.load(f)
run = subprocess.run([csp, 'run', '-race', path], capture_output=True, text=True, timeout=120)
reports, found = racereport.parse(run.stderr)
errors = []
if run.returncode != expect['status']:
    errors.append(f"exit status {run.returncode}, Go's {expect['status']}")
if run.stdout != expect['stdout']:
    errors.append(f"stdout {run.stdout!r}, Go's {expect['stdout']!r}")
if found != expect['races'] or len(reports) != expect['races']:
    errors.append(f"{found} races found ({len(reports)} reports), Go's {expect['races']}")
for k, (got, want) in enumerate(zip(reports, expect['reports'])):
    if racereport.facts(got) != want:
        errors.append(f'report {k + 1}: {json.dumps(racereport.facts(got))}\n  Go: {json.dumps(want)}')
    for name in got['names']:
        if not name or name.startswith('0x') or name == '?':
            errors.append(f'report {k + 1}: the location is not named: {name!r}')
if errors:
    sys.stderr.write(run.stderr)
    sys.exit(f'{path}:\n' + '\n'.join(errors))
