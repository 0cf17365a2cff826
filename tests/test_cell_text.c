/* What reaches a workbook cell or the figures CSV: utf8_clean on hand-made
 * byte strings, cell_text cutting texts over Excel's limit with the mark
 * of each locale (lengths counted by hand), and a libxlsxwriter error
 * failing the workbook with its sheet and cell.
 *   test_cell_text TEMPLATE_DIR */
#include "jobs/base/utf8.h"
#include "report/cell_text.h"
#include "report/xlsx_book.h"
#include "unit_check.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define FFFD "\xEF\xBF\xBD"

/* want NULL: s is already clean and must come back as NULL (no copy). */
static void expect_clean(const char *what, const char *s, size_t len, const char *want)
{
    size_t out_len = 12345;
    char *got = utf8_clean(s, len, &out_len);
    if (!want)
        check(got == NULL, "%s: changed to \"%s\"", what, got ? got : "");
    else
        check(got && !strcmp(got, want) && out_len == strlen(want), "%s: got \"%s\", want \"%s\"",
              what, got ? got : "(unchanged)", want);
    free(got);
}

static void test_clean(void)
{
    expect_clean("ASCII", "plain text", 10, NULL);
    expect_clean("tab, LF, CR kept", "a\tb\nc\rd", 7, NULL);
    expect_clean("DEL is allowed in XML 1.0", "a\x7f", 2, NULL);
    expect_clean("Chinese and an emoji", "配送延迟\xF0\x9F\x98\x80", 16, NULL);
    expect_clean("empty", "", 0, NULL);
    expect_clean("0xff in a config value", "Log\xffistics", 10, "Log" FFFD "istics");
    expect_clean("Latin-1 e acute", "caf\xe9", 4, "caf" FFFD);
    expect_clean("C0 control",
                 "a\x01"
                 "b",
                 3, "a" FFFD "b");
    expect_clean("escape", "\x1b[0m", 4, FFFD "[0m");
    expect_clean("U+FFFE", "x\xEF\xBF\xBE", 4, "x" FFFD);
    expect_clean("U+FFFF", "\xEF\xBF\xBFy", 4, FFFD "y");
    /* Each byte of a bad sequence is one U+FFFD: the decoder resynchronises. */
    expect_clean("overlong '/'", "\xc0\xaf", 2, FFFD FFFD);
    expect_clean("surrogate", "\xed\xa0\x80", 3, FFFD FFFD FFFD);
    expect_clean("truncated at the end", "配\xe9\x80", 5, "配" FFFD FFFD);
    expect_clean("lone continuation",
                 "\x80"
                 "ok",
                 3, FFFD "ok");
    expect_clean("NUL counts as a control", "a\0b", 3, "a" FFFD "b");
    check(utf8_is_xml_char(0x9) && utf8_is_xml_char(0x10FFFF) && !utf8_is_xml_char(0x1F) &&
              !utf8_is_xml_char(0xD800) && !utf8_is_xml_char(0xFFFE),
          "utf8_is_xml_char");
}

static char *repeat(const char *unit, size_t n)
{
    size_t k = strlen(unit);
    char *s = malloc(n * k + 1);
    for (size_t i = 0; i < n; i++)
        memcpy(s + i * k, unit, k);
    s[n * k] = '\0';
    return s;
}

/* n copies of unit in; keep copies of out_unit (unit cleaned) then mark out. */
static void expect_cut(const struct texts *t, const char *what, const char *unit,
                       const char *out_unit, size_t n, size_t keep, const char *mark)
{
    char *in = repeat(unit, n), *prefix = repeat(out_unit, keep);
    char *owned = NULL;
    const char *got = cell_text(t, in, &owned);
    size_t want_len = strlen(prefix) + strlen(mark);
    check(got == owned && strlen(got) == want_len && !strncmp(got, prefix, strlen(prefix)) &&
              !strcmp(got + strlen(prefix), mark),
          "%s: got %zu bytes ending \"%s\", want %zu copies then \"%s\"", what, strlen(got),
          strlen(got) > 60 ? got + strlen(got) - 60 : got, keep, mark);
    free(owned);
    free(in);
    free(prefix);
}

