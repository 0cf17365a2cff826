#!/bin/sh
# Checks a briefing rendered from the sample model of tests/render_sample.c:
#
#   render_sample pdf OUT.pdf templates LOCALE FONT && check_pdf.sh OUT.pdf LOCALE
#
# - qpdf --check passes (a well-formed PDF);
# - 1 or 2 pages (outputs.md), every one A4 portrait (595 x 842 pt);
# - the document language (catalog /Lang en-US or zh-CN) and one bookmark
#   per section, in reading order, each opening its section's page;
# - the extracted text holds the labels and figures of the sample model in
#   the locale, the Chinese verbatim in both locales, and no template key or
#   unfilled {placeholder};
# - the top complaints ordered by revenue at risk with their negative
#   counts, changes and revenue at risk (computed here from the sample's
#   cohorts: MAX(a churn - b churn, 0) x a customers x ltv_all), "low
#   sample" and "not significant" in words; the workbook's example comments
#   per topic are not in the briefing;
# - the five best ranked findings in rank order, each with its owner, its
#   money and its next step, and none of those ranked below them or worth
#   n/a; the VoC ROI tile and the experiment's ROI as signed percentages
#   with one decimal and their 95 % interval, never a multiple (×);
# - the trend block over the sample's twelve periods with the latest values.
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

# 2. Pages: 1 to 3, each A4 portrait.  poppler warns about libharu's
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

# 2b. Language and bookmarks: "title@page" per outline entry, in order.
lang_outline=$(qpdf --json "$file" 2>/dev/null | /usr/bin/python3 -c '
import json, sys
j = json.load(sys.stdin)
root = j["qpdf"][1]["trailer"]["value"]["/Root"]
lang = j["qpdf"][1]["obj:" + root]["value"].get("/Lang", "")
print(lang[2:] if lang.startswith("u:") else lang)
for o in j.get("outlines", []):
    print("%s@%s" % (o["title"], o["destpageposfrom1"]))
' 2>&1)
want_lang=en-US
want_outline="Headline figures@1
Key findings@1
Trends@1
What detractors say@1
Promoters vs detractors@2
Top complaints@2
Customer journey@2
Departments against their targets@2"
if [ "$locale" = zh_CN ]; then
    want_lang=zh-CN
    want_outline="核心指标@1
主要结论@1
趋势@1
贬损者原话@1
推荐者与贬损者对比@2
主要投诉@2
客户旅程@2
各部门目标完成情况@2"
fi
got_lang=$(printf '%s\n' "$lang_outline" | head -1)
[ "$got_lang" = "$want_lang" ] || fail "document language (/Lang) is \"$got_lang\", expected \"$want_lang\""
got_outline=$(printf '%s\n' "$lang_outline" | tail -n +2)
if [ "$got_outline" != "$want_outline" ]; then
    fail "bookmarks differ from the sections:"
    printf 'got:\n%s\nwant:\n%s\n' "$got_outline" "$want_outline" | sed 's/^/    /' >&2
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

expect_glob() {
    for pat in "$@"; do
        # shellcheck disable=SC2254
        case "$text" in
        *$pat*) ;;
        *) fail "text matching \"$pat\" not found" ;;
        esac
    done
}

expect_none() {
    for unwanted in "$@"; do
        case "$text" in
        *"$unwanted"*) fail "text \"$unwanted\" found, but should not be there" ;;
        esac
    done
}

