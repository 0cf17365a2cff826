#!/usr/bin/env bash
# Customers' text the PDF cannot draw (libharu: nothing above U+FFFF, no
# right-to-left scripts; the font lacks the glyphs): the sample briefing
# with a detractor quote holding an emoji sequence, Hebrew and Arabic
# between Chinese and English shows one placeholder per run in the
# reader's language, and the words around it as written.
. "$(dirname "$0")/lib.sh"
sample=${VR_RENDER_SAMPLE:?set VR_RENDER_SAMPLE to the render_sample binary}
font=/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc
want_en_US='“送货太慢了[emoji] The parcel was late. [Hebrew text] and [Arabic text] 谢谢”'
want_zh_CN='“送货太慢了[表情符号] The parcel was late. [希伯来文] and [阿拉伯文] 谢谢”'
for locale in en_US zh_CN; do
    pdf=$scratch/$locale.pdf
    "$sample" pdf "$pdf" "$top/templates" "$locale" "$font" glyphs
    expect_eq "render $locale" "$?" 0
    text=$(pdftotext -layout "$pdf" - 2>/dev/null)
    want=want_$locale
    expect_eq "$locale quote" "$(grep -o '“送货[^”]*”' <<<"$text")" "${!want}"
    # Nothing of the scripts themselves reached the page: no empty boxes.
    expect_eq "$locale: no Hebrew, Arabic or emoji drawn" \
        "$(LC_ALL=C.UTF-8 grep -cP '[\x{0590}-\x{06FF}\x{1F000}-\x{1FAFF}]' <<<"$text")" 0
    out=$("$here/check_pdf.sh" "$pdf" "$locale" 2>&1)
    expect_eq "check_pdf $locale" "$?" 0 || printf '%s\n' "$out" | tail -5
done
finish
