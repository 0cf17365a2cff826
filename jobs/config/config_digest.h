/* The config's fingerprint: sha256 of the file, recorded in runs.config_digest
 * and printed (twelve hex digits) in every PDF footer and by check-config,
 * so a reader can tell which config made a report.  A fingerprint is
 * public: it must not depend on a secret, or the footer would let anyone
 * test password guesses offline.  The [database] conninfo and
 * source_conninfo lines are hashed with their password values masked;
 * every other byte of the file counts. */
#ifndef VR_CONFIG_DIGEST_H
#define VR_CONFIG_DIGEST_H

/* conninfo with the values of password and sslpassword replaced by "***",
 * in the key=value form (password=x, password = 'a b') and in the URI form
 * (postgresql://user:x@host/db?password=x).  Everything else is kept byte
 * for byte.  Caller frees. */
char *conninfo_mask(const char *conninfo);

/* The sha256 of the file at path as hex, lines conninfo_line and
 * source_conninfo_line (1-based; 0 = none) hashed with the value after
 * their "=" or ":" masked by conninfo_mask.  "" when the file cannot be
 * read.  Caller frees. */
char *config_digest(const char *path, int conninfo_line, int source_conninfo_line);

#endif
