#!/usr/bin/env python3
"""Records what Go 1.19's race detector says about tests/race/<case>.csp programs.

For each program: builds it with `go build -race` (as <case>.go in a temporary
directory), runs the binary, and writes <case>.expect.json: exit status, stdout, the
number of races ("Found N data race(s)") and each report's facts (racereport.py).
Run it only with Go; csp's output is never an input here.
Usage: regen.py tests/race/a.csp [more.csp ...]
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import racereport  # noqa: E402


def regen(path):
    name = os.path.splitext(os.path.basename(path))[0]
    with tempfile.TemporaryDirectory() as tmp:
        go_file = os.path.join(tmp, name + '.go')
        shutil.copy(path, go_file)
        binary = os.path.join(tmp, name)
        subprocess.run(['go', 'build', '-race', '-o', binary, go_file], check=True, cwd=tmp,
                       env=dict(os.environ, GO111MODULE='off'))
        run = subprocess.run([binary], capture_output=True, text=True, timeout=60)
    reports, found = racereport.parse(run.stderr)
    expect = {'status': run.returncode, 'stdout': run.stdout, 'races': found,
              'reports': [racereport.facts(r) for r in reports]}
    if found != len(reports):
        raise SystemExit(f'{path}: Go found {found} races but printed {len(reports)} reports')
    with open(os.path.splitext(path)[0] + '.expect.json', 'w') as f:
        json.dump(expect, f, indent=1)
        f.write('\n')
    print(f'{name}: status {run.returncode}, {found} race(s)')


for p in sys.argv[1:]:
    regen(p)