# The figures of the top complaints, computed from the sample model of
# tests/render_sample.c: ltv_all = revenue / customers x gross margin /
# churn rate; revenue at risk = MAX(a churn - b churn, 0) x a customers x
# ltv_all; change = (negative - prior) / prior.  Thousands with a comma.
calc() {
    awk -v what="$1" 'function thousands(v,   s, out) {
            s = sprintf("%.0f", v); out = ""
            while (length(s) > 3) { out = "," substr(s, length(s) - 2) out; s = substr(s, 1, length(s) - 3) }
            return s out
        }
        function signed(v) { v = sprintf("%.0f", v); return (v > 0 ? "+" : "") v }
        BEGIN {
            ltv = 190000 / 1000 * 0.35 / 0.14
            gap = 20 / 60 - 0.10; if (gap < 0) gap = 0
            if (what == "risk_app_crash") print thousands(gap * 60 * ltv)
            gap = 0.185 - 0.10; if (gap < 0) gap = 0
            if (what == "risk_late_delivery") print thousands(gap * 150 * ltv)
            gap = 0.14 - 0.10; if (gap < 0) gap = 0
            if (what == "risk_packaging") print thousands(gap * 400 * ltv)
            gap = 17 / 29 - 0.10; if (gap < 0) gap = 0
            if (what == "risk_refund_delay") print thousands(gap * 29 * ltv)
            if (what == "churn_app_crash") printf "%.1f\n", 20 / 60 * 100
            if (what == "change_app_crash") print signed((140 - 100) / 100 * 100)
            if (what == "change_late_delivery") print signed((120 - 150) / 150 * 100)
            if (what == "change_refund_delay") print signed((60 - 58) / 58 * 100)
            if (what == "change_reliability") print signed((25 - 30) / 30 * 100)
        }'
}
# The evaluated experiment of render_sample.c, computed here from its
# counts: control 13 of 25 churned, treatment 5 of 27; cost 6,000, VoC cost
# 15,000; ltv_all as above; the ROI interval from the churn difference's
# (docs/decisions.md "ROI interval").
exp_calc() {
    awk -v what="$1" 'function thousands(v,   s, out) {
            s = sprintf("%.0f", v); out = ""
            while (length(s) > 3) { out = "," substr(s, length(s) - 2) out; s = substr(s, 1, length(s) - 3) }
            return s out
        }
        BEGIN {
            ltv = 190000 / 1000 * 0.35 / 0.14
            pc = 13 / 25; pt = 5 / 27; d = pc - pt
            se = sqrt(pc * (1 - pc) / 25 + pt * (1 - pt) / 27)
            kept = d * 27; value = kept * ltv
            if (what == "pc") printf "%.0f\n", pc * 100
            if (what == "pt") printf "%.0f\n", pt * 100
            if (what == "lo") printf "%.0f\n", (d - 1.96 * se) * 100
            if (what == "hi") printf "%.0f\n", (d + 1.96 * se) * 100
            if (what == "kept") printf "%.0f\n", kept
            if (what == "value") print thousands(value)
            lo = (d - 1.96 * se) * 27 * ltv; hi = (d + 1.96 * se) * 27 * ltv
            if (what == "roi") printf "%+.1f\n", (value - 6000) / 6000 * 100
            if (what == "roi_lo") printf "%+.1f\n", (lo - 6000) / 6000 * 100
            if (what == "roi_hi") printf "%+.1f\n", (hi - 6000) / 6000 * 100
            if (what == "voc") printf "%+.1f\n", (value - 15000) / 15000 * 100
            if (what == "voc_lo") printf "%+.1f\n", (lo - 15000) / 15000 * 100
            if (what == "voc_hi") printf "%+.1f\n", (hi - 15000) / 15000 * 100
        }'
}
e_pc=$(exp_calc pc)
e_pt=$(exp_calc pt)
e_lo=$(exp_calc lo)
e_hi=$(exp_calc hi)
e_kept=$(exp_calc kept)
e_value=$(exp_calc value)
e_roi=$(exp_calc roi)
e_voc=$(exp_calc voc)
# A minus sign is written without "+"; a gain with it (one ROI format).
e_roi_lo=$(exp_calc roi_lo)
e_roi_hi=$(exp_calc roi_hi)
e_voc_lo=$(exp_calc voc_lo)
e_voc_hi=$(exp_calc voc_hi)
risk_refund=$(calc risk_refund_delay)
risk_app=$(calc risk_app_crash)
risk_late=$(calc risk_late_delivery)
risk_pack=$(calc risk_packaging)
churn_app=$(calc churn_app_crash)
ch_app=$(calc change_app_crash)
ch_late=$(calc change_late_delivery)
ch_refund=$(calc change_refund_delay)
ch_rel=$(calc change_reliability)

# Both locales: the sample's figures and its first verbatim as written
# (page one has room for one quote under the trends; the second is counted).
expect "45" "±9.9" "+7.5" "200" "EUR" \
    "送货太慢了" \
    "Europe/Berlin" "3f5a0c0e9d1b" "0.1.0" "2026-10-01 02:00:03"

case "$locale" in
en_US)
    expect "Voice of the Customer briefing" "Job nightly" "1 Sep 2026" "30 Sep 2026" \
        "as of 1 Oct 2026" \
        "NPS" "CSAT" "81.2 %" "Churn rate" "14.0 %" \
        "VoC ROI 45 ±9.9 81.2 % 14.0 % ${e_voc#+} %" \
        "95 % CI ${e_voc_lo#+} % to ${e_voc_hi#+} % benefit $e_value EUR cost 15,000 EUR" \
        "significant change" \
        "Promoters vs detractors" "Promoters" "Passives" "Detractors" "No score" \
        "Purchase" "After-sales" "low sample" \
        "What detractors say" "Call centre" "28 Sep 2026" "1 more on the workbook's “Customer classes” sheet." "Run 42" \
        "Top complaints" "Revenue at risk (EUR)" \
        "1 Packaging 30 new $risk_pack not significant 2 Slow refunds 60 $ch_refund % $risk_refund low sample 3 App crashes 140 $ch_app % $risk_app 4 Late delivery 120 $ch_late % $risk_late 5 Reliability 25 $ch_rel % 0 churn gap -0.4 %" \
        "Trends, Oct 2025 – Sep 2026 45 NPS" "Hollow dots: fewer than 30 responses."
    # The five best findings in rank order, each with owner, money, next step.
    expect "Key findings Customers who reported app crashes churned at $churn_app % against 10.0 % for other customers; p < 0.001; about $risk_app EUR of lifetime value at risk. Owner: Product · about $risk_app EUR at stake Next step: Name an owner for the root cause" \
        "Logistics missed 1 of 3 targets; furthest off: “Negative mentions: Late delivery” at 120 against ≤ 100. Owner: Logistics · about 5,400 EUR at stake Next step: Review each red KPI" \
        "Experiment callback_24h cut churn from $e_pc % to $e_pt % (95 % CI $e_lo–$e_hi pts); $e_kept customers kept, $e_value EUR lifetime value, ROI ${e_roi#+} % (95 % CI ${e_roi_lo#+} % to $e_roi_hi %). Its ROI is not significant: the interval includes 0, so whether it paid for itself is open. Owner: Executives · about $e_value EUR at stake Next step: Decide with finance" \
        "Channel Email: NPS is 40, -9.8 points against the prior period, a significant change. Owner: Executives · about 3,000 EUR at stake Next step: Read this period's detractor comments" \
        "Customer service: NPS fell three periods running. Owner: Customer service · about 2,100 EUR at stake Next step: Agree one corrective action"
    expect_glob "Key findings Customers who reported app crashes*Logistics missed*Experiment callback_24h*Channel Email*Customer service: NPS fell*Trends"
    # Ranked below the five, or worth n/a: not in the briefing; no ROI as a
    # multiple; the running experiment has no sentence.
    expect_none "moved from promoter" "had said they were satisfied" "Segment Retail" "×." \
        "ROI -0.3" "winback_sms" "not yet measured" "lowest NPS" "Promoters spend"
    ;;
