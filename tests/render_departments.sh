#!/usr/bin/env bash
# Department packs rendered from the hand-built model of render_sample.c
# (its departments part is tests/sample_depts.c), without a database:
# - every department's scorecard in both locales: qpdf --check, one A4
#   page, its own KPI figures, targets, previous values, SLAs, journey
#   figures, warnings and comments (numbers written here independently of
#   the sample), and no other department's name, topic, touchpoint or
#   comment, nor the company-wide detractor quotes;
# - the briefing's department traffic-light table and journey map;
# - a department with more targets than the page has tiles: the missed
#   ones are shown, the rest counted;
# - the leak check: a clean slice passes, a foreign figure, verbatim or
#   label planted with the test hook VOCREPORT_TEST_PLANT_LEAK is caught
#   (render_sample exits 3 naming the row) and no file is written.
. "$(dirname "$0")/lib.sh"
sample=${VR_RENDER_SAMPLE:?set VR_RENDER_SAMPLE to the render_sample binary}
font=/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc
depts="customer_service logistics product billing"

text_of() { pdftotext -enc UTF-8 "$@" - 2>/dev/null | tr -s '[:space:]' ' '; }
has() { # what text phrase...
    local what=$1 text=$2; shift 2
    for p in "$@"; do
        case "$text" in *"$p"*) ok ;; *) bad "$what: \"$p\" not found" ;; esac
    done
}
lacks() {
    local what=$1 text=$2; shift 2
    for p in "$@"; do
        case "$text" in *"$p"*) bad "$what: \"$p\" found, but it is not this department's" ;; *) ok ;; esac
    done
}

# Names, per department, as the sample labels them: department, its
# topics, its touchpoints (en_US | zh_CN).
declare -A name_en=([customer_service]="Customer service" [logistics]="Logistics" [product]="Product" [billing]="Billing")
declare -A name_zh=([customer_service]="客户服务" [logistics]="物流" [product]="产品" [billing]="账务")
declare -A topics_en=([customer_service]="Slow refunds" [logistics]="Late delivery|Packaging"
    [product]="App crashes|Design|Reliability" [billing]="Pricing")
declare -A topics_zh=([customer_service]="退款缓慢" [logistics]="配送延迟|包装"
    [product]="应用闪退|设计|可靠性" [billing]="价格")
declare -A tps_en=([customer_service]="After-sales" [logistics]="Delivery" [product]="Onboarding" [billing]="Purchase")
declare -A tps_zh=([customer_service]="售后" [logistics]="配送" [product]="开户引导" [billing]="购买")
# Every comment of the sample by the department owning its topic (the
# newest three of a department are shown); "-" = a detractor quote, which
# no department owns.
comments=(
    "product|更新之后应用一打开就闪退" "product|Crashes every time I open the order history."
    "product|The new version keeps crashing on my phone." "product|App froze at checkout"
    "product|Love the look but the buttons"
    "logistics|快递晚了五天" "logistics|Parcel arrived a week after the promised date."
    "logistics|Box was crushed and the glass inside broken." "logistics|Delivery slot missed again"
    "customer_service|退款申请两周了还没有到账" "customer_service|Still waiting for my refund after 20 days."
    "-|送货太慢了" "-|The refund took three weeks"
)
shown_newest3() { # dept: the comments its scorecard shows
    case $1 in
    product) echo "更新之后应用一打开就闪退|Crashes every time I open the order history.|The new version keeps crashing on my phone." ;;
    logistics) echo "快递晚了五天|Parcel arrived a week after the promised date.|Box was crushed and the glass inside broken." ;;
    customer_service) echo "退款申请两周了还没有到账|Still waiting for my refund after 20 days." ;;
    billing) echo "" ;;
    esac
}

