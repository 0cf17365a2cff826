#!/usr/bin/python3
"""The C files whose queries moved to sql/ keep none behind (docs/sql.md):
no SQL text in a C string (BEGIN, COMMIT and ROLLBACK are transaction
control, not queries) and no result cell read by position (db_ll(r, i, 3),
PQgetvalue), since a file's columns are read by name.  Fails naming the
file and line.  Every C file is checked but those listed in NOT_YET."""
import os
import re
import sys

root = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), '..'))
# Every C file of the program, but the two that run the files (the
# mechanism itself) and those whose queries have not moved yet (NOT_YET:
# issue 14, to empty).
MECHANISM = {'jobs/base/db.c', 'jobs/base/sql_file.c'}
# file: why it builds SQL text itself
BUILT_FROM_CATALOGUE = {
    'jobs/extract/contract.c': 'the views src_<view> list the columns the data contract names '
                               '(contract_tables), a present or a substitute column each',
}
NOT_YET = set()
FILES = sorted(
    os.path.relpath(os.path.join(dp, f), root)
    for top in ('jobs', 'report', 'classify')
    for dp, _, fn in os.walk(os.path.join(root, top))
    for f in fn if f.endswith('.c'))
FILES = [f for f in FILES if f not in MECHANISM and f not in NOT_YET and f not in BUILT_FROM_CATALOGUE]
SQL_IN_STRING = re.compile(r'"[^"\n]*\b(SELECT|INSERT INTO|UPDATE|DELETE FROM|CREATE|ALTER TABLE|COPY|'
                           r'FROM \{res\}|FROM \{src\}|pg_\w+\()[^"\n]*"')
# a literal column number: db_ll(r, i, 3); a column looked up by name once
# (c = db_col(r, "body"), then PQgetvalue(r, 0, c) for a streamed row) is fine
BY_POSITION = re.compile(r'\b(db_ll|db_text|db_double|PQgetvalue|PQgetisnull|PQgetlength)\s*\(\s*[^,()]+,\s*[^,()]+,\s*\d+\s*[,)]')


def without_comments(text):
    # keeps line numbers: a comment becomes as many newlines as it held
    return re.sub(r'/\*.*?\*/|//[^\n]*', lambda m: '\n' * m.group(0).count('\n'), text, flags=re.S)


bad = []
for rel in FILES:
    lines = without_comments(open(os.path.join(root, rel), encoding='utf-8').read()).split('\n')
    for no, line in enumerate(lines, 1):
        if SQL_IN_STRING.search(line):
            bad.append(f'{rel}:{no}: SQL in a C string: move it to a file under sql/')
        m = BY_POSITION.search(line)
        if m:
            bad.append(f'{rel}:{no}: {m.group(1)} reads a cell by position: name the column '
                       '(db_get_ll, db_get_text, db_get_double)')

for b in bad:
    print(b)
print(f'sql_in_c: {len(FILES)} files, {0 if bad else 1} passed, {1 if bad else 0} failed')
sys.exit(1 if bad else 0)
