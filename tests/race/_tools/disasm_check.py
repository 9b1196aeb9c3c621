#!/usr/bin/env python3
"""-race changes nothing unless asked: for every program of the corpus, the bytecode
compiled without the flag has no RACE opcode, and the bytecode compiled with it is the
same once its RACE lines are removed (apart from instruction numbering and counts).
Usage: disasm_check.py CSP tests/race
"""
import glob
import os
import re
import subprocess
import sys

csp, directory = sys.argv[1], sys.argv[2]


def listing(path, race):
    args = [csp, 'disasm'] + (['--race'] if race else []) + [path]
    out = subprocess.run(args, capture_output=True, text=True, check=True).stdout
    lines = []
    for line in out.split('\n'):
        if line.startswith('function '):
            line = re.sub(r', \d+ instructions\)', ')', line)
        m = re.match(r'^\s+\d+\s+(\d+\s+\S.*)$', line)
        if m:
            line = m.group(1)
            # jump offsets and targets move by the RACE opcodes in between
            line = re.sub(r'^(\d+\s+(JMP|JMPIF|JMPIFNOT|JEQ|JNE|JLT|JLE|JLTU|JLEU|JEQK|JNEK|JLTK|JLEK|JGTK|JGEK|RUNDEFERS|DEFER)\b.*?)(-?\d+)?(\s*; .*)?$',
                          lambda j: j.group(1), line)
        lines.append(line)
    return lines


failures = 0
instrumented = 0
cases = sorted(glob.glob(os.path.join(directory, '*.csp')))
for path in cases:
    plain = listing(path, False)
    raced = listing(path, True)
    if any(re.match(r'^\d+\s+RACE\b', line) for line in plain):
        print(f'{path}: RACE without -race')
        failures += 1
    stripped = [line for line in raced if not re.match(r'^\d+\s+RACE\b', line)]
    instrumented += len(stripped) != len(raced)
    if stripped != plain:
        print(f'{path}: -race changed more than RACE opcodes')
        failures += 1
print(f'{len(cases)} programs checked, {instrumented} instrumented by -race')
if instrumented < len(cases) // 2:
    print('-race instrumented too few programs')
    failures += 1
sys.exit(1 if failures else 0)
