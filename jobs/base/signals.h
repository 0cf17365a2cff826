/* SIGINT, SIGTERM and SIGHUP for the whole process: the handler only
 * records the signal and cancels the queries in flight on the connections
 * registered here (PQcancel is async-signal-safe), so every stage stops at
 * its next check and the normal error path records what happened.  A
 * systemd stop or a shutdown during a mail outage ends the process in
 * seconds, not after the retries. */
#ifndef VR_SIGNALS_H
#define VR_SIGNALS_H

#include <libpq-fe.h>
#include <signal.h>
#include <stdbool.h>

enum signal_conn { SIGNAL_CONN_SOURCE, SIGNAL_CONN_META, SIGNAL_N_CONNS };

/* Installs the handlers (idempotent). */
void signals_install(void);
/* The signal number caught, 0 when none. */
int signals_caught(void);
/* The flag itself, for code that polls it (mail_server.stop). */
const volatile sig_atomic_t *signals_flag(void);
/* Cancels conn's running query on a signal; NULL stops that.  The cancel
 * object is owned here. */
void signals_cancel_on(enum signal_conn slot, PGconn *conn);

#endif
