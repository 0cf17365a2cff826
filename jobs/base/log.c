#include "log.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

static long long ctx_run_id;
static char ctx_job[128];
static enum log_level min_level = LOG_INFO;

void log_set_context(long long run_id, const char *job)
{
    ctx_run_id = run_id;
    snprintf(ctx_job, sizeof(ctx_job), "%s", job ? job : "");
}

void log_set_level(enum log_level min)
{
    min_level = min;
}

void log_msg(enum log_level level, const char *fmt, ...)
{
    static const char *const names[] = {"DEBUG", "INFO", "WARN", "ERROR"};
    if (level < min_level)
        return;
    struct timespec ts;
    struct tm tm;
    char when[32];
    clock_gettime(CLOCK_REALTIME, &ts);
    gmtime_r(&ts.tv_sec, &tm);
    strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm);

    char msg[4096];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    fprintf(stderr, "%s %-5s run=%lld job=%s %s\n", when, names[level], ctx_run_id,
            *ctx_job ? ctx_job : "-", msg);
}
