#!/usr/bin/env bash
# The workbook check (report/ooxml.h, outcheck_problem for kind xlsx) on a
# good workbook from the render sample and on copies Python's zipfile
# damages in one way each: a raw 0x01 byte in sheet1.xml, sheet1.xml cut in
# the middle of a tag, a byte changed behind the zip's CRC, no
# [Content_Types].xml, and a file that is no zip.  Each problem names the
# part and, for XML, the line and column (found independently by Python).
. "$(dirname "$0")/lib.sh"
sample=${VR_RENDER_SAMPLE:?set VR_RENDER_SAMPLE to the render_sample binary}
check=${VR_OOXML_CHECK:?set VR_OOXML_CHECK to the ooxml_check binary}
good=$scratch/good.xlsx
"$sample" xlsx "$good" "$top/templates" en_US /usr/share/fonts/truetype/wqy/wqy-zenhei.ttc
expect_eq "render the sample workbook" "$?" 0

# Writes the damaged copies; prints "name line column" for the XML ones.
where=$("$py" - "$good" "$scratch" <<'PY'
import sys, zipfile
good, out = sys.argv[1], sys.argv[2]
src = zipfile.ZipFile(good)
part = "xl/worksheets/sheet1.xml"
sheet = src.read(part)

def copy(name, replace=None, drop=None, method=zipfile.ZIP_DEFLATED):
    with zipfile.ZipFile(f"{out}/{name}.xlsx", "w", method) as z:
        for info in src.infolist():
            if info.filename == drop:
                continue
            data = src.read(info.filename)
            if info.filename == part and replace is not None:
                data = replace
            z.writestr(info.filename, data)

def line_col(data, pos):  # 1-based, as the check reports them
    line = data.count(b"\n", 0, pos) + 1
    return line, pos - (data.rfind(b"\n", 0, pos) + 1) + 1

# A control character right after <sheetData>: an invalid token there.
pos = sheet.index(b"<sheetData>") + len(b"<sheetData>")
copy("control", replace=sheet[:pos] + b"\x01" + sheet[pos:])
print("control %d %d" % line_col(sheet, pos))

# Cut inside the last <row ...> tag: the parser meets the end of the part
# inside an unclosed token that starts at that "<".
pos = sheet.rindex(b"<row ")
copy("truncated", replace=sheet[:pos + 8])
print("truncated %d %d" % line_col(sheet, pos))

# Stored, then one digit of a cell value changed in the file itself: still
# well-formed XML, but the zip's CRC no longer matches.
copy("crc", method=zipfile.ZIP_STORED)
raw = bytearray(open(f"{out}/crc.xlsx", "rb").read())
at = raw.index(sheet[:200]) + sheet.index(b"<v>") + 3
raw[at] = ord("7") if raw[at] != ord("7") else ord("8")
open(f"{out}/crc.xlsx", "wb").write(bytes(raw))

copy("no_types", drop="[Content_Types].xml")
open(f"{out}/not_zip.xlsx", "w").write("run_id,code\r\n")
PY
)
expect_eq "damaged copies written" "$?" 0

out=$("$check" "$good" "$scratch"/{control,truncated,crc,no_types,not_zip}.xlsx)
expect_eq "checker ran" "$?" 0
printf "%s\n" "$out" | sed "s|$scratch/||"
get() { grep -F "$scratch/$1.xlsx: " <<<"$out" | sed "s|^$scratch/$1.xlsx: ||"; }
read -r _ cl cc < <(grep '^control ' <<<"$where")
read -r _ tl tc < <(grep '^truncated ' <<<"$where")
expect_eq "good workbook passes" "$(get good)" ok
expect_eq "raw 0x01 in sheet1.xml" "$(get control)" \
    "part \"xl/worksheets/sheet1.xml\" is not well-formed XML: line $cl, column $cc: not well-formed (invalid token)"
expect_eq "sheet1.xml cut in a tag" "$(get truncated)" \
    "part \"xl/worksheets/sheet1.xml\" is not well-formed XML: line $tl, column $tc: unclosed token"
expect_eq "CRC mismatch" "$(get crc)" "part \"xl/worksheets/sheet1.xml\" could not be read: CRC error"
expect_eq "no [Content_Types].xml" "$(get no_types)" "the zip holds no [Content_Types].xml"
expect_eq "not a zip" "$(get not_zip)" "is not a readable zip file: Not a zip archive"
finish