static void test_cut(const char *templates)
{
    struct texts *en = NULL, *zh = NULL;
    struct vr_error err = {0};
    if (texts_load(&en, templates, "en_US", &err) != VR_OK ||
        texts_load(&zh, templates, "zh_CN", &err) != VR_OK) {
        check(0, "%s", err.msg);
        return;
    }
    char *owned = (char *)1;
    const char *s = "short";
    check(cell_text(en, s, &owned) == s && owned == NULL, "a short text goes as it is");
    char *full = repeat("a", CELL_TEXT_MAX);
    check(cell_text(en, full, &owned) == full && owned == NULL, "32,767 characters fit");
    free(full);
    char *bad = "caf\xe9";
    const char *got = cell_text(en, bad, &owned);
    check(got == owned && !strcmp(got, "caf" FFFD), "a short text is cleaned: \"%s\"", got);
    free(owned);

    /* "… [cut from 32,768 characters]" is 30 characters: 32,737 'a' fit. */
    expect_cut(en, "one over", "a", "a", 32768, 32737, "\xE2\x80\xA6 [cut from 32,768 characters]");
    /* An emoji takes two UTF-16 units, as Excel counts: 40,000 units in all;
     * the mark takes 30, so (32,767 - 30) / 2 = 16,368 emoji fit (32,736). */
    expect_cut(en, "emoji", "\xF0\x9F\x98\x80", "\xF0\x9F\x98\x80", 20000, 16368,
               "\xE2\x80\xA6 [cut from 20,000 characters]");
    /* Invalid bytes are cleaned first: 40,000 U+FFFD, one unit each. */
    expect_cut(en, "invalid bytes", "\xff", FFFD, 40000, 32737,
               "\xE2\x80\xA6 [cut from 40,000 characters]");
    /* Chinese: 40,012 characters of three bytes each; the mark
     * "……［已截断，原文共 40,012 个字符］" is 22 characters. */
    expect_cut(zh, "Chinese", "迟", "迟", 40012, 32745, "……［已截断，原文共 40,012 个字符］");
    texts_free(en);
    texts_free(zh);
}

/* A call libxlsxwriter refuses fails the workbook, naming sheet and cell. */
static void test_errors(const char *templates)
{
    struct texts *t = NULL;
    struct vr_error err = {0};
    if (texts_load(&t, templates, "en_US", &err) != VR_OK) {
        check(0, "%s", err.msg);
        return;
    }
    struct model m;
    model_init(&m);
    char dir[] = "/tmp/test_cell_text.XXXXXX";
    check(mkdtemp(dir) != NULL, "mkdtemp");
    char path[64];
    snprintf(path, sizeof(path), "%s/a.xlsx", dir);
    struct render_ctx ctx = {.m = &m, .t = t, .tmp_dir = dir};
    static const struct xw_sheet keys[] = {{"verbatims", "dept_book.sheet.verbatims", NULL, 0, 0}};

    struct xw x = {0};
    check(xw_open(&x, &ctx, path, keys, 1, &err) == VR_OK, "xw_open: %s", err.msg);
    put_text(&x.sh[0], 2, 3, "fine", NULL);
    put_text(&x.sh[0], LXW_ROW_MAX, 0, "beyond the last row", NULL);
    put_text(&x.sh[0], 4, 0, "after the error", NULL); /* the first error is the one told */
    enum vr_status st = xw_close(&x, path, &err);
    char want[256];
    snprintf(want, sizeof(want),
             "could not write workbook \"%s\": Worksheet row or column index out of range. "
             "(sheet \"Verbatims\", cell A1048577)",
             path);
    check(st == VR_ERR_OUTPUT && !strcmp(err.msg, want), "cell error:\n  got  %s\n  want %s",
          err.msg, want);

    /* worksheet_merge_range alone would swallow this one. */
    struct xw y = {0};
    err = (struct vr_error){0};
    check(xw_open(&y, &ctx, path, keys, 1, &err) == VR_OK, "xw_open: %s", err.msg);
    merge_text(&y.sh[0], 5, 0, 2, "merged", NULL);
    merge_text(&y.sh[0], 6, 16383, 16384, "merged beyond the last column", NULL);
    st = xw_close(&y, path, &err);
    check(st == VR_ERR_OUTPUT && strstr(err.msg, "(sheet \"Verbatims\", cell XFD7)"),
          "merge error: %s", err.msg);

    unlink(path);
    rmdir(dir);
    model_release(&m);
    texts_free(t);
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: %s TEMPLATE_DIR\n", argv[0]);
        return 2;
    }
    test_clean();
    test_cut(argv[1]);
    test_errors(argv[1]);
    return unit_check_done("test_cell_text");
}
