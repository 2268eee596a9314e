// shim.c defines the public mars_* functions exactly as mars.h declares them
// (so the compiler checks the header against the code, and const survives)
// and forwards to the private Go exports marsgo_*. Functions
// that need no Go state (errstr, buffers) are plain C here.
#define _GNU_SOURCE /* syscall(SYS_gettid) for the thread id cache */
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <stddef.h>
#include <string.h>
#include <time.h>

#if defined(__linux__)
#include <pthread.h>
#include <sys/syscall.h>
#include <unistd.h>
#endif

#include "mars.h"
#include "_cgo_export.h"

const char *mars_version(void) { return MARS_VERSION_STRING; }

int mars_version_number(void) { return marsgo_version_number(); }

/* features lists the names mars_has_feature answers 1 for; mars.h documents
 * each. Append only: a name once listed stays listed. */
static const char *const features[] = {
#ifndef MARS_XLOG_ONLY
    "stn", "sdt", "poll", "heartbeat_control", "network_quality",
    "max_in_flight", "max_packet_size", "receive_backlog", "doh_allow_http",
    "shortlink_network_error", "task_body", "task_end_resp", "account", "longlinks",
    "disable_longlink", "client_version_live", "gen_sequence_id", "extension_buffers",
    "codec_stream", "verify_connect", "proxy_info", "dns_profile", "channel_id",
    "codec_identify", "poll_task_ends",
#endif
    "xlog", "init_sized", "xlog_settings", "partial_decode", "xlog_lines_truncated",
    "compress_level", "xlog_printf",
};

int mars_has_feature(const char *name) {
    if (name == NULL) {
        return 0;
    }
    for (size_t i = 0; i < sizeof features / sizeof features[0]; i++) {
        if (strcmp(name, features[i]) == 0) {
            return 1;
        }
    }
    return 0;
}

const char *mars_errstr(int code) {
    switch (code) {
    case MARS_OK: return "ok";
    case MARS_EINVAL: return "invalid argument";
    case MARS_EBADHANDLE: return "bad handle";
    case MARS_ERANGE: return "buffer too small";
    case MARS_ESTATE: return "wrong state";
    case MARS_ECLOSED: return "closed";
    case MARS_EINTERNAL: return "internal error";
    case MARS_EIO: return "i/o error";
    case MARS_ELIMIT: return "too many objects";
    case MARS_EUNSUPPORTED: return "not supported in this build";
    case MARS_EFORMAT: return "bad format";
    case MARS_EPARTIAL: return "done in part: the input was damaged";
    case MARS_ENOMEM: return "out of memory";
    default: return "unknown error";
    }
}

// Limits that keep a confused callback from exhausting memory.
enum { buf_max = 64 << 20, str_list_max = 1024 };

int mars_buf_reserve(mars_buf *buf, size_t n, uint8_t **out) {
    if (buf == NULL || out == NULL || buf->len > buf_max || n > buf_max - buf->len) {
        return MARS_EINVAL;
    }
    size_t need = buf->len + n;
    if (need > buf->cap) {
        size_t cap = buf->cap < 256 ? 256 : buf->cap;
        while (cap < need) {
            cap *= 2;
        }
        uint8_t *p = realloc(buf->data, cap);
        if (p == NULL) {
            return MARS_ENOMEM;
        }
        buf->data = p;
        buf->cap = cap;
    }
    *out = buf->data + buf->len;
    return MARS_OK;
}

int mars_buf_commit(mars_buf *buf, size_t n) {
    if (buf == NULL || buf->len > buf->cap || n > buf->cap - buf->len) {
        return MARS_EINVAL;
    }
    buf->len += n;
    return MARS_OK;
}

