/* The data contract (data-contract.md) as one table: every source view the
 * job reads, its columns and their types, whether a company must have it,
 * the row rules of quality.c, and the figures an optional view feeds.
 *
 * Before anything reads the source, contract_check compares the views of
 * the source schema with the table, from the catalog and all at once: one
 * error (VR_ERR_DATA) lists every missing required view, missing column,
 * wrong type and time without a zone, each with what to do.  A view a
 * company may leave out and does not have is recorded as a gap: the
 * figures it feeds are NULL with the flag no_<view> (empty_<view> when it
 * has no usable row, found by quality.c).
 *
 * The job never reads {src}.<view> itself: contract_open_views creates, on
 * a connection, one temporary view src_<view> per contract view (all the
 * view's columns, times without a zone read in [database]
 * source_time_zone; for an absent view no row of the contract's columns),
 * so that a time is converted in one place and an absent view reads as an
 * empty one. */
#ifndef VR_CONTRACT_H
#define VR_CONTRACT_H

#include "jobs/base/db.h"
#include "jobs/config/config.h"
#include "jobs/model/model.h"

#include <stdbool.h>

/* What a contract column accepts.  "Wider" types are accepted: a view may
 * hand over an integer for a smallint score or varchar for text. */
enum col_kind {
    COL_ID,     /* bigint, integer, smallint */
    COL_NUMBER, /* any number type: smallint .. bigint, numeric, real, double precision */
    COL_TEXT,   /* text, varchar, char */
    COL_TIME,   /* timestamptz; timestamp (or date) only with [database] source_time_zone */
    COL_DATE,   /* date */
};

struct contract_column {
    const char *name;
    enum col_kind kind;
    const char *type; /* as data-contract.md writes it; also the type of an absent view's column */
};

#define CONTRACT_MAX_COLUMNS 10
#define CONTRACT_TABLES 9

struct source_table {
    const char *name;
    bool required;
    struct contract_column cols[CONTRACT_MAX_COLUMNS]; /* ends at a NULL name */
    /* Row rules (docs/decisions.md "Rejected rows"): the file under sql/
     * that judges the view's rows into t_<view> (quality.c); without it
     * (program_costs, business_metrics) a view is read as it is. */
    const char *judged_sql;
    const char *pk; /* NULL: no primary key, no duplicate rule */
    const char *ts; /* ranks duplicates */
    bool orphan_rule; /* its rows need a kept customer (extract/orphan_keys.sql) */
    /* An optional view: the figure codes that need it, space-separated; a
     * trailing '*' matches a prefix, a trailing '?' marks one of several
     * sources of which any one is enough (cohorts: feedback or events). */
    const char *feeds;
    /* The churn rule this view is the source of ("explicit", "inactivity"):
     * under that rule the churn figures need it too. */
    const char *churn_rule;
};

extern const struct source_table contract_tables[CONTRACT_TABLES];

/* What the check found in the source schema, for contract_open_views. */
struct source_shape {
    bool present[CONTRACT_TABLES];
    char *select[CONTRACT_TABLES]; /* the select list of src_<view> over {src}.<view> s */
    char *source_time_zone;        /* set when a column is read in it */
};

/* Checks every contract view of the source schema (the connection's {src}),
 * fills shape, records absent optional views as gaps in the model, records
 * source_time_zone as a parameter when a column is read in it, and
 * installs the model's figure_gap rule (contract_figure_gap).  Fails with
 * VR_ERR_DATA listing every problem. */
enum vr_status contract_check(struct db *db, const struct config *c, const struct job_config *job,
                              struct source_shape *shape, struct model *m, struct vr_error *err);

/* Creates the temporary views src_<view> on db's connection. */
enum vr_status contract_open_views(struct db *db, const struct source_shape *shape,
                                   struct vr_error *err);

/* The reasons a figure of this code cannot be measured (the gaps of the
 * views it needs, ','-joined, e.g. "no_orders") into flag; false when it
 * can.  Which views a churn figure needs follows the model's churn_rule
 * parameter; gross_margin needs orders only when it is derived. */
bool contract_figure_gap(const struct model *m, const char *code, char *flag, size_t n);

/* The index of a contract view, or -1. */
int contract_table_index(const char *name);

void source_shape_release(struct source_shape *shape);

#endif
