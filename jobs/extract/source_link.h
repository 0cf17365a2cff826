/* [database] source_conninfo: the contract views live on another server (a
 * read replica, a warehouse) while results, locks and run records stay on
 * the primary ([database] conninfo).  The job's sessions stay on the
 * primary and read the source through postgres_fdw: each run, under the
 * job's lock, source_link_refresh recreates a foreign server, the current
 * user's mapping and a schema of foreign tables imported from the source
 * schema (docs/decisions.md "Source on another server").  Every later
 * reader of the source is pointed at that schema, so nothing else in the
 * job knows where the source lives.
 *
 * A hot standby cannot host the run's temporary tables; the primary can,
 * and postgres_fdw reads the remote inside one REPEATABLE READ transaction
 * per local transaction, so the run keeps its single snapshot. */
#ifndef VR_SOURCE_LINK_H
#define VR_SOURCE_LINK_H

#include "jobs/base/db.h"
#include "jobs/base/error.h"
#include "jobs/config/config.h"

/* The local schema (and foreign server) name of a job's link:
 * <results_schema>_src_<job>.  Caller frees. */
char *source_link_name(const struct config *c, const char *job);

/* On db (the primary): makes sure postgres_fdw is installed, recreates the
 * job's server, user mapping and foreign tables, and points db's {src} at
 * them.  *schema receives the local schema's name (caller frees).  A
 * source server that cannot be reached is VR_ERR_DB, naming
 * source_conninfo; the connection string's values reach the server only
 * as bind parameters, never in a statement's text. */
enum vr_status source_link_refresh(struct db *db, const struct config *c, const char *job,
                                   char **schema, struct vr_error *err);

#endif
