/* The contract is in signals.h. */
#include "signals.h"

#include <string.h>

static volatile sig_atomic_t caught;
static PGcancel *volatile cancels[SIGNAL_N_CONNS];

static void on_signal(int sig)
{
    caught = sig;
    char buf[256];
    for (int i = 0; i < SIGNAL_N_CONNS; i++)
        if (cancels[i])
            PQcancel(cancels[i], buf, sizeof(buf));
}

void signals_install(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
}

int signals_caught(void)
{
    return caught;
}

const volatile sig_atomic_t *signals_flag(void)
{
    return &caught;
}

void signals_cancel_on(enum signal_conn slot, PGconn *conn)
{
    PGcancel *old = cancels[slot];
    /* The handler must never see a freed object: unhook, then free. */
    cancels[slot] = NULL;
    PQfreeCancel(old);
    cancels[slot] = conn ? PQgetCancel(conn) : NULL;
}
