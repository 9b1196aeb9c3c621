#!/usr/bin/env python3
"""csp run -race on a program starting more goroutines that access shared memory than the
detector follows (RaceDetector::max_slots): the program's output and status are Go's
(12497500, 0), and stderr says that race detection stopped, instead of the detector's
clocks growing without bound. Goroutines that access nothing shared do not count
(tests/race/race_after_many_goroutines.csp)."""
import os, subprocess, sys

csp, here = sys.argv[1], os.path.dirname(os.path.abspath(__file__))
p = subprocess.run([csp, 'run', '-race', os.path.join(here, 'many_goroutines.csp')],
                   capture_output=True, text=True, timeout=60)
problems = []
if p.returncode != 0: problems.append('status %d, want 0' % p.returncode)
if p.stdout != '12497500\n': problems.append('stdout %r' % p.stdout)
if p.stderr != 'csp: -race: more than 4096 goroutines access shared memory: race detection stops here\n':
    problems.append('stderr %r' % p.stderr)
if problems:
    print('\n'.join(problems))
    sys.exit(1)
