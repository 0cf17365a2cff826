/* Line breaking of the PDFs (report/pdf_draw.c pdf_wrap), at every width a
 * tile or column may have: a per cent sign stays with its number ("−86.7 %"
 * never ends a line with "-86.7" and starts the next with "%"), a
 * comparison stays whole ("p < 0.001"), and no word is lost. */
#include "jobs/base/strbuf.h"
#include "jobs/model/model.h"
#include "report/pdf_draw.h"
#include "unit_check.h"

#include <stdlib.h>
#include <string.h>

static char *joined(const struct lines *l)
{
    struct strbuf sb;
    strbuf_init(&sb);
    for (size_t i = 0; i < l->n; i++)
        strbuf_addf(&sb, "%s%s", i ? " " : "", l->v[i]);
    return strbuf_detach(&sb);
}

static void no_orphan(struct pdf *p, const char *text, const char *glued_next)
{
    double full = pdf_text_width(p, text, 9);
    for (double w = full; w >= 60; w -= 1.5) {
        struct lines l = {0};
        pdf_wrap(p, text, 9, w, &l);
        char *all = joined(&l);
        check(!strcmp(all, text), "%.1f pt: the words are kept (%s)", w, all);
        for (size_t i = 0; i < l.n; i++)
            check(strncmp(l.v[i], glued_next, strlen(glued_next)),
                  "%.1f pt: line %zu starts with \"%s\": \"%s\"", w, i, glued_next, l.v[i]);
        free(all);
        pdf_lines_release(&l);
    }
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: test_pdf_wrap FONT\n");
        return 2;
    }
    struct model m;
    model_init(&m);
    struct pdf p = {.m = &m};
    struct vr_error err = {0};
    check(pdf_doc_open(&p, argv[1], "test", "test", "/dev/null", &err) == VR_OK && p.font,
          "font %s: %s", argv[1], err.msg);
    if (p.font) {
        no_orphan(&p, "95 % CI -113.5 % to -86.7 %", "%");
        no_orphan(&p, "churned at 21.4 % against 10.0 % for other customers", "%");
        no_orphan(&p, "significant: p < 0.001 and n = 160", "<");
    }
    HPDF_Free(p.doc);
    model_release(&m);
    return unit_check_done("test_pdf_wrap");
}
