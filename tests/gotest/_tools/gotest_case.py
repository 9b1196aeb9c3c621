#!/usr/bin/env python3
"""`csp test` cases: tests/gotest/<case>/ holds the package's .csp files, `args` (the
flags and paths of the command, one per line) and the expectation `expected.stdout` and
`expected.status`, produced ONLY by real `go test` (Go 1.19):

  python3 tests/gotest/_tools/gotest_case.py regen tests/gotest/<case> [...]   (no case: all)
  python3 tests/gotest/_tools/gotest_case.py check path/to/csp tests/gotest/<case>

regen copies the case into a temporary module (go.mod `module example`, each .csp
renamed .go), runs `go test ARGS` there with GOMAXPROCS=1 (csp runs goroutines on one
thread), and writes its combined stdout and stderr, normalised, with its exit status.
check runs `csp test ARGS` in the case directory and compares, normalised the same way.
Normalising: durations `(0.00s)` and the ok/FAIL line's time become fixed, the package
column becomes PKG, `.go:` file names become `.csp:`, goroutine traces after a panic are
dropped (they show Go's testing.go frames), benchmark counts and ns/op become N, and
go test's `cpu:` line is dropped.
"""
import os, re, shutil, subprocess, sys, tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)


def normalise(text):
    out = []
    in_trace = False
    for line in text.split('\n'):
        if in_trace:
            if line.startswith(('exit status', 'FAIL\t', 'ok  \t', 'FAIL')) and not line.startswith('\t'):
                in_trace = False
            else:
                continue
        if re.match(r'^goroutine \d+ \[', line):
            in_trace = True
            out.append('goroutine N [running]:')
            continue
        if line.startswith('cpu: '):
            continue
        line = re.sub(r'\((\d+\.\d+)s\)', '(0.00s)', line)
        line = re.sub(r'^(ok  |FAIL)\t\S+\t\d+\.\d+s$', r'\1\tPKG\tT', line)
        line = re.sub(r'^(ok  |FAIL)\t\S+ \[build failed\]$', r'\1\tPKG [build failed]', line)
        line = re.sub(r'^\?   \t\S+\t', '?   \tPKG\t', line)
        line = re.sub(r'^pkg: \S+$', 'pkg: PKG', line)
        line = re.sub(r'^(Benchmark\S*)\s+\d+\s+[\d.]+ ns/op$', r'\1 N N ns/op', line)
        line = re.sub(r'\.go:(\d+)', r'.csp:\1', line)
        # -json events: timestamps, package names and times vary
        line = re.sub(r'"Time":"[^"]*"', '"Time":"T"', line)
        line = re.sub(r'"Package":"[^"]*"', '"Package":"PKG"', line)
        line = re.sub(r'"Elapsed":[0-9.e+-]+', '"Elapsed":0', line)
        line = re.sub(r'"Output":"(ok  |FAIL)\\t[^\\]*\\t[0-9.]+s\\n"', r'"Output":"\1\\tPKG\\tT\\n"', line)
        line = re.sub(r'\(\d+\.\d+s\)', '(0.00s)', line)
        line = re.sub(r'test timed out after .*', 'test timed out after D', line)
        out.append(line)
    return '\n'.join(out)


def read_args(case):
    path = os.path.join(case, 'args')
    if not os.path.exists(path):
        return []
    with open(path) as f:
        return [l for l in f.read().split('\n') if l != '']


def regen(case):
    tmp = tempfile.mkdtemp(prefix='csp_gotest_')
    try:
        with open(os.path.join(tmp, 'go.mod'), 'w') as f:
            f.write('module example\n\ngo 1.19\n')
        for name in os.listdir(case):
            if name.endswith('.csp'):
                shutil.copy(os.path.join(case, name), os.path.join(tmp, name[:-4] + '.go'))
        env = dict(os.environ, GOMAXPROCS='1', GOFLAGS='-count=1', GO111MODULE='on')
        proc = subprocess.run(['go', 'test'] + read_args(case), cwd=tmp, env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        with open(os.path.join(case, 'expected.stdout'), 'w') as f:
            f.write(normalise(proc.stdout))
        with open(os.path.join(case, 'expected.status'), 'w') as f:
            f.write('%d\n' % proc.returncode)
        print('%s: status %d' % (case, proc.returncode))
    finally:
        shutil.rmtree(tmp)


def check(csp, case):
    env = dict(os.environ, CSP_SEED='1')
    proc = subprocess.run([csp, 'test'] + read_args(case), cwd=case, env=env,
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=100)
    got = normalise(proc.stdout)
    with open(os.path.join(case, 'expected.stdout')) as f:
        want = f.read()
    with open(os.path.join(case, 'expected.status')) as f:
        want_status = int(f.read().strip())
    ok = True
    if got != want:
        print('--- output differs\n--- want:\n%s\n--- got:\n%s' % (want, got))
        ok = False
    if proc.returncode != want_status:
        print('--- status: want %d, got %d' % (want_status, proc.returncode))
        ok = False
    return 0 if ok else 1


def main():
    if len(sys.argv) >= 2 and sys.argv[1] == 'regen':
        cases = sys.argv[2:] or sorted(os.path.join(ROOT, d) for d in os.listdir(ROOT)
                                       if not d.startswith('_') and os.path.isdir(os.path.join(ROOT, d)))
        for case in cases:
            regen(case)
        return 0
    if len(sys.argv) == 4 and sys.argv[1] == 'check':
        return check(os.path.abspath(sys.argv[2]), sys.argv[3])
    print(__doc__)
    return 2


if __name__ == '__main__':
    sys.exit(main())