int mars_buf_append(mars_buf *buf, const void *data, size_t n) {
    if (data == NULL && n > 0) {
        return MARS_EINVAL;
    }
    uint8_t *dst;
    int rc = mars_buf_reserve(buf, n, &dst);
    if (rc != MARS_OK) {
        return rc;
    }
    if (n > 0) {
        memcpy(dst, data, n);
    }
    buf->len += n;
    return MARS_OK;
}

int mars_str_list_add(mars_str_list *list, const char *s) {
    if (list == NULL || s == NULL || list->len >= str_list_max || list->len > list->cap) {
        return MARS_EINVAL;
    }
    if (list->len == list->cap) {
        size_t cap = list->cap == 0 ? 8 : list->cap * 2;
        char **items = realloc(list->items, cap * sizeof *items);
        if (items == NULL) {
            return MARS_ENOMEM;
        }
        list->items = items;
        list->cap = cap;
    }
    size_t n = strlen(s) + 1;
    char *copy = malloc(n);
    if (copy == NULL) {
        return MARS_ENOMEM;
    }
    memcpy(copy, s, n);
    list->items[list->len++] = copy;
    return MARS_OK;
}

void mars_free(void *p) { free(p); }

/* ---- struct copies ------------------------------------------------------ */

/* copy_in copies the caller's struct of *any* size into the library's full
 * size local: bytes the caller's (older) struct lacks keep the defaults
 * already in dst, bytes beyond ours (a newer header) are ignored. A
 * struct_size too small to hold struct_size itself is rejected. */
static int copy_in(void *dst, size_t dst_size, const void *src) {
    size_t n = *(const size_t *)src;
    if (n < sizeof(size_t)) {
        return MARS_EINVAL;
    }
    memcpy(dst, src, n < dst_size ? n : dst_size);
    *(size_t *)dst = dst_size;
    return MARS_OK;
}

/* copy_out is copy_in's mirror: it hands the caller the first out_size bytes
 * of the library's full src (the caller's older struct is a prefix of ours)
 * and sets its struct_size to what was filled. */
static void copy_out(void *out, size_t out_size, const void *src, size_t src_size) {
    size_t n = out_size < src_size ? out_size : src_size;
    memcpy(out, src, n);
    memcpy(out, &n, sizeof n);
}

/* clear_text_out empties the text outputs (those not NULL) before a call
 * that may fail, so the caller never sees stale values. */
static void clear_text_out(char **text, size_t *len) {
    if (text != NULL) {
        *text = NULL;
    }
    if (len != NULL) {
        *len = 0;
    }
}

/* ---- plain C initialisers: the same in every build ---------------------- */

int mars_stn_callbacks_init(mars_stn_callbacks *cb) {
    if (cb == NULL) {
        return MARS_EINVAL;
    }
    memset(cb, 0, sizeof *cb);
    cb->struct_size = sizeof *cb;
    return MARS_OK;
}

/* mars_task_init fills in Mars's task defaults (mars.h, mars_task). */
int mars_task_init(mars_task *t) {
    if (t == NULL) {
        return MARS_EINVAL;
    }
    memset(t, 0, sizeof *t);
    t->struct_size = sizeof *t;
    t->channel_select = MARS_CHANNEL_BOTH;
    t->priority = 3;
    t->retry_count = -1;
    t->server_process_cost_ms = -1;
    t->total_timeout_ms = -1;
    t->limit_flow = 1;
    t->limit_frequency = 1;
    return MARS_OK;
}

/* mars_longlink_config_init fills in the link defaults (mars.h). */
int mars_longlink_config_init(mars_longlink_config *c) {
    if (c == NULL) {
        return MARS_EINVAL;
    }
    memset(c, 0, sizeof *c);
    c->struct_size = sizeof *c;
    c->identify_check = 1;
    c->keep_alive = 1;
    return MARS_OK;
}

int mars_proxy_info_init(mars_proxy_info *p) {
    if (p == NULL) {
        return MARS_EINVAL;
    }
    memset(p, 0, sizeof *p);
    p->struct_size = sizeof *p;
    return MARS_OK;
}

