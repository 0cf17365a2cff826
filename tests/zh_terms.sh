#!/usr/bin/env bash
# One Chinese term per concept across the briefing, workbooks, scorecards
# and mail (issue 13 point 6): every zh_CN text comes from templates/zh_CN
# (and the taxonomy's labels), so a second word for a concept there is a
# second word in some output.  Each line below: the word we use, then the
# words that must not stand for it.
here=$(cd "$(dirname "$0")/.." && pwd)
pass=0 fail=0
while IFS='|' read -r use avoid; do
    [ -z "$use" ] && continue
    hits=$(grep -nE "$avoid" "$here"/templates/zh_CN/*.ini "$here"/config/taxonomy.ini |
        grep -vE '^[^:]+:[0-9]+:[[:space:]]*;')
    if [ -n "$hits" ]; then
        echo "FAIL: write \"$use\", not /$avoid/:"; echo "$hits"
        fail=$((fail + 1))
    else
        pass=$((pass + 1))
    fi
done <<'TERMS'
任务|作业
话题|主题
触点|接触点
期|([^命]|^)周期
贬损者|批评者
被动者|中立者
样本不足|样本量不足|低样本
TERMS
echo "zh_terms: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
