#!/usr/bin/env bash
# vocreport suggest-topics on tests/fixtures/suggest.sql: the own-brand
# comments the fixture taxonomy leaves unread hide three planted themes
# (engineer visits, broadband speed, first bill), each in 30 English and 30
# Chinese comments, among noise; competitors write about them too.  Each
# theme must come out as one candidate per language, with its volume (the
# comments its lines tag), negative share, three newest quotes and lines
# that load as a taxonomy and tag the theme's texts; an older theme only
# with --since; --limit; nothing to suggest when every comment matches.
. "$(dirname "$0")/lib.sh"

cfg=$scratch/vocreport.ini
topics_config "$cfg"
fresh_db suggest "$here/fixtures/suggest.sql"

out=$("$bin" suggest-topics --config "$cfg" 2>"$scratch/err")
expect_eq "status" "$?" 0
expect_eq "nothing on stderr" "$(cat "$scratch/err")" ""
printf '%s\n' "$out" > "$scratch/suggested.ini"
expect_match "what was read: own brand only, last 90 days" "$out" \
    '^; vocreport suggest-topics: own-brand feedback received from [0-9-]{10} to [0-9-]{10} \(Europe/Berlin\)'
expect_match "how much is unread" "$out" \
    '; 402 comments with text; 242 \(60\.2 %\) match no topic of .*/topics_taxonomy\.ini'

# One line per candidate: volume|negative %|keywords_en|keywords_zh|quotes
# (date channel: text / ...).
candidates() {
    "$py" - "$1" <<'PY'
import re, sys
blocks, cur = [], None
for line in open(sys.argv[1], encoding='utf-8'):
    line = line.rstrip('\n')
    m = re.match(r'; \d+\. .*: (\d+) unread comments \([0-9.]+ % of them\), (\d+) % negative$', line)
    if m:
        cur = {'volume': m.group(1), 'negative': m.group(2), 'en': '', 'zh': '', 'quotes': []}
        blocks.append(cur)
    elif cur and line.startswith(';    '):
        cur['quotes'].append(line[5:])
    elif cur and line.startswith('keywords_en = '):
        cur['en'] = line[len('keywords_en = '):]
    elif cur and line.startswith('keywords_zh = '):
        cur['zh'] = line[len('keywords_zh = '):]
for b in blocks:
    print('|'.join([b['volume'], b['negative'], b['en'], b['zh'], ' / '.join(b['quotes'])]))
PY
}
cands=$(candidates "$scratch/suggested.ini")
expect_eq "six candidates: three themes in two languages" "$(grep -c '' <<<"$cands")" 6

# A theme: the one candidate whose keywords hold its own words, none of the
# other themes', with all 30 of its comments, 24 of them negative (the
# English engineer theme: 32, 24).
theme() { # name own-words-regex others-regex [volume|negative %]
    local hits
    hits=$(grep -E -- "$2" <<<"$cands")
    expect_eq "$1: one candidate" "$(grep -c '' <<<"$hits")" 1
    expect_match "$1: all its comments, the negative share" "$hits" "^${4:-30|80}|"
    expect_no_match "$1: no word of another theme" "$(cut -d'|' -f3,4 <<<"$hits")" "$3"
    expect_match "$1: three quotes" "$(cut -d'|' -f5 <<<"$hits")" '^[0-9-]{10} [a-z_]+: .* / [0-9-]{10} [a-z_]+: .* / [0-9-]{10} [a-z_]+: '
    expect_eq "$1: three different texts" \
        "$(cut -d'|' -f5 <<<"$hits" | sed 's| / |\n|g' | sed 's/^[^:]*: //' | sort -u | grep -c '')" 3
}
theme "engineer visits (en)" '\|[^|]*\bengineer\b[^|]*\|\|' 'broadband|speed|bill|宽带|首月' '32|75'
theme "broadband speed (en)" '\|[^|]*\bbroadband\b[^|]*\|\|' 'engineer|technician|appointment|bill|工程师'
theme "first bill (en)" '\|[^|]*\bfirst bill\b[^|]*\|\|' 'engineer|broadband|speed|上门'
theme "engineer visits (zh)" '\|\|[^|]*工程师' 'engineer|宽带|网速|首月|话费'
theme "broadband speed (zh)" '\|\|[^|]*宽带' 'broadband|工程师|上门|首月'
theme "first bill (zh)" '\|\|[^|]*首月' 'bill|宽带|工程师'
engineer=$(grep -E '\bengineer\b' <<<"$cands" | cut -d'|' -f3)
expect_match "engineer: technician with it" "$engineer" '\btechnician\b'
expect_match "engineer: appointment with it" "$engineer" '\bappointment\b'
expect_match "broadband: speed and connection with it" "$(grep -E '\bbroadband\b' <<<"$cands")" \
    '^[^|]*\|[^|]*\|[^|]*\bspeed\b[^|]*\bconnection\b'