/* ---- STN ---------------------------------------------------------------- */

/* The xlog-only build's Go side answers every STN call MARS_EUNSUPPORTED
 * (stn_stubs.go); a struct this file cannot read gets the same answer there,
 * so no STN call of that build says anything else. */
#ifdef MARS_XLOG_ONLY
enum { stn_bad_struct = MARS_EUNSUPPORTED };
#else
enum { stn_bad_struct = MARS_EINVAL };
#endif

int mars_proxy_is_available(const mars_proxy_info *proxy, const char *test_host, int test_port,
                            int timeout_ms, int *available, int *err_code) {
    if (available != NULL) {
        *available = 0;
    }
    if (err_code != NULL) {
        *err_code = -1;
    }
    if (proxy == NULL) {
        return marsgo_proxy_is_available(NULL, (char *)test_host, test_port, timeout_ms, available, err_code);
    }
    mars_proxy_info local;
    mars_proxy_info_init(&local);
    if (copy_in(&local, sizeof local, proxy) != MARS_OK) {
        return stn_bad_struct;
    }
    /* goProxy ends the strings inside this copy, whatever the caller wrote */
    return marsgo_proxy_is_available(&local, (char *)test_host, test_port, timeout_ms, available, err_code);
}

int mars_stn_config_init(mars_stn_config *cfg) {
    if (cfg == NULL) {
        return MARS_EINVAL;
    }
    memset(cfg, 0, sizeof *cfg);
    cfg->struct_size = sizeof *cfg;
    return marsgo_stn_config_init(cfg);
}

int mars_stn_create(const mars_stn_config *cfg, const mars_stn_callbacks *cb, mars_stn **out) {
    if (out != NULL) {
        *out = NULL;
    }
    if (cfg == NULL || cb == NULL || out == NULL) {
        return marsgo_stn_create(NULL, NULL, NULL, NULL);
    }
    mars_stn_config c;
    mars_stn_callbacks b;
    mars_longlink_codec k;
    memset(&c, 0, sizeof c);
    memset(&b, 0, sizeof b);
    memset(&k, 0, sizeof k);
    if (copy_in(&c, sizeof c, cfg) != MARS_OK || copy_in(&b, sizeof b, cb) != MARS_OK) {
        return stn_bad_struct;
    }
    if (c.codec != NULL && copy_in(&k, sizeof k, c.codec) != MARS_OK) {
        return stn_bad_struct;
    }
    uintptr_t id = 0;
    int rc = marsgo_stn_create(&c, &b, c.codec != NULL ? &k : NULL, &id);
    if (rc == MARS_OK) {
        *out = (mars_stn *)id;
    }
    return rc;
}

int mars_stn_destroy(mars_stn *s) { return marsgo_stn_destroy((uintptr_t)s); }

int mars_stn_errmsg(mars_stn *s, char *buf, size_t len) {
    return marsgo_stn_errmsg((uintptr_t)s, buf, len);
}

int mars_stn_start_task(mars_stn *s, const mars_task *t, uint32_t *out_taskid) {
    if (t == NULL) {
        return marsgo_stn_start_task((uintptr_t)s, NULL, out_taskid);
    }
    mars_task local;
    mars_task_init(&local);
    if (copy_in(&local, sizeof local, t) != MARS_OK) {
        return stn_bad_struct;
    }
    return marsgo_stn_start_task((uintptr_t)s, &local, out_taskid);
}

int mars_stn_stop_task(mars_stn *s, uint32_t taskid) { return marsgo_stn_stop_task((uintptr_t)s, taskid); }

int mars_stn_has_task(mars_stn *s, uint32_t taskid, int *out) {
    return marsgo_stn_has_task((uintptr_t)s, taskid, out);
}

