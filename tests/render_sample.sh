#!/usr/bin/env bash
# The workbooks and the briefing rendered from a hand-built model with known
# figures (tests/render_sample.c), in both locales: the workbook read back by
# openpyxl and recalculated by LibreOffice, the briefing checked by qpdf and
# poppler.
. "$(dirname "$0")/lib.sh"
sample=${VR_RENDER_SAMPLE:?set VR_RENDER_SAMPLE to the render_sample binary}
font=/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc
for locale in en_US zh_CN; do
    "$sample" xlsx "$scratch/$locale.xlsx" "$top/templates" "$locale" "$font"
    expect_eq "render xlsx $locale" "$?" 0
    out=$("$py" "$here/check_workbook.py" "$scratch/$locale.xlsx" --expect-sample --libreoffice 2>&1)
    expect_eq "check_workbook $locale" "$?" 0
    printf '%s\n' "$out" | tail -3
    "$sample" pdf "$scratch/$locale.pdf" "$top/templates" "$locale" "$font"
    expect_eq "render pdf $locale" "$?" 0
    out=$("$here/check_pdf.sh" "$scratch/$locale.pdf" "$locale" 2>&1)
    expect_eq "check_pdf $locale" "$?" 0
    printf '%s\n' "$out" | grep -v begincidrange | tail -3
done
# A first run: a history of one period draws one point per chart, said so
# in words, with that period as the only label; and a VoC ROI whose
# interval holds 0 says "not significant" on its tile.
for locale in en_US zh_CN; do
    "$sample" pdf "$scratch/first-$locale.pdf" "$top/templates" "$locale" "$font" first-run
    expect_eq "render pdf first-run $locale" "$?" 0
    text=$(pdftotext -enc UTF-8 "$scratch/first-$locale.pdf" - 2>/dev/null | tr -s '[:space:]' ' ')
    if [ "$locale" = en_US ]; then
        one="one period only: no trend yet"
        expect_match "first run $locale: the trend's one period" "$text" "Trend, Sep 2026 45 NPS"
        expect_match "first run $locale: ROI tile" "$text" \
            "95 % CI -145\.0 % to \+35\.0 % not significant benefit 4,294 EUR cost 15,000 EUR"
    else
        one="仅一期数据：尚无趋势"
        expect_match "first run $locale: the trend's one period" "$text" "趋势：2026年9月 45 净推荐值 NPS"
        expect_match "first run $locale: ROI tile" "$text" \
            "95% 置信区间 -145\.0% 至 \+35\.0% 不显著 收益 4,294 EUR 成本 15,000 EUR"
    fi
    expect_eq "first run $locale: each chart says it has one point" \
        "$(printf '%s\n' "$text" | grep -o "$one" | wc -l)" 3
    expect_no_match "first run $locale: no period before it" "$text" "Oct 2025|2025年10月"
done
# A crowded briefing (billing with seven more targets: 16 rows) still takes
# two pages (outputs.md) with the journey map: the department table shows
# what fits and counts the rest, so shown + counted = 16; the rows left out
# are green ones (tests/sample_depts.c: billing's last target, red, is shown)
# and the note says they were all met.
for locale in en_US zh_CN; do
    "$sample" pdf "$scratch/many-$locale.pdf" "$top/templates" "$locale" "$font" many-kpis
    expect_eq "render pdf many-kpis $locale" "$?" 0
    out=$("$here/check_pdf.sh" "$scratch/many-$locale.pdf" "$locale" 2>&1)
    expect_eq "check_pdf many-kpis $locale" "$?" 0
    page2=$(pdftotext -f 2 -l 2 -enc UTF-8 "$scratch/many-$locale.pdf" - 2>/dev/null)
    if [ "$locale" = en_US ]; then
        shown=$(grep -cE '^(min|max) [0-9]' <<<"$page2")
        more=$(sed -n 's/^\([0-9]*\) more targets, all met, in the department packs\.$/\1/p' <<<"$page2")
        red="17.0 %"
        expect_match "many-kpis $locale: the journey map on page 2" "$page2" "Customer journey"
    else
        shown=$(grep -cE '^(不低于|不高于) [0-9]' <<<"$page2")
        more=$(sed -n 's/^另有 \([0-9]*\) 项目标（均已达标）见各部门报告。$/\1/p' <<<"$page2")
        red="17.0%"
        expect_match "many-kpis $locale: the journey map on page 2" "$page2" "客户旅程"
    fi
    expect_eq "many-kpis $locale: rows shown + counted" "$((shown + ${more:-0}))" 16
    expect_match "many-kpis $locale: some rows counted, not shown" "${more:-0}" '^[1-9]'
    expect_eq "many-kpis $locale: billing's red target shown" "$(grep -cFx "$red" <<<"$page2")" 1
done
# A quote too long for the room under the trends: the first quote, cut to
# three lines, before the department table on page two, which keeps its
# missed targets; still two pages.
for locale in en_US zh_CN; do
    "$sample" pdf "$scratch/long-$locale.pdf" "$top/templates" "$locale" "$font" long-quote
    expect_eq "render pdf long-quote $locale" "$?" 0
    expect_eq "long-quote $locale: pages" "$(pdfinfo "$scratch/long-$locale.pdf" 2>/dev/null | awk '/^Pages:/ { print $2 }')" 2
    page1=$(pdftotext -f 1 -l 1 -enc UTF-8 "$scratch/long-$locale.pdf" - 2>/dev/null | tr -s '[:space:]' ' ')
    page2=$(pdftotext -f 2 -l 2 -enc UTF-8 "$scratch/long-$locale.pdf" - 2>/dev/null | tr -s '[:space:]' ' ')
    if [ "$locale" = en_US ]; then
        quotes="What detractors say" depts="Departments against their targets"
        red="NPS 38 min 45 off target"
    else
        quotes="贬损者原话" depts="各部门目标完成情况" red="净推荐值 NPS 38 不低于 45 未达标"
    fi
    expect_no_match "long-quote $locale: no quotes on page 1" "$page1" "$quotes"
    expect_match "long-quote $locale: the quote, cut, before the departments on page 2" "$page2" \
        "$quotes “送货太慢了。I ordered a birthday present [^”]*… .*$depts .*$red"
done
# Department workbooks: each department's from the full sample model (the
# renderer itself must keep the others out), checked cell by cell and for
# leaks; LibreOffice opens one per locale.
for locale in en_US zh_CN; do
    for dept in customer_service logistics product billing; do
        out_file="$scratch/dept-$locale-$dept.xlsx"
        "$sample" xlsx-dept "$out_file" "$top/templates" "$locale" "$font" "$dept"
        expect_eq "render xlsx-dept $locale $dept" "$?" 0
        lo=""
        [ "$dept" = logistics ] && lo=--libreoffice
        out=$("$py" "$here/check_dept_workbook.py" "$out_file" "$dept" --expect-sample $lo 2>&1)
        expect_eq "check_dept_workbook $locale $dept" "$?" 0
        printf '%s\n' "$out" | tail -3
    done
done
finish
