/* Named values of sql/ files (jobs/base/sql_file.c): each :'name' becomes a
 * parameter numbered by first appearance, repeated names share one, and
 * nothing inside a literal, a quoted identifier, a comment or a dollar-quoted
 * body is taken for a name.  Expected texts written by hand. */
#include "jobs/base/sql_file.h"
#include "unit_check.h"

#include <stdlib.h>
#include <string.h>

static struct db db = {.src = "\"source\"", .res = "\"results\""};

static void bind_ok(const char *text, const struct sql_arg *args, const char *want, int want_n,
                    const char *first_value)
{
    const char *values[8] = {0};
    int n = -1;
    struct vr_error err = {0};
    char *got = sql_bind_text(&db, "t.sql", text, args, values, 8, &n, &err);
    check(got && !strcmp(got, want), "bind %s: got %s, want %s", text, got ? got : err.msg, want);
    check(n == want_n, "bind %s: %d values, want %d", text, n, want_n);
    if (want_n > 0)
        check(values[0] && first_value && !strcmp(values[0], first_value), "bind %s: $1 = %s", text,
              values[0] ? values[0] : "NULL");
    free(got);
}

int main(void)
{
    const struct sql_arg *a = SQL_ARGS({"lo", "2026-01-01"}, {"hi", "2026-02-01"}, {"n", "5"});
    bind_ok("SELECT 1 WHERE t >= :'lo' AND t < :'hi' OR t = :'lo'", a,
            "SELECT 1 WHERE t >= $1 AND t < $2 OR t = $1", 2, "2026-01-01");
    bind_ok("SELECT :'hi'::date, x::text", a, "SELECT $1::date, x::text", 1, "2026-02-01");
    bind_ok("SELECT ':''lo''', \":'lo'\" -- :'lo'\n/* :'hi' */ FROM :\"src\".t", a,
            "SELECT ':''lo''', \":'lo'\" -- :'lo'\n/* :'hi' */ FROM \"source\".t", 0, NULL);
    bind_ok("CREATE FUNCTION f() RETURNS int LANGUAGE sql AS $$ SELECT :'n' $$; SELECT :'n'", a,
            "CREATE FUNCTION f() RETURNS int LANGUAGE sql AS $$ SELECT :'n' $$; SELECT $1", 1, "5");
    bind_ok("SELECT a[1:2] FROM :\"res\".runs", a, "SELECT a[1:2] FROM \"results\".runs", 0, NULL);

    /* A name without a value is the program's bug, said with the file. */
    const char *values[2];
    int n = 0;
    struct vr_error err = {0};
    char *got = sql_bind_text(&db, "t.sql", "SELECT :'missing'", a, values, 2, &n, &err);
    check(!got && err.status == VR_ERR_INTERNAL && strstr(err.msg, "sql/t.sql") &&
              strstr(err.msg, ":'missing'"),
          "missing value: %s", err.msg);
    free(got);
    /* More distinct values than the caller has room for. */
    err = (struct vr_error){0};
    got = sql_bind_text(&db, "t.sql", "SELECT :'lo', :'hi', :'n'", a, values, 2, &n, &err);
    check(!got && err.status == VR_ERR_INTERNAL, "too many values: %s", got ? got : err.msg);
    free(got);

    /* The embedded files are there, and their text is the file's. */
    const char *scores = sql_file_text("compute/survey_scores.sql");
    check(scores && strstr(scores, "Survey scores") && !sql_file_text("nope.sql"),
          "embedded sql/compute/survey_scores.sql");
    return unit_check_done("test_sql_file");
}
