/* Session settings of the connections that read the whole source: the
 * snapshot of the compute stage and the search for new feedback. */
#ifndef VR_BATCH_SETTINGS_H
#define VR_BATCH_SETTINGS_H

/* jit: PostgreSQL compiles a plan whose cost passes jit_above_cost, and every
 * whole-table query of a run does; the compilation (about 1 s a query on the
 * 2-core bench machine) costs more than the expressions it speeds up, which
 * are few per row here.  temp_buffers: the run's temporary tables (the
 * checked copies of quality.c) stay in memory instead of spilling to files
 * past the 8 MB default; it is a ceiling, allocated as used.
 * docs/benchmark.md has the measurements. */
#define DB_BATCH_SETTINGS "SET work_mem = '128MB'; SET jit = off; SET temp_buffers = '512MB'"

#endif
