#!/usr/bin/env bash
# Unsafe or non-reentrant libc calls are not used anywhere (git's banned.h
# idea, as a check): use snprintf, strbuf, gmtime_r/localtime_r.
here=$(cd "$(dirname "$0")/.." && pwd)
hits=$(grep -nE '\b(strcpy|strcat|sprintf|vsprintf|strtok|gmtime|localtime|asctime|ctime|gets)\s*\(' \
    "$here"/jobs/*/*.c "$here"/report/*.c "$here"/classify/*.c "$here"/tests/*.c "$here"/tests/fuzz/*.c \
    "$here"/bench/*.c)
if [ -n "$hits" ]; then
    echo "banned calls:"; echo "$hits"; echo "banned_calls: 0 passed, 1 failed"; exit 1
fi
echo "banned_calls: 1 passed, 0 failed"
