#!/bin/sh
# Checks a briefing rendered from the sample model of tests/render_sample.c:
#
#   render_sample pdf OUT.pdf templates LOCALE FONT && check_pdf.sh OUT.pdf LOCALE
#
# - qpdf --check passes (a well-formed PDF);
# - 1 or 2 pages, every one A4 portrait (595 x 842 pt);
# - the extracted text holds the labels and figures of the sample model in
#   the locale, the Chinese verbatim in both locales, and no template key or
#   unfilled {placeholder}.
# Exit status: 0 all checks pass, 1 a check failed (each failure is named on
# stderr), 2 usage error or a missing tool.
set -u

if [ $# -ne 2 ]; then
    echo "usage: check_pdf.sh FILE.pdf en_US|zh_CN" >&2
    exit 2
fi
file=$1
locale=$2
for tool in qpdf pdfinfo pdftotext; do
    if ! command -v "$tool" >/dev/null 2>&1; then
        echo "check_pdf: \"$tool\" not found (apt-get install qpdf poppler-utils)" >&2
        exit 2
    fi
done
if [ ! -s "$file" ]; then
    echo "check_pdf: \"$file\" is missing or empty" >&2
    exit 1
fi

failures=0
fail() {
    echo "check_pdf: $file: $*" >&2
    failures=$((failures + 1))
}

# 1. Structure.
if ! out=$(qpdf --check "$file" 2>&1); then
    fail "qpdf --check failed:"
    printf '%s\n' "$out" | sed 's/^/    /' >&2
fi

# 2. Pages: 1 or 2, each A4 portrait.  poppler warns about libharu's
# ToUnicode CMap on stderr (PLATFORM.md); that is harmless and ignored.
pages=$(pdfinfo "$file" 2>/dev/null | awk '/^Pages:/ { print $2 }')
case "$pages" in
1 | 2) ;;
*) fail "expected 1 or 2 pages, found \"${pages:-none}\"" ;;
esac
if [ -n "$pages" ] && [ "$pages" -ge 1 ] 2>/dev/null; then
    sizes=$(pdfinfo -f 1 -l "$pages" "$file" 2>/dev/null |
        awk '/^Page +[0-9]+ size:/ { printf "%s %.0f %.0f\n", $2, $4, $6 }')
    [ -n "$sizes" ] || fail "pdfinfo reports no page sizes"
    while read -r page w h; do
        [ -n "$page" ] || continue
        if [ "$w" != 595 ] || [ "$h" != 842 ]; then
            fail "page $page is ${w} x ${h} pt, expected A4 595 x 842"
        fi
    done <<EOF
$sizes
EOF
fi

# 3. Text: white space squeezed, so a phrase is found whatever the layout.
text=$(pdftotext -enc UTF-8 "$file" - 2>/dev/null | tr -s '[:space:]' ' ')
if [ -z "$text" ]; then
    fail "pdftotext extracted no text"
    echo "check_pdf: $file: $failures check(s) failed" >&2
    exit 1
fi

expect() {
    for want in "$@"; do
        case "$text" in
        *"$want"*) ;;
        *) fail "text \"$want\" not found" ;;
        esac
    done
}

# Both locales: the sample's figures and its verbatims as written.
expect "45" "±9.9" "+7.5" "200" "EUR" "120.00 EUR" "585.58 EUR" "3.0" \
    "送货太慢了" "The refund took three weeks and nobody answered my emails." \
    "Europe/Berlin" "3f5a0c0e9d1b" "0.1.0" "2026-10-01 02:00:03"

case "$locale" in
en_US)
    expect "Voice of the Customer briefing" "Job nightly" "1 Sep 2026" "30 Sep 2026" \
        "as of 1 Oct 2026" \
        "NPS" "CSAT" "81.2 %" "Churn rate" "14.0 %" "VoC ROI" "n/a" "not yet measured" \
        "significant change" \
        "Key findings" "NPS is 45, +7.5 points against the prior period" \
        "Promoters spend 3.0× what detractors spend" "26.0 %" "6.0 %" \
        "Moving 1 % of detractors to passives is worth 120.00 EUR in revenue" \
        "Delivery has the lowest NPS at 31" "fully explained by rows the data checks rejected" \
        "Promoters vs detractors" "Promoters" "Passives" "Detractors" "No score" \
        "Scores by touchpoint" "Overall" "Purchase" "After-sales" "low sample" \
        "What detractors say" "Call centre" "28 Sep 2026" "Run 42"
    ;;
zh_CN)
    expect "客户之声简报" "任务 nightly" "2026年9月1日" "2026年9月30日" "截至 2026年10月1日" \
        "净推荐值 NPS" "满意度 CSAT" "81.2%" "流失率" "14.0%" "投资回报率" "无数据" "尚未测量" \
        "变化显著" \
        "主要结论" "NPS 为 45" "推荐者的消费是贬损者的 3.0 倍" "26.0%" "6.0%" \
        "将 1% 的贬损者转为被动者" "配送的 NPS 最低，为 31" "差额全部" \
        "推荐者与贬损者对比" "推荐者" "被动者" "贬损者" "无评分" \
        "各触点得分" "总体" "购买" "售后" "样本不足" \
        "贬损者原话" "呼叫中心" "2026年9月28日" "运行 42"
    ;;
*)
    echo "check_pdf: unknown locale \"$locale\" (expected en_US or zh_CN)" >&2
    exit 2
    ;;
esac

# No template key shown in place of a text, no placeholder left unfilled.
for leak in "briefing." "tile." "finding." "chart." "table." "date.m" "class." "{" "}"; do
    case "$text" in
    *"$leak"*) fail "text holds \"$leak\": a template key or placeholder was not filled" ;;
    esac
done

if [ "$failures" -ne 0 ]; then
    echo "check_pdf: $file: $failures check(s) failed" >&2
    exit 1
fi
echo "check_pdf: $file ($locale): ok ($pages page(s), A4)"
