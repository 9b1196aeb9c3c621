#!/usr/bin/env python3
"""Regenerate <case>.stdout/.stderr/.status for tests/scripts cases with the Go toolchain.

Usage: python3 tests/scripts/_tools/regen.py [path/to/case.csp ...]   (no args: all cases)

Each case is copied to a temp dir as <case>.go, built with -gcflags=all=-l (so every
frame shows in panic traces) and run. Compiler output is rewritten into csp's
diagnostic format (source line + caret, newer-Go wording for unused vars/imports);
panic traces are rewritten into csp's trace format. Cases using Go 1.22 features have a
Go 1.19 equivalent in _tools/go119/<feature>/<case>.go, which is run instead.
"""
import os, re, subprocess, sys, shutil, glob, tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
EQUIV = os.path.join(HERE, 'go119')  # Go 1.19 equivalents: go119/<feature>/<case>.go
BUILD = os.path.join(tempfile.gettempdir(), 'csp_regen')

def msg_rewrite(m):
    m = re.sub(r'^(\S+) declared but not used$', r'declared and not used: \1', m)
    m = re.sub(r'^(".*") imported but not used$', r'\1 imported and not used', m)
    m = re.sub(r'^(".*") imported but not used as (\S+)$', r'\1 imported as \2 and not used', m)
    m = re.sub(r'^imported and not used: (".*")$', r'\1 imported and not used', m)
    return m

def compile_errors(err, src_lines, fname, gofile):
    out = []
    cur = None
    errs = []
    for line in err.splitlines():
        if line.startswith('# '):
            continue
        m = re.match(r'^\./' + re.escape(gofile) + r':(\d+):(\d+): (.*)$', line)
        if m:
            cur = [int(m.group(1)), int(m.group(2)), msg_rewrite(m.group(3)), []]
            errs.append(cur)
        elif line.startswith('\t') and cur is not None:
            cur[3].append(line.replace('./' + gofile + ':', fname + ':'))
        else:
            raise SystemExit('unparsed compiler line: %r' % line)
    for l, c, msg, cont in errs:
        if msg.startswith('too many errors'):
            raise SystemExit('too many errors')
        src = src_lines[l - 1] if l - 1 < len(src_lines) else ''
        caret = ''.join(ch if ch == '\t' else ' ' for ch in src[:c - 1]) + '^'
        out.append('%s:%d:%d: %s\n' % (fname, l, c, msg))
        for x in cont:
            out.append(x + '\n')
        out.append(src + '\n')
        out.append(caret + '\n')
    return ''.join(out)

def frame_line(loc, fname, gofile):
    lm = re.match(r'^\t.*/' + re.escape(gofile) + r':(\d+)( \+0x[0-9a-f]+)?( fp=.*)?$', loc)
    if not lm:
        raise SystemExit('unexpected loc %r' % loc)
    return '\t%s:%s\n' % (fname, lm.group(1))

def goroutine_section(lines, fname, gofile):
    """One 'goroutine N [state]:' block: frames as name(...)/name() + file:line, then
    'created by F' + file:line for goroutines started by a go statement."""
    out = lines[0] + '\n'
    k = 1
    while k < len(lines):
        fn = lines[k]
        if fn == '...additional frames elided...':
            out += fn + '\n'; k += 1; continue
        m = re.match(r'^created by ([\w.]+)$', fn)
        if m:
            out += 'created by %s\n' % m.group(1) + frame_line(lines[k + 1], fname, gofile)
            k += 2; continue
        # runtime.gopanic shows as panic(...) between a deferred call and the frames the
        # panic unwinds; its location is kept as -trimpath shows it: runtime/panic.go:LINE.
        m = re.match(r'^(main\.(?:\(\*\w+\)\.)?[\w.]+|panic)\((.*)\)$', fn)
        if not m:
            raise SystemExit('unexpected frame %r' % fn)
        args = '...' if m.group(2) else ''
        if m.group(1) == 'panic':
            lm = re.match(r'^\t.*/src/(runtime/panic\.go):(\d+)( \+0x[0-9a-f]+)?$', lines[k + 1])
            if not lm:
                raise SystemExit('unexpected loc %r' % lines[k + 1])
            out += 'panic(...)\n\t%s:%s\n' % (lm.group(1), lm.group(2))
        else:
            out += '%s(%s)\n' % (m.group(1), args) + frame_line(lines[k + 1], fname, gofile)
        k += 2
    return out