for locale in en_US zh_CN; do
    if [ "$locale" = en_US ]; then
        p() { echo "$1 %"; }; min() { echo "target at least $1"; }; max() { echo "target at most $1"; }
        prev() { echo "previous $1"; }; na="n/a"; noprev="no earlier report"
    else
        p() { echo "$1%"; }; min() { echo "目标不低于 $1"; }; max() { echo "目标不高于 $1"; }
        prev() { echo "上期 $1"; }; na="无数据"; noprev="无往期报告"
    fi
    for d in $depts; do
        f=$scratch/$locale-$d.pdf
        "$sample" pdf-dept "$f" "$top/templates" "$locale" "$font" "$d" 2>/dev/null
        expect_eq "render $d $locale" "$?" 0
        qpdf --check "$f" >/dev/null 2>&1; expect_eq "$d $locale qpdf --check" "$?" 0
        expect_eq "$d $locale one page" "$(pdfinfo "$f" 2>/dev/null | awk '/^Pages:/ { print $2 }')" 1
        expect_match "$d $locale A4" "$(pdfinfo "$f" 2>/dev/null)" 'Page size: +595.2[0-9]* x 841.8[0-9]* pts'
        text=$(text_of "$f")
        # Its figures: actual, target, previous per KPI; SLAs; journey.
        case $d in
        customer_service)
            has "$d $locale" "$text" 38 "$(min 45)" "$(prev 41)" "$(p 92.0)" "$(min "$(p 90.0)")" \
                "$(prev "$(p 88.0)")" " 57 " "$(min 60) " "$(prev 58.5)" "$(p 70.0)" "$(p 11.0)" \
                60 "$(p 85.0)" "$(p 27.0)" ;;
        logistics)
            has "$d $locale" "$text" 120 "$(max 100)" "$(prev 150)" "$(p 81.0)" "$(min "$(p 80.0)")" \
                "$(prev "$(p 79.0)")" 31 "$(min 30)" "$(prev 34)" "$(p 80.0)" "$(p 10.0)" "$(p 32.0)" ;;
        product)
            has "$d $locale" "$text" 140 "$(max 120)" "$(prev 100)" "$na" "$(min 20)" "$noprev" \
                "$(p 65.0)" "$(p 20.0)" ;;
        billing)
            has "$d $locale" "$text" "$(p 78.0)" "$(min "$(p 80.0)")" "$(prev "$(p 81.0)")" \
                "$(p 13.0)" "$(p 18.0)" 52 "n = 20" ;;
        esac
        # "previous" names its period's days (dept.kpi.previous's flag).
        if [ "$locale" = en_US ]; then dated="$(prev "$(p 81.0)") (1 Aug – 31 Aug 2026)"
        else dated="$(prev "$(p 81.0)")（8月1日 – 2026年8月31日）"; fi
        [ "$d" = billing ] && has "$d $locale previous with its dates" "$text" "$dated"
        if [ "$locale" = en_US ]; then
            has "$d $locale" "$text" "${name_en[$d]}: department scorecard" "${tps_en[$d]}"
            case $d in
            customer_service) has "$d $locale" "$text" "NPS is falling: down three periods running." \
                "6 customers went from promoter to passive (of 30 earlier promoters)." "Sentiment score: Slow refunds" ;;
            logistics) has "$d $locale" "$text" "No NPS decline." "Negative mentions: Late delivery" ;;
            product) has "$d $locale" "$text" "NPS decline: not enough responses to tell." \
                "No customer was a promoter in the earlier survey, so none could turn passive."
                lacks "$d $locale: no \"0 of 0\"" "$text" "0 customers went from promoter" ;;
            billing) has "$d $locale" "$text" "No comments on its topics in this period." ;;
            esac
        else
            has "$d $locale" "$text" "${name_zh[$d]}：部门计分卡" "${tps_zh[$d]}"
            [ "$d" = product ] && has "$d $locale" "$text" "上期没有推荐者，因此无人由推荐者转为被动者。"
        fi
        # A comment tagged with two of its topics: quoted once, under both.
        if [ "$d" = logistics ]; then
            expect_eq "$d $locale: a comment on two topics quoted once" \
                "$(grep -o 'Box was crushed and the glass inside broken' <<<"$text" | wc -l)" 1
            if [ "$locale" = en_US ]; then both="Packaging, Late delivery · Review"
            else both="包装、配送延迟 · 评价"; fi
            has "$d $locale: under both its topics" "$text" "$both"
        fi
        IFS='|' read -r -a own <<<"$(shown_newest3 "$d")"
        [ ${#own[@]} -gt 0 ] && has "$d $locale comments" "$text" "${own[@]}"
        # Nothing of the others.
        for o in $depts; do
            [ "$o" = "$d" ] && continue
            IFS='|' read -r -a t_en <<<"${topics_en[$o]}"
            IFS='|' read -r -a t_zh <<<"${topics_zh[$o]}"
            lacks "$d $locale" "$text" "${name_en[$o]}" "${name_zh[$o]}" "${t_en[@]}" "${t_zh[@]}" \
                "${tps_en[$o]}" "${tps_zh[$o]}"
        done
        for c in "${comments[@]}"; do
            [ "${c%%|*}" = "$d" ] || lacks "$d $locale comments" "$text" "${c#*|}"
        done
        lacks "$d $locale" "$text" "scorecard." "metric_label." "{" "}"
    done

    # The briefing: traffic lights and journey map.
    "$sample" pdf "$scratch/$locale-briefing.pdf" "$top/templates" "$locale" "$font"
    expect_eq "render briefing $locale" "$?" 0
    # -layout keeps a table row on one line: the row reads as a phrase.
    text=$(text_of -layout "$scratch/$locale-briefing.pdf")
    if [ "$locale" = en_US ]; then
        has "briefing $locale" "$text" "Departments against their targets" \
            "Customer service NPS 38 min 45 off target" "Negative mentions: Late delivery 120 max 100 off target" \
            "Negative mentions: App crashes 140 max 120 near target" "NPS n/a min 20 none counted (n = 0)" \
            "Billing CSAT 78.0 % min 80.0 % near target · low sample" \
            "Customer journey" "Purchase" "Onboarding" "After-sales"
        # After-sales rests on 20 answers: each of its figures marked, and why.
        has "briefing $locale journey low sample" "$text" "60* 85.0 %* 27.0 %*" \
            "* Fewer than 30 responses (low sample): for information only."
        lacks "briefing $locale journey: only low figures marked" "$text" "52* " "31* "
    else
        has "briefing $locale" "$text" "各部门目标完成情况" "客户服务 净推荐值 NPS 38 不低于 45 未达标" \
            "负面提及：配送延迟 120 不高于 100 未达标" "客户旅程" "开户引导" "售后"
        has "briefing $locale journey low sample" "$text" "60* 85.0%* 27.0%*" \
            "* 答卷少于 30 份（样本不足），仅供参考。"
        lacks "briefing $locale journey: only low figures marked" "$text" "52* " "31* "
    fi
done

# More targets than tiles (tests/sample_depts.c, sample_more_kpis): billing
# has eight in config order amber csat, six green (previous 61.5 % ..
# 66.5 %), red (previous 18.5 %).  The page shows the missed ones first:
# the amber, the red and the first four green, and says two more were met.
for locale in en_US zh_CN; do
    f=$scratch/$locale-many.pdf
    "$sample" pdf-dept "$f" "$top/templates" "$locale" "$font" billing many-kpis 2>/dev/null
    expect_eq "many targets $locale: render" "$?" 0
    expect_eq "many targets $locale: one page" "$(pdfinfo "$f" 2>/dev/null | awk '/^Pages:/ { print $2 }')" 1
    text=$(text_of "$f")
    if [ "$locale" = en_US ]; then
        has "many targets $locale" "$text" "previous 81.0 %" "previous 18.5 %" "17.0 %" "off target" \
            "previous 61.5 %" "previous 62.5 %" "previous 63.5 %" "previous 64.5 %" \
            "2 more targets, all met, in the workbook."
        lacks "many targets $locale" "$text" "previous 65.5 %" "previous 66.5 %"
    else
        has "many targets $locale" "$text" "上期 81.0%" "上期 18.5%" "未达标" "上期 64.5%" \
            "另有 2 项目标（均已达成）见工作簿。"
        lacks "many targets $locale" "$text" "上期 65.5%" "上期 66.5%"
    fi
done

# The leak check, through render_sample's department mode (as the runner):
# a planted row is caught, named, and nothing is written.
leak_case() { # plant expected-message-regex
    local f=$scratch/leak.pdf
    rm -f "$f"
    out=$(VOCREPORT_TEST_PLANT_LEAK=$1 "$sample" pdf-dept "$f" "$top/templates" en_US "$font" logistics 2>&1)
    expect_eq "plant $1: exit 3" "$?" 3
    expect_match "plant $1: named" "$out" "$2"
    expect_eq "plant $1: no file" "$([ -e "$f" ] && echo written)" ""
}
leak_case 'logistics:topic.negative:topic=app_crash' \
    '^leak_check: .*leak.pdf would show topic.negative topic=app_crash, owned by product$'
leak_case 'logistics:journey.nps:touchpoint=purchase' 'journey.nps touchpoint=purchase, owned by billing'
leak_case 'logistics:dept.kpi.actual:department=billing;kpi=csat' \
    'dept.kpi.actual department=billing;kpi=csat, owned by billing'
leak_case 'logistics:topic.negative_history:period=2026-09-01;topic=late_delivery;touchpoint=onboarding' \
    'owned by product'
leak_case 'logistics:nps:' 'would show nps, company-wide'
leak_case 'logistics:@verbatim:design' 'a verbatim on topic=design, owned by product'
leak_case 'logistics:@verbatim:gift_cards' 'a verbatim on topic=gift_cards, owned by no department'
leak_case 'logistics:@label:department=billing' 'the department label of billing'
leak_case 'logistics:@label:topic=pricing' 'the topic label of pricing'
leak_case 'logistics:@label:dept_kpi=department=product;kpi=nps' 'the dept_kpi label of department=product;kpi=nps'
# A KPI figure of its own department that the run never defined: what it
# measures (maybe another department's topic) is unknown.
leak_case 'logistics:dept.kpi.actual:department=logistics;kpi=ghost' \
    'dept.kpi.actual department=logistics;kpi=ghost, a KPI of logistics with no definition in the run'
# Planted in another department's pack: logistics' own is clean.
VOCREPORT_TEST_PLANT_LEAK='billing:nps:' "$sample" pdf-dept "$scratch/clean.pdf" "$top/templates" en_US "$font" logistics 2>/dev/null
expect_eq "plant elsewhere: logistics clean" "$?" 0
# Its own rows planted again are no leak.
VOCREPORT_TEST_PLANT_LEAK='logistics:topic.mentions:topic=packaging' "$sample" pdf-dept "$scratch/clean.pdf" "$top/templates" en_US "$font" logistics 2>/dev/null
expect_eq "plant own row: clean" "$?" 0
finish
