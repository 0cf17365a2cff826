/* vocreport suggest-topics: candidate topics for the own-brand feedback the
 * taxonomy leaves unread (README "What customers say", docs/topics.md).
 *
 * Reads the feedback view through the data contract, own brand, received
 * from since (YYYY-MM-DD in the time zone of the config's first job; NULL:
 * 90 days before today) until now, one copy per feedback_id as the nightly
 * tagging keeps it, bodies with words only.  A row is unread when it has no
 * upstream topic and no keyword of the config's taxonomy matches it.  The
 * rows are streamed three times (libpq single-row mode, one snapshot):
 * counting terms (classify/suggest.h), counting which distinctive terms
 * occur together, and measuring each candidate: its lines are loaded by the
 * taxonomy loader itself, so every block printed is known to load, and its
 * volume is the unread comments those lines would tag (each comment to its
 * best candidate), its negative share by the run's rule (upstream
 * sentiment, else the sentiment model; below -0.05), its quotes the three
 * newest.
 *
 * Writes to out a text that is itself a taxonomy file: ';' comment lines
 * (what was read, and per candidate its volume, negative share and quotes)
 * and one [topic.*] block per candidate, the largest `limit` first.  Never
 * writes to the database.  Fails with VR_ERR_DB (database), VR_ERR_DATA
 * (the source views break the contract), VR_ERR_CONFIG (taxonomy, model). */
#ifndef VR_SUGGEST_TOPICS_H
#define VR_SUGGEST_TOPICS_H

#include "jobs/base/error.h"
#include "jobs/config/config.h"

#include <stdio.h>

enum vr_status suggest_topics(const struct config *c, const char *since, int limit, FILE *out,
                              struct vr_error *err);

#endif
