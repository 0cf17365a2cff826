#!/usr/bin/python3
"""Data flows one way: config -> extract -> compute -> render -> publish ->
deliver.  A folder may include the headers of the folders before it in
LAYERS, never of one after it: the compute stage cannot reach a renderer or
the mail, a renderer reads the model and never the source, and classify/
stands on the base library alone.  Fails on every include that runs
against the flow, naming the file and line."""
import os
import re
import sys

# folder: the folders whose headers it may include (besides its own)
LAYERS = {
    'jobs/base': set(),
    'classify': {'jobs/base'},
    'jobs/config': {'jobs/base'},
    'jobs/model': {'jobs/base', 'jobs/config'},
    'jobs/extract': {'jobs/base', 'jobs/config', 'jobs/model', 'classify'},
    'jobs/compute': {'jobs/base', 'jobs/config', 'jobs/model', 'jobs/extract', 'classify'},
    'report': {'jobs/base', 'jobs/config', 'jobs/model', 'classify'},
    'jobs/results': {'jobs/base', 'jobs/config', 'jobs/model'},
    'jobs/deliver': {'jobs/base', 'jobs/config', 'jobs/model', 'jobs/results', 'report'},
    'jobs/run': None,  # orchestration and commands: may include every stage
}

INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"')


def folder_of(path):
    for f in sorted(LAYERS, key=len, reverse=True):
        if path.startswith(f + '/'):
            return f
    return None


def check(root):
    bad = []
    for top in ('jobs', 'report', 'classify'):
        for dirpath, _, files in os.walk(os.path.join(root, top)):
            for name in sorted(files):
                if not name.endswith(('.c', '.h')):
                    continue
                path = os.path.relpath(os.path.join(dirpath, name), root)
                here = folder_of(path)
                if here is None:
                    bad.append(f'{path}: not in a stage folder (tests/include_direction.py LAYERS)')
                    continue
                with open(os.path.join(root, path), encoding='utf-8') as f:
                    for line_no, line in enumerate(f, 1):
                        m = INCLUDE.match(line)
                        if not m:
                            continue
                        target = m.group(1)
                        if '/' not in target:
                            target = os.path.join(os.path.dirname(path), target)
                        target = os.path.normpath(target)
                        there = folder_of(target)
                        if there is None or there == here or LAYERS[here] is None:
                            continue
                        if there not in LAYERS[here]:
                            bad.append(f'{path}:{line_no}: includes {m.group(1)} ({there}), '
                                       f'against the flow: {here} may include only '
                                       f'{", ".join(sorted(LAYERS[here])) or "itself"}')
    return bad


def main():
    root = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), '..')
    bad = check(os.path.abspath(root))
    for b in bad:
        print(b)
    print(f'include_direction: {0 if bad else 1} passed, {1 if bad else 0} failed')
    return 1 if bad else 0


if __name__ == '__main__':
    sys.exit(main())