expect_match "宽带 with 网速 and 断网" "$(grep '宽带' <<<"$cands")" '宽带, 断网, 网速|宽带.*网速.*断网|宽带.*断网.*网速'
expect_match "quotes newest first, of the theme" "$(grep '首月' <<<"$cands" | cut -d'|' -f5)" \
    '^([0-9-]{10}) [a-z_]+: (首月|第一个月)[^/]* / ([0-9-]{10}) '
expect_no_match "no competitor quote" "$out" 'Acme'

# The output is a taxonomy: it loads, and its topics tag the themes' texts.
tagged=$(printf '%s\n' 'The technician missed my appointment' '我家宽带又断网了' 'My first bill is wrong' \
    'Thanks for everything' | "$bin" classify --config "$cfg" --taxonomy "$scratch/suggested.ini" 2>&1)
expect_eq "the lines load and tag" "$(cut -f2 <<<"$tagged" | tr '\n' ' ')" \
    "$(sed -n 's/^\[topic\.\(appointment\|engineer\|technician\)\]$/\1/p' "$scratch/suggested.ini") $(
       grep -B4 '^keywords_zh = .*宽带' "$scratch/suggested.ini" | sed -n 's/^\[topic\.\(.*\)\]$/\1/p') bill  "

# An older theme (parking, 200 days ago) only with --since.
expect_no_match "old theme outside the default window" "$out" 'parking|停车'
since=$(date -d '300 days ago' +%F)
old=$("$bin" suggest-topics --config "$cfg" --since "$since" 2>&1)
expect_match "--since: the old theme in both languages" "$old" 'keywords_en = parking'
expect_match "--since: 停车" "$old" 'keywords_zh = 停车'
expect_match "--since: 422 comments" "$old" "received from $since .*
; 422 comments with text"

# --limit: the largest first, and the rest announced.
two=$("$bin" suggest-topics --config "$cfg" --limit 2 2>&1)
expect_eq "--limit 2: two blocks" "$(grep -c '^\[topic\.' <<<"$two")" 2
expect_match "--limit 2: more announced" "$two" '2 candidate topics for them below, the largest first \(more with --limit\)'

# Nothing unread in the window: said, and no block.
none=$("$bin" suggest-topics --config "$cfg" --since "$(date -d tomorrow +%F)" 2>&1)
expect_eq "empty window: status" "$?" 0
expect_match "empty window: said" "$none" '; 0 comments with text; 0 \(0\.0 %\).*
; every comment matches a topic: nothing to suggest'

# A body without words is not a comment with text: digits, punctuation, one
# Latin letter, an emoji are left out; one Chinese character is a word.
sql "INSERT INTO voc.feedback (feedback_id, customer_id, received_at, channel, body)
     VALUES (9101, 1, now() - interval '1 day', 'app', '10'),
            (9102, 1, now() - interval '1 day', 'app', '?!'),
            (9103, 1, now() - interval '1 day', 'app', 'a'),
            (9104, 1, now() - interval '1 day', 'app', '😀'),
            (9105, 1, now() - interval '1 day', 'app', '好')"
words=$("$bin" suggest-topics --config "$cfg" 2>&1)
expect_match "no words: only the Chinese character joins the 402" "$words" '^; 403 comments with text; '
finish
