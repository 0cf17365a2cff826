#!/usr/bin/env bash
# The report mail's HTML alternative (report/mailhtml.c, report/mailchart.c;
# issue 13 point 9), received by a real local SMTP server and read with
# Python's email package (tests/check_mail_html.py): the MIME structure
# (alternative: text + related(html + image/png by cid)), the figures in the
# HTML equal kpi_values, the five best findings in rank order, a department
# head's mail holds only its own KPI lines; then Debian's headless Chromium
# renders the executive and a head's mail at a phone's 390 px, light and
# dark, in en_US and zh_CN, and the pictures must not be blank.  The leak
# check of the HTML (leak_check_text) has its rules in test_leakcheck.
#   eval "$(scripts/pg.sh env var/pg-test)"; VR_TEST_BIN=build-asan/vocreport tests/integration_mail_html.sh
# VR_MAIL_SHOTS=DIR keeps the screenshots there, to look at them.
. "$(dirname "$0")/lib.sh"

. "$(dirname "$0")/delivery_lib.sh"

chromium=$(command -v chromium || true)
shots=${VR_MAIL_SHOTS:-$scratch/shots}
mkdir -p "$shots"

# screenshot HTML PNG [dark]: the page at 390 px wide, as a phone shows it
screenshot() {
    local flags=(--headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=390,1400
                 --user-data-dir="$scratch/chromium")
    [ "${3:-}" = dark ] && flags+=(--force-dark-mode)
    timeout 60 "$chromium" "${flags[@]}" --screenshot="$2" "file://$1" >"$scratch/chromium.log" 2>&1
}

# not_blank PNG BACKGROUND: share of pixels in the top 900 px that differ
# from the page's background, and how many distinct colours there are
not_blank() {
    "$py" - "$1" <<'EOF'
import sys
from PIL import Image
im = Image.open(sys.argv[1]).convert("RGB")
w, h = im.size
crop = im.crop((0, 0, w, min(h, 900)))
px = list(crop.getdata())
bg = max(set(px[::97]), key=px[::97].count)
other = sum(1 for p in px if sum(abs(a - b) for a, b in zip(p, bg)) > 60)
print("%dx%d ink %.3f colours %d bg %s" % (w, h, other / len(px), len(set(px)), "dark" if sum(bg) < 200 else "light"))
EOF
}

for locale in en_US zh_CN; do
    cfg=$scratch/vocreport-$locale.ini
    fresh_db "mail_html_${locale,,}" "$top/tests/fixtures/small.sql"
    port=$(free_port)
    box=$scratch/box-$locale
    start_server "$port" "$box"
    wait_port "$port" || bad "$locale: smtp server on $port did not start"
    mail_config "$cfg" "$port" "s/^locale = .*/locale = $locale/"
    "$bin" init-db --config "$cfg" >/dev/null 2>&1 || bad "$locale: init-db"
    run_job "$cfg"
    expect_eq "$locale: run exit status" "$status" 0 || tail -5 "$scratch/err"
    stop_servers
    sql "SELECT code, dims, coalesce(value::text, ''), coalesce(n::text, ''), coalesce(flag, '')
         FROM vocreport.kpi_values WHERE run_id = $run_id" >"$scratch/figures-$locale"
    exact=""
    [ "$locale" = en_US ] && exact=--exact
    out=$("$py" "$top/tests/check_mail_html.py" "$box" "$scratch/figures-$locale" "$cfg" \
          "$scratch/html-$locale" $exact 2>&1)
    expect_match "$locale: HTML mail checks" "$out" '^ok [0-9]+$'
    expect_no_match "$locale: HTML mail checks, no failure" "$out" '^FAIL' || grep "^FAIL" <<<"$out" | head -20
    expect_eq "$locale: eight messages received" "$(ls "$box/new" | wc -l)" 8

    if [ -z "$chromium" ]; then
        bad "no chromium on PATH (scripts/setup.sh installs it)"
        continue
    fi
    for who in ceo logistics.head; do
        for mode in light dark; do
            png="$shots/$locale-$who-$mode.png"
            screenshot "$scratch/html-$locale/$who.html" "$png" "$mode"
            expect_eq "$locale $who $mode: chromium rendered it" "$?" 0 || tail -3 "$scratch/chromium.log"
            got=$(not_blank "$png")
            # ink: text, tiles and chart cover a real share of the page
            expect_match "$locale $who $mode: a 390 px page with content ($got)" "$got" \
                '^390x1400 ink 0\.(0[3-9]|[1-9])[0-9]* colours [0-9]{3,}'
            expect_match "$locale $who $mode: background follows the mode ($got)" "$got" "bg $mode\$"
        done
    done
done

# The Chinese chart draws its month names with the CJK font: its texts
# differ from the English one's, and the picture is not the same.
expect_no_match "zh_CN chart differs from en_US" \
    "$(cmp "$scratch/html-en_US/ceo-chart.png" "$scratch/html-zh_CN/ceo-chart.png" 2>&1)" '^$'

finish
