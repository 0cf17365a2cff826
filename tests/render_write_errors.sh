#!/usr/bin/env bash
# Writing the briefing and the workbook fails: the error names the file and
# the real cause in words, not a bare libharu code.  A full disk is a 64 kB
# tmpfs when this machine lets us mount one, else a path that is a link to
# /dev/full (every write fails with ENOSPC).
. "$(dirname "$0")/lib.sh"
sample=${VR_RENDER_SAMPLE:?set VR_RENDER_SAMPLE to the render_sample binary}
font=/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc
full=$scratch/full
mkdir -p "$full"
trap 'umount "$full" 2>/dev/null; cleanup' EXIT
if mount -t tmpfs -o size=64k tmpfs "$full" 2>/dev/null; then
    echo "disk full: a 64 kB tmpfs"
    pdf=$full/briefing.pdf xlsx=$full/executive.xlsx
else
    echo "disk full: links to /dev/full (mounting a tmpfs is not permitted here)"
    pdf=$full/briefing.pdf xlsx=$full/executive.xlsx
    ln -s /dev/full "$pdf"
    ln -s /dev/full "$xlsx"
fi

"$sample" pdf "$pdf" "$top/templates" en_US "$font" 2>"$scratch/err"
expect_eq "briefing fails" "$?" 1
expect_eq "briefing: the file and the cause" "$(grep 'render failed' "$scratch/err")" \
    "render failed: could not write briefing \"$pdf\": No space left on device"

# libxlsxwriter prints its own [ERROR] lines too (it has no switch for them);
# ours names the file, libxlsxwriter's words and the system's.
"$sample" xlsx "$xlsx" "$top/templates" en_US "$font" 2>"$scratch/err"
expect_eq "workbook fails" "$?" 1
expect_match "workbook: the file and the cause" "$(grep 'render failed' "$scratch/err")" \
    "^render failed: could not write workbook \"$xlsx\": .*\(No space left on device\)$"

# A libharu error in words, with what was going on.
"$sample" pdf "$scratch/x.pdf" "$top/templates" en_US /nonexistent/font.ttc 2>"$scratch/err"
expect_eq "missing font fails" "$?" 1
expect_eq "missing font: in words" "$(grep 'render failed' "$scratch/err")" \
    "render failed: could not write briefing \"$scratch/x.pdf\" while loading the font \"/nonexistent/font.ttc\": could not open the file: No such file or directory (libharu error 0x1017)"
finish