zh_CN)
    expect "客户之声简报" "任务 nightly" "2026年9月1日" "2026年9月30日" "截至 2026年10月1日" \
        "净推荐值 NPS" "满意度 CSAT" "81.2%" "流失率" "14.0%" \
        "VoC 投资回报率 45 ±9.9 81.2% 14.0% ${e_voc#+}%" \
        "95% 置信区间 ${e_voc_lo#+}% 至 ${e_voc_hi#+}% 收益 $e_value EUR 成本 15,000 EUR" \
        "变化显著" \
        "推荐者与贬损者对比" "推荐者" "被动者" "贬损者" "无评分" \
        "购买" "售后" "样本不足" \
        "贬损者原话" "呼叫中心" "2026年9月28日" "另有 1 条见工作簿“客户分类”表。" "运行 42" \
        "主要投诉" "风险收入（EUR）" \
        "1 包装 30 新出现 $risk_pack 不显著 2 退款缓慢 60 $ch_refund% $risk_refund 样本不足 3 应用闪退 140 $ch_app% $risk_app 4 配送延迟 120 $ch_late% $risk_late 5 可靠性 25 $ch_rel% 0 流失率差距 -0.4%" \
        "趋势：2025年10月 – 2026年9月" "空心点：答卷少于 30 份。"
    # Chinese wraps between any two characters: fragments of a line each.
    expect "主要结论 反馈“应用闪退”的客户流失率为 $churn_app%，其他客户为 10.0%；p < 0.001；约 $risk_app EUR 的客户终身价" \
        "面临风险。 负责：产品 · 涉及约 $risk_app EUR 下一步：" \
        "物流未达成 3 项目标中的 1 项，差距最大的是“负面提及：配送延迟”：120，目标 ≤ 100。 负责：物流 · 涉及约 5,400 EUR 下一步：" \
        "投资回报率 ${e_roi#+}%（95% 置信区间 ${e_roi_lo#+}% 至 $e_roi_hi%）。其投资回报率不显" \
        "负责：管理层 · 涉及约 $e_value EUR" \
        "渠道“邮件”：NPS 为 40，较上期变化 -9.8 分，变化显著。 负责：管理层 · 涉及约 3,000 EUR" \
        "客户服务：NPS 连续三期下降。 负责：客户服务 · 涉及约 2,100 EUR"
    expect_glob "主要结论 反馈“应用闪退”*物流未达成*实验 callback_24h*渠道“邮件”*客户服务：NPS 连续三期下降*趋势"
    expect_none "由推荐者转为被动者" "曾表示满意" "客户群“零售”" "倍。" "winback_sms" "尚未测量" \
        "NPS 最低" "推荐者的消费是贬损者"
    ;;
*)
    echo "check_pdf: unknown locale \"$locale\" (expected en_US or zh_CN)" >&2
    exit 2
    ;;
esac

# The workbook's example comments per topic stay in the workbook; the
# topic outside the top five is not listed.
expect_none "Crashes every time I open the order history." "快递晚了五天" "gift_cards"

# No template key shown in place of a text, no placeholder left unfilled.
for leak in "briefing." "tile." "finding." "chart." "table." "date.m" "class." "complaints." \
    "{" "}"; do
    case "$text" in
    *"$leak"*) fail "text holds \"$leak\": a template key or placeholder was not filled" ;;
    esac
done

if [ "$failures" -ne 0 ]; then
    echo "check_pdf: $file: $failures check(s) failed" >&2
    exit 1
fi
echo "check_pdf: $file ($locale): ok ($pages page(s), A4)"