int mars_stn_redo_tasks(mars_stn *s) { return marsgo_stn_redo_tasks((uintptr_t)s); }
int mars_stn_touch_tasks(mars_stn *s) { return marsgo_stn_touch_tasks((uintptr_t)s); }
int mars_stn_clear_tasks(mars_stn *s) { return marsgo_stn_clear_tasks((uintptr_t)s); }
int mars_stn_reset(mars_stn *s) { return marsgo_stn_reset((uintptr_t)s); }

int mars_stn_set_client_version(mars_stn *s, uint32_t version) {
    return marsgo_stn_set_client_version((uintptr_t)s, version);
}

int mars_stn_reset_and_init_encoder_version(mars_stn *s, uint32_t version) {
    return marsgo_stn_reset_and_init_encoder_version((uintptr_t)s, version);
}

int mars_stn_gen_sequence_id(uint32_t *out) { return marsgo_stn_gen_sequence_id(out); }

int mars_stn_makesure_longlink_connected(mars_stn *s) {
    return marsgo_stn_makesure_longlink_connected((uintptr_t)s);
}

int mars_stn_longlink_is_connected(mars_stn *s, int *out) {
    return marsgo_stn_longlink_is_connected((uintptr_t)s, out);
}

int mars_stn_set_longlink_svr_addr(mars_stn *s, const char *host, const uint16_t *ports,
                                   size_t ports_len, const char *debug_ip) {
    return marsgo_stn_set_longlink_svr_addr((uintptr_t)s, (char *)host, (uint16_t *)ports, ports_len,
                                            (char *)debug_ip);
}

int mars_stn_set_shortlink_svr_addr(mars_stn *s, uint16_t port, const char *debug_ip) {
    return marsgo_stn_set_shortlink_svr_addr((uintptr_t)s, port, (char *)debug_ip);
}

int mars_stn_set_debug_ip(mars_stn *s, const char *host, const char *ip) {
    return marsgo_stn_set_debug_ip((uintptr_t)s, (char *)host, (char *)ip);
}

int mars_stn_set_backup_ips(mars_stn *s, const char *host, const char *const *ips, size_t n) {
    return marsgo_stn_set_backup_ips((uintptr_t)s, (char *)host, (char **)ips, n);
}

int mars_stn_gen_task_id(mars_stn *s, uint32_t *out) { return marsgo_stn_gen_task_id((uintptr_t)s, out); }

int mars_stn_on_foreground(mars_stn *s, int foreground) {
    return marsgo_stn_on_foreground((uintptr_t)s, foreground);
}

int mars_stn_set_account(mars_stn *s, const char *user_name) {
    return marsgo_stn_set_account((uintptr_t)s, (char *)user_name);
}

int mars_stn_on_network_change(mars_stn *s, int network_type, const char *label) {
    return marsgo_stn_on_network_change((uintptr_t)s, network_type, (char *)label);
}

int mars_stn_set_signalling_strategy(mars_stn *s, int64_t period_ms, int64_t keep_time_ms) {
    return marsgo_stn_set_signalling_strategy((uintptr_t)s, period_ms, keep_time_ms);
}

/* The engine whose notifications this thread is running inside
 * mars_stn_poll or mars_stn_poll_task_ends: polling it again, by either,
 * from one of them would wait for itself. */
static __thread mars_stn *polling_now;

int mars_stn_poll(mars_stn *s, int64_t timeout_ms, int *out_ran) {
    if (s != NULL && s == polling_now) {
        if (out_ran != NULL) {
            *out_ran = 0;
        }
        return MARS_ESTATE;
    }
    mars_stn *outer = polling_now;
    polling_now = s;
    int rc = marsgo_stn_poll((uintptr_t)s, timeout_ms, out_ran);
    polling_now = outer;
    return rc;
}

