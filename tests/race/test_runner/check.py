#!/usr/bin/env python3
"""csp test -race: a test whose goroutines race fails as go test -race fails it, and a
correctly synchronised one passes. The lines checked are those Go 1.19's `go test -race`
printed for the same two packages (racy/ and clean/, run as .go files):
  WARNING: DATA RACE / Read at ... by goroutine N: / Previous write at ... by goroutine M:
  --- FAIL: TestRace (0.00s) / "    testing.go:1319: race detected during execution of test"
  FAIL / FAIL<TAB>example<TAB>... / FAIL, exit status 1; and "ok" with status 0.
csp names the location (`counter`) where Go prints its address."""
import os, re, subprocess, sys

csp, here = sys.argv[1], os.path.dirname(os.path.abspath(__file__))
failures = []

def run(case):
    p = subprocess.run([csp, 'test', '-race', '.'], cwd=os.path.join(here, case),
                       capture_output=True, text=True, timeout=60)
    return p.returncode, p.stdout + p.stderr

status, out = run('racy')
lines = out.split('\n')
if status != 1: failures.append('racy: status %d, want 1' % status)
for want in ['WARNING: DATA RACE', '--- FAIL: TestRace (0.00s)',
             '    testing.go:1319: race detected during execution of test', 'FAIL']:
    if want not in lines: failures.append('racy: missing line %r' % want)
if not re.search(r'^Read at counter by goroutine \d+:$', out, re.M):
    failures.append('racy: no "Read at counter by goroutine N:" line')
if not re.search(r'^Previous write at counter by goroutine \d+:$', out, re.M):
    failures.append('racy: no "Previous write at counter by goroutine N:" line')
if not re.search(r'^FAIL\t\.\t[0-9.]+s$', out, re.M):
    failures.append('racy: no package FAIL line')
if '--- PASS: TestOK' in out or 'x_test' in out and 'fine' in out:
    failures.append('racy: a passing test printed its log without -v')

status, out = run('clean')
if status != 0: failures.append('clean: status %d, want 0' % status)
if 'DATA RACE' in out: failures.append('clean: a race was reported')
if not re.search(r'^ok  \t\.\t[0-9.]+s$', out, re.M): failures.append('clean: no ok line')

if failures:
    print(out)
    print('\n'.join(failures))
    sys.exit(1)
