/* Log lines on stderr: time, level, run id and job, then the message.
 * Never pass a connection string or a password here. */
#ifndef VR_LOG_H
#define VR_LOG_H

enum log_level { LOG_DEBUG, LOG_INFO, LOG_WARN, LOG_ERROR };

/* Sets the context printed on every later line; run_id 0 = none yet. */
void log_set_context(long long run_id, const char *job);
void log_set_level(enum log_level min);
void log_msg(enum log_level level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#define log_info(...) log_msg(LOG_INFO, __VA_ARGS__)
#define log_warn(...) log_msg(LOG_WARN, __VA_ARGS__)
#define log_error(...) log_msg(LOG_ERROR, __VA_ARGS__)
#define log_debug(...) log_msg(LOG_DEBUG, __VA_ARGS__)

#endif