int mars_stn_poll_task_ends(mars_stn *s, int64_t timeout_ms, mars_task_end *out, size_t cap,
                            size_t end_size, size_t *out_n, void **out_block) {
    if (out_n != NULL) {
        *out_n = 0;
    }
    if (out_block != NULL) {
        *out_block = NULL;
    }
    if (s != NULL && s == polling_now) {
        return MARS_ESTATE;
    }
    mars_stn *outer = polling_now;
    polling_now = s;
    int rc = marsgo_stn_poll_task_ends((uintptr_t)s, timeout_ms, out, cap, end_size, out_n, out_block);
    polling_now = outer;
    return rc;
}

int mars_stn_keep_signalling(mars_stn *s) { return marsgo_stn_keep_signalling((uintptr_t)s); }
int mars_stn_disable_longlink(mars_stn *s) { return marsgo_stn_disable_longlink((uintptr_t)s); }
int mars_stn_set_heartbeat_mode(mars_stn *s, int mode) { return marsgo_stn_set_heartbeat_mode((uintptr_t)s, mode); }
int mars_stn_trig_noop(mars_stn *s) { return marsgo_stn_trig_noop((uintptr_t)s); }

int mars_stn_heartbeat_interval(mars_stn *s, int64_t *out_ms) {
    return marsgo_stn_heartbeat_interval((uintptr_t)s, out_ms);
}

/* The engine fills a library-sized struct; the caller gets what fits in its
 * (possibly older) one. */
int mars_stn_network_quality(mars_stn *s, mars_network_quality *out) {
    if (out == NULL || out->struct_size < offsetof(mars_network_quality, level) + sizeof(int32_t)) {
        return marsgo_stn_network_quality((uintptr_t)s, NULL);
    }
    mars_network_quality local;
    memset(&local, 0, sizeof local);
    int rc = marsgo_stn_network_quality((uintptr_t)s, &local);
    if (rc == MARS_OK) {
        copy_out(out, out->struct_size, &local, sizeof local);
    }
    return rc;
}
int mars_stn_stop_signalling(mars_stn *s) { return marsgo_stn_stop_signalling((uintptr_t)s); }

/* ---- several long links -------------------------------------------------- */

int mars_stn_create_longlink(mars_stn *s, const mars_longlink_config *c) {
    /* A struct too small to hold name cannot name a link: the Go side
     * checks the handle, then rejects the NULL. */
    if (c == NULL || c->struct_size < offsetof(mars_longlink_config, name) + sizeof c->name) {
        return marsgo_stn_create_longlink((uintptr_t)s, NULL, NULL);
    }
    mars_longlink_config local;
    mars_longlink_codec k;
    mars_longlink_config_init(&local);
    memset(&k, 0, sizeof k);
    if (copy_in(&local, sizeof local, c) != MARS_OK) {
        return stn_bad_struct;
    }
    if (local.codec != NULL && copy_in(&k, sizeof k, local.codec) != MARS_OK) {
        return stn_bad_struct;
    }
    return marsgo_stn_create_longlink((uintptr_t)s, &local, local.codec != NULL ? &k : NULL);
}

int mars_stn_destroy_longlink(mars_stn *s, const char *name) {
    return marsgo_stn_destroy_longlink((uintptr_t)s, (char *)name);
}

int mars_stn_longlinks(mars_stn *s, char **out_names, size_t *out_len) {
    clear_text_out(out_names, out_len);
    return marsgo_stn_longlinks((uintptr_t)s, out_names, out_len);
}

int mars_stn_main_longlink(mars_stn *s, char *buf, size_t buf_len) {
    return marsgo_stn_main_longlink((uintptr_t)s, buf, buf_len);
}

int mars_stn_mark_main_longlink(mars_stn *s, const char *name) {
    return marsgo_stn_mark_main_longlink((uintptr_t)s, (char *)name);
}

int mars_stn_named_longlink_is_connected(mars_stn *s, const char *name, int *out) {
    return marsgo_stn_named_longlink_is_connected((uintptr_t)s, (char *)name, out);
}