def trace(err, fname, gofile):
    """Go's panic or fatal-error output in csp's format: the message lines, a blank line,
    then each goroutine section separated by blank lines. The [signal ...] line's code,
    addr (a field's offset in Go's layout) and pc are machine-specific; csp prints them
    as below."""
    lines = err.split('\n')
    i = next(k for k, l in enumerate(lines) if re.match(r'^goroutine \d+ \[', l))
    head = [re.sub(r'^\[signal (SIG\w+): (.*) code=\S+ addr=\S+ pc=\S+\]$',
                   r'[signal \1: \2 code=0x1 addr=0x0 pc=0x0]', l) for l in lines[:i]]
    if 'fatal error: stack overflow' in lines:
        # Go adds the runtime's own stack and other goroutines: csp shows the overflowing one.
        head = [l for l in lines[:lines.index('fatal error: stack overflow') + 1]
                if not l.startswith('runtime: sp=')] + ['']
        end = lines.index('', i)
        lines = lines[:end]
    sections, cur = [], []
    for l in lines[i:]:
        if l == '':
            if cur: sections.append(cur); cur = []
        else:
            cur.append(l)
    if cur: sections.append(cur)
    return '\n'.join(head) + '\n' + '\n'.join(goroutine_section(sec, fname, gofile) for sec in sections)

def gen(case):
    feature = os.path.basename(os.path.dirname(case))
    name = os.path.basename(case)[:-4]
    fname = name + '.csp'
    src = open(case).read()
    run_src = src
    eq = os.path.join(EQUIV, feature, name + '.go')
    if os.path.exists(eq):
        run_src = open(eq).read()
    d = os.path.join(BUILD, feature + '__' + name)
    shutil.rmtree(d, ignore_errors=True)
    os.makedirs(d)
    gofile = name + '.go'
    open(os.path.join(d, gofile), 'w').write(run_src)
    b = subprocess.run(['go', 'build', '-gcflags=all=-l', '-o', 'bin', gofile], cwd=d,
                       capture_output=True, text=True)
    base = case[:-4]
    if b.returncode != 0:
        # Script-mode cases (no package clause) have equivalents whose errors stand at
        # the script's own lines and columns.
        if run_src != src and feature != 'script_mode':
            raise SystemExit('equivalent does not compile: ' + case)
        stdout, stderr, status = '', compile_errors(b.stderr, src.split('\n'), fname, gofile), 1
    else:
        # csp schedules like Go with GOMAXPROCS=1 (and numbers goroutines the same way)
        env = dict(os.environ, GOMAXPROCS='1')
        r = subprocess.run(['./bin'], cwd=d, capture_output=True, text=True, timeout=30, env=env)
        stdout, stderr, status = r.stdout, r.stderr, r.returncode
        if status == 2 and re.search(r'^goroutine \d+ \[', stderr, re.M):
            stderr = trace(stderr, fname, gofile)
    open(base + '.stdout', 'w').write(stdout)
    for ext, val, empty in (('.stderr', stderr, ''), ('.status', '%d\n' % status, '0\n')):
        p = base + ext
        if val != empty:
            open(p, 'w').write(val)
        elif os.path.exists(p):
            os.remove(p)
    print('%-45s status=%d%s' % (feature + '/' + name, status, ' (equiv)' if run_src != src else ''))

if __name__ == '__main__':
    cases = sys.argv[1:] or sorted(glob.glob(ROOT + '/*/*.csp'))
    for c in cases:
        gen(os.path.abspath(c))
