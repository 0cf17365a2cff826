#!/usr/bin/python3
"""Every query of sql/ says what it is (docs/sql.md): a header of `--`
lines naming the figures it produces (codes of the metric catalogue,
jobs/config/metrics.c, or "none" for a shared definition) and its
parameters, exactly the :'name' values its body uses; and the program
reads every file (no query left behind that nothing runs)."""
import os
import re
import sys

root = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), '..'))
catalogue = set(re.findall(r'^\s*(?:C|T0|T1)\("([^"]+)"', open(os.path.join(root, 'jobs/config/metrics.c')).read(), re.M))
sources = ''
for top in ('jobs', 'report', 'classify'):
    for dp, _, fn in os.walk(os.path.join(root, top)):
        for f in fn:
            if f.endswith('.c'):
                sources += open(os.path.join(dp, f), encoding='utf-8').read()


def header_field(header, key):
    m = re.search(r'\b' + key + r':(.*?)(?=\b(?:Figures|Parameters|Reads):|\Z)', header, re.S)
    return m.group(1) if m else None


def strip_quoted(body):
    # literals, quoted identifiers and comments hold no parameter
    return re.sub(r"--[^\n]*|/\*.*?\*/|\$\$.*?\$\$", ' ', body, flags=re.S)


bad = []
files = 0
for dp, dirs, fn in os.walk(os.path.join(root, 'sql')):
    dirs[:] = [d for d in dirs if d != 'demo']
    for f in sorted(fn):
        if not f.endswith('.sql'):
            continue
        files += 1
        path = os.path.join(dp, f)
        rel = os.path.relpath(path, os.path.join(root, 'sql'))
        text = open(path, encoding='utf-8').read()
        lines = text.split('\n')
        head = []
        for line in lines:
            if not line.startswith('--'):
                break
            head.append(line[2:].strip())
        header = ' '.join(head)
        body = '\n'.join(lines[len(head):])
        figs = header_field(header, 'Figures')
        params = header_field(header, 'Parameters')
        if figs is None or params is None:
            bad.append(f'sql/{rel}: the header must name its Figures: and Parameters:')
            continue
        fig_list = re.split(r'\.(?:\s|$)', figs.strip(), maxsplit=1)[0]
        for code in (c.strip() for c in fig_list.split(',')):
            if code == 'none':
                continue
            if code.endswith('.*'):
                if not any(k.startswith(code[:-1]) for k in catalogue):
                    bad.append(f'sql/{rel}: Figures: no code of the catalogue matches {code}')
            elif code not in catalogue:
                bad.append(f'sql/{rel}: Figures: {code!r} is not a code of jobs/config/metrics.c')
        declared = set()
        plist = re.split(r'[(.]', params.strip(), maxsplit=1)[0]
        for p in (x.strip() for x in plist.split(',')):
            if p and p != 'none':
                declared.add(p)
        used = set(re.findall(r"(?<!:):'([A-Za-z_][A-Za-z0-9_]*)'", strip_quoted(body)))
        if used != declared:
            bad.append(f'sql/{rel}: Parameters: says {sorted(declared)}, the body uses {sorted(used)}')
        run_by_loop = rel.startswith('defs/') and 'db_define_all(' in sources
        if f'"{rel}"' not in sources and not run_by_loop:
            bad.append(f'sql/{rel}: no C file runs it')

for b in bad:
    print(b)
print(f'sql_files: {files} files, {0 if bad else 1} passed, {1 if bad else 0} failed')
sys.exit(1 if bad else 0)