int mars_stn_longlink_connection_id(mars_stn *s, const char *name, uint64_t *out) {
    return marsgo_stn_longlink_connection_id((uintptr_t)s, (char *)name, out);
}

int mars_stn_makesure_named_longlink_connected(mars_stn *s, const char *name) {
    return marsgo_stn_makesure_named_longlink_connected((uintptr_t)s, (char *)name);
}

int mars_sdt_check(const char *request_json, uint32_t client_version, char **out_json, size_t *out_len) {
    clear_text_out(out_json, out_len);
    return marsgo_sdt_check((char *)request_json, client_version, out_json, out_len);
}



/* ---- xlog --------------------------------------------------------------- */

int mars_xlog_config_init(mars_xlog_config *cfg) {
    if (cfg == NULL) {
        return MARS_EINVAL;
    }
    memset(cfg, 0, sizeof *cfg);
    cfg->struct_size = sizeof *cfg;
    return marsgo_xlog_config_init(cfg);
}

int mars_xlog_open(const mars_xlog_config *cfg, mars_xlog **out) {
    if (out != NULL) {
        *out = NULL;
    }
    if (cfg == NULL || out == NULL) {
        return marsgo_xlog_open(NULL, NULL);
    }
    mars_xlog_config c;
    memset(&c, 0, sizeof c);
    if (copy_in(&c, sizeof c, cfg) != MARS_OK) {
        return MARS_EINVAL;
    }
    uintptr_t id = 0;
    int rc = marsgo_xlog_open(&c, &id);
    if (rc == MARS_OK) {
        *out = (mars_xlog *)id;
    }
    return rc;
}

int mars_xlog_close(mars_xlog *x) { return marsgo_xlog_close((uintptr_t)x); }

#if defined(__linux__)

/* line_tid caches the calling thread's kernel id: every line prints it, and
 * gettid is a system call (9 % of an lz4 line). A forked child's thread has
 * a new id, so fork clears the cache of the thread that forked, the only
 * thread in the child. */
static __thread int line_tid;
static pthread_once_t line_tid_once = PTHREAD_ONCE_INIT;

static void line_tid_forget(void) { line_tid = 0; }
static void line_tid_register(void) { pthread_atfork(NULL, NULL, line_tid_forget); }

static int current_tid(void) {
    if (line_tid == 0) {
        pthread_once(&line_tid_once, line_tid_register);
        line_tid = (int)syscall(SYS_gettid);
    }
    return line_tid;
}
#else
static int current_tid(void) { return 0; } /* 0: the Go side finds the thread */
#endif

/* The level mirror behind mars_xlog_enabled: one entry per handle slot (an
 * id's low 12 bits), written by the Go side whenever an appender opens,
 * changes level or closes. The reader checks the id first, so a slot's
 * previous or next appender never answers for x; a stale answer for an
 * appender being closed only costs a formatting the write then refuses, or
 * gives a line below the level MARS_OK where the close, had it come first,
 * would have given MARS_EBADHANDLE. The id is cleared before
 * mars_xlog_close returns. */
enum { level_slots = 1 << 12 };
static _Atomic uintptr_t level_ids[level_slots];
static _Atomic int level_values[level_slots];

void marsgo_level_mirror_store(uintptr_t id, int level) {
    size_t slot = id & (level_slots - 1);
    atomic_store_explicit(&level_values[slot], level, memory_order_relaxed);
    atomic_store_explicit(&level_ids[slot], id, memory_order_release);
}

void marsgo_level_mirror_clear(uintptr_t id) {
    uintptr_t want = id;
    atomic_compare_exchange_strong(&level_ids[id & (level_slots - 1)], &want, 0);
}

/* mirror_level reads x's level into *min if the mirror knows x (then x is
 * open): 1; 0 if it does not (x is closed, never valid, or its slot holds
 * another appender) and only Go can tell. */
static int mirror_level(uintptr_t id, int *min) {
    size_t slot = id & (level_slots - 1);
    if (id == 0 || atomic_load_explicit(&level_ids[slot], memory_order_acquire) != id) {
        return 0;
    }
    *min = atomic_load_explicit(&level_values[slot], memory_order_relaxed);
    return 1;
}

/* level_filtered reports whether the mirror knows x and its level filters
 * level out: a write the caller need not cross into Go for. */
static int level_filtered(uintptr_t id, int level) {
    int min;
    return mirror_level(id, &min) && level < min;
}

/* A line's time is read here, not in Go: one clock_gettime instead of Go's
 * time.Now, which reads the monotonic clock too (a line needs only the wall
 * clock). 0, 0: Go reads the time. */
int mars_xlog_write(mars_xlog *x, int level, const char *tag, const char *file, const char *func,
                    int line, const char *msg) {
    if (msg != NULL && level >= MARS_LEVEL_VERBOSE && level < MARS_LEVEL_NONE &&
        level_filtered((uintptr_t)x, level)) {
        return MARS_OK;
    }
    struct timespec ts;
    if (clock_gettime(CLOCK_REALTIME, &ts) != 0) {
        ts.tv_sec = 0, ts.tv_nsec = 0;
    }
    return marsgo_xlog_write((uintptr_t)x, level, (char *)tag, (char *)file, (char *)func, line,
                             (char *)msg, current_tid(), (int64_t)ts.tv_sec, (int32_t)ts.tv_nsec);
}

int mars_xlog_flush(mars_xlog *x, int sync) { return marsgo_xlog_flush((uintptr_t)x, sync); }
int mars_xlog_set_level(mars_xlog *x, int level) { return marsgo_xlog_set_level((uintptr_t)x, level); }
int mars_xlog_get_level(mars_xlog *x, int *out) { return marsgo_xlog_get_level((uintptr_t)x, out); }
int mars_xlog_enabled(mars_xlog *x, int level) {
    uintptr_t id = (uintptr_t)x;
    if (id == 0 || level < MARS_LEVEL_VERBOSE || level >= MARS_LEVEL_NONE) {
        return 0;
    }
    int min;
    if (!mirror_level(id, &min) && marsgo_xlog_get_level(id, &min) != MARS_OK) {
        return 0;
    }
    return level >= min;
}

int mars_xlog_vprintf(mars_xlog *x, int level, const char *tag, const char *file, const char *func,
                      int line, const char *fmt, va_list ap) {
    if (fmt == NULL) {
        return mars_xlog_write(x, level, tag, file, func, line, NULL);
    }
    if (level < MARS_LEVEL_VERBOSE || level >= MARS_LEVEL_NONE) {
        return MARS_EINVAL;
    }
    if (level_filtered((uintptr_t)x, level)) {
        return MARS_OK;
    }
    if (!mars_xlog_enabled(x, level)) {
        int min; /* filtered out (MARS_OK) or a bad handle: nothing formatted */
        return marsgo_xlog_get_level((uintptr_t)x, &min);
    }
    char small[1024];
    va_list again;
    va_copy(again, ap);
    int n = vsnprintf(small, sizeof small, fmt, ap);
    int rc;
    if (n < 0) {
        rc = mars_xlog_write(x, level, tag, file, func, line, NULL);
    } else if ((size_t)n < sizeof small) {
        rc = mars_xlog_write(x, level, tag, file, func, line, small);
    } else {
        char *big = malloc((size_t)n + 1);
        if (big != NULL && vsnprintf(big, (size_t)n + 1, fmt, again) == n) {
            rc = mars_xlog_write(x, level, tag, file, func, line, big);
        } else {
            rc = mars_xlog_write(x, level, tag, file, func, line, small); /* the start of it */
        }
        free(big);
    }
    va_end(again);
    return rc;
}

int mars_xlog_printf(mars_xlog *x, int level, const char *tag, const char *file, const char *func,
                     int line, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    int rc = mars_xlog_vprintf(x, level, tag, file, func, line, fmt, ap);
    va_end(ap);
    return rc;
}

int mars_xlog_set_console(mars_xlog *x, int on) { return marsgo_xlog_set_console((uintptr_t)x, on); }
int mars_xlog_set_mode(mars_xlog *x, int mode) { return marsgo_xlog_set_mode((uintptr_t)x, mode); }

int mars_xlog_set_max_file_size(mars_xlog *x, int64_t bytes) {
    return marsgo_xlog_set_max_file_size((uintptr_t)x, bytes);
}

int mars_xlog_set_max_alive_time(mars_xlog *x, int64_t ms) {
    return marsgo_xlog_set_max_alive_time((uintptr_t)x, ms);
}

int mars_xlog_get_stats(mars_xlog *x, mars_xlog_stats *out) {
    if (out == NULL || out->struct_size < offsetof(mars_xlog_stats, lines_written) + sizeof(uint64_t)) {
        return marsgo_xlog_get_stats((uintptr_t)x, NULL);
    }
    mars_xlog_stats local;
    memset(&local, 0, sizeof local);
    int rc = marsgo_xlog_get_stats((uintptr_t)x, &local);
    if (rc == MARS_OK) {
        copy_out(out, out->struct_size, &local, sizeof local);
    }
    return rc;
}

int mars_xlog_errmsg(mars_xlog *x, char *buf, size_t len) {
    return marsgo_xlog_errmsg((uintptr_t)x, buf, len);
}

int mars_xlog_decode_file(const char *in_path, const char *priv_key, const char *out_path) {
    return marsgo_xlog_decode_file((char *)in_path, (char *)priv_key, (char *)out_path);
}

int mars_xlog_decode(const char *in_path, const char *priv_key, char **out_text, size_t *out_len) {
    clear_text_out(out_text, out_len);
    return marsgo_xlog_decode((char *)in_path, (char *)priv_key, out_text, out_len);
}

/* ---- size-taking initialisers (mars.h: for callers built against another
 * header version) ------------------------------------------------------------ */

/* init_sized hands the caller the part of an initialised struct that fits
 * its size (copy_out), with the initialiser's result. */
static int init_sized(void *p, size_t size, const void *full, size_t full_size, int rc) {
    if (p == NULL || size < sizeof(size_t)) {
        return MARS_EINVAL;
    }
    copy_out(p, size, full, full_size);
    return rc;
}

int mars_stn_config_init_sized(mars_stn_config *cfg, size_t size) {
    mars_stn_config full;
    int rc = mars_stn_config_init(&full);
    return init_sized(cfg, size, &full, sizeof full, rc);
}

int mars_stn_callbacks_init_sized(mars_stn_callbacks *cb, size_t size) {
    mars_stn_callbacks full;
    int rc = mars_stn_callbacks_init(&full);
    return init_sized(cb, size, &full, sizeof full, rc);
}

int mars_task_init_sized(mars_task *t, size_t size) {
    mars_task full;
    int rc = mars_task_init(&full);
    return init_sized(t, size, &full, sizeof full, rc);
}

int mars_xlog_config_init_sized(mars_xlog_config *cfg, size_t size) {
    mars_xlog_config full;
    int rc = mars_xlog_config_init(&full);
    return init_sized(cfg, size, &full, sizeof full, rc);
}

int mars_longlink_config_init_sized(mars_longlink_config *c, size_t size) {
    mars_longlink_config full;
    int rc = mars_longlink_config_init(&full);
    return init_sized(c, size, &full, sizeof full, rc);
}

int mars_proxy_info_init_sized(mars_proxy_info *p, size_t size) {
    mars_proxy_info full;
    int rc = mars_proxy_info_init(&full);
    return init_sized(p, size, &full, sizeof full, rc);
}
