/* stn_fixture.h — what the STN C tests share: marsd's address, a context
 * every callback sees, callbacks that build and check "task <id>" bodies,
 * and engine constructors. Included by one test program each. */
#ifndef MARS_TEST_STN_FIXTURE_H
#define MARS_TEST_STN_FIXTURE_H

#include "harness.h"

#include <sched.h>

#define CLIENT_VERSION 200

/* marsd's special request cmdids (marsd package doc). */
#define CMD_ECHO 100
#define CMD_PUSH_ECHO 10002
#define CMD_SILENCE 10004
#define CMD_PUSH 10001

static marsd g_srv;

/* ctx is what every callback of one test sees through user_data. */
typedef struct ctx {
    mars_stn *stn;
    event ended;
    event pushed;
    pthread_mutex_t mu;
    int ok_ends, failed_ends;
    int last_err_type, last_err_code;
    uint32_t last_taskid;
    int has_task_in_req2buf;
    char last_push[256];
    uint32_t push_cmdid;
    /* reentrancy switches */
    int start_task_in_end;  /* on_task_end of the first task starts one more */
    int reset_in_push;      /* on_push calls mars_stn_reset */
    int destroy_in_end;     /* on_task_end destroys the engine */
    int destroy_rc;
    int resets_seen;
    int profile_ok;
    /* address and link observations */
    int dns_calls, dns_longlink;
    char dns_host[128];
    int identify_asked, identify_answered, identify_resp_ok;
    unsigned status_seen; /* bit per MARS_LONGLINK_* */
    int connect_status_reports;
    int64_t traffic_sent, traffic_recv;
    event identified;
} ctx;

static void ctx_init(ctx *c) {
    memset(c, 0, sizeof *c);
    pthread_mutex_init(&c->mu, NULL);
    event_init(&c->ended);
    event_init(&c->pushed);
    event_init(&c->identified);
}

/* The request body is "task <id>"; buf2resp checks marsd echoed it. */
static int req2buf(void *ud, const mars_task_ref *t, int channel, const char *host, mars_buf *out,
                   int *err_code) {
    ctx *c = ud;
    char body[64];
    int n = snprintf(body, sizeof body, "task %u", t->taskid);
    if (c->stn) {
        int has = 0;
        if (mars_stn_has_task(c->stn, t->taskid, &has) == MARS_OK && has) {
            pthread_mutex_lock(&c->mu);
            c->has_task_in_req2buf++;
            pthread_mutex_unlock(&c->mu);
        }
    }
    *err_code = 0;
    return mars_buf_append(out, body, (size_t)n) == MARS_OK;
}

static int buf2resp(void *ud, const mars_task_ref *t, int channel, const uint8_t *body, size_t n,
                    int *err_code) {
    char want[64];
    int k = snprintf(want, sizeof want, "task %u", t->taskid);
    if ((size_t)k != n || memcmp(body, want, n) != 0) {
        *err_code = 77;
        return MARS_RESP_TASK_END;
    }
    *err_code = 0;
    return MARS_RESP_OK;
}

static int start_echo(mars_stn *s, uint32_t cmdid, uint32_t *id);

static int on_task_end(void *ud, const mars_task_ref *t, int err_type, int err_code,
                       const mars_task_profile *p) {
    ctx *c = ud;
    pthread_mutex_lock(&c->mu);
    if (err_type == MARS_ECT_OK) c->ok_ends++; else c->failed_ends++;
    if (err_type == MARS_ECT_LOCAL && err_code == MARS_ECT_LOCAL_RESET) c->resets_seen++;
    c->last_err_type = err_type;
    c->last_err_code = err_code;
    c->last_taskid = t->taskid;
    if (p && p->struct_size == sizeof(mars_task_profile) && p->taskid == t->taskid &&
        p->cgi != NULL && p->user_id != NULL && p->connect_ip != NULL)
        c->profile_ok++;
    int chain = c->start_task_in_end;
    c->start_task_in_end = 0;
    int destroy = c->destroy_in_end;
    c->destroy_in_end = 0;
    pthread_mutex_unlock(&c->mu);
    if (chain) start_echo(c->stn, CMD_ECHO, NULL);
    if (destroy) c->destroy_rc = mars_stn_destroy(c->stn);
    event_signal(&c->ended);
    return 0;
}

static void on_push(void *ud, const char *channel, uint32_t cmdid, uint32_t taskid,
                    const uint8_t *body, size_t n) {
    ctx *c = ud;
    pthread_mutex_lock(&c->mu);
    size_t k = n < sizeof c->last_push - 1 ? n : sizeof c->last_push - 1;
    memcpy(c->last_push, body, k);
    c->last_push[k] = 0;
    c->push_cmdid = cmdid;
    int reset = c->reset_in_push;
    pthread_mutex_unlock(&c->mu);
    if (reset) mars_stn_reset(c->stn);
    event_signal(&c->pushed);
}

static void on_new_dns(void *ud, const char *host, int longlink, mars_str_list *out) {
    ctx *c = ud;
    pthread_mutex_lock(&c->mu);
    c->dns_calls++;
    c->dns_longlink = longlink;
    snprintf(c->dns_host, sizeof c->dns_host, "%s", host);
    pthread_mutex_unlock(&c->mu);
    mars_str_list_add(out, g_srv.long_host);
}

#define IDENTIFY_CMD 4242
static int get_identify(void *ud, const char *channel, mars_buf *buf, mars_buf *hash,
                        uint32_t *cmdid) {
    ctx *c = ud;
    pthread_mutex_lock(&c->mu);
    c->identify_asked++;
    pthread_mutex_unlock(&c->mu);
    mars_buf_append(buf, "who-am-i", 8);
    mars_buf_append(hash, "h1", 2);
    *cmdid = IDENTIFY_CMD;
    return MARS_IDENTIFY_CHECK_NOW;
}

static int on_identify(void *ud, const char *channel, const uint8_t *resp, size_t n,
                       const uint8_t *hash, size_t hn) {
    ctx *c = ud;
    pthread_mutex_lock(&c->mu);
    c->identify_answered++;
    /* marsd echoes the identify request: same body back */
    c->identify_resp_ok = n == 8 && memcmp(resp, "who-am-i", 8) == 0 && hn == 2 &&
                          memcmp(hash, "h1", 2) == 0;
    pthread_mutex_unlock(&c->mu);
    event_signal(&c->identified);
    return 1;
}

static void on_status(void *ud, int status) {
    ctx *c = ud;
    pthread_mutex_lock(&c->mu);
    if (status >= 0 && status < 32) c->status_seen |= 1u << status;
    pthread_mutex_unlock(&c->mu);
}

static void on_connect_status(void *ud, int status, int longlink_status) {
    ctx *c = ud;
    pthread_mutex_lock(&c->mu);
    c->connect_status_reports++;
    pthread_mutex_unlock(&c->mu);
}

static void on_traffic(void *ud, int64_t sent, int64_t recv) {
    ctx *c = ud;
    __atomic_add_fetch(&c->traffic_sent, sent, __ATOMIC_SEQ_CST);
    __atomic_add_fetch(&c->traffic_recv, recv, __ATOMIC_SEQ_CST);
}

/* marsd_long_config fills cfg for a long link to marsd, under the name host
 * (NULL: marsd's address). port receives the one-port list, so it must
 * outlive the mars_stn_create call. */
static void marsd_long_config(mars_stn_config *cfg, const char *host, uint16_t *port) {
    mars_stn_config_init(cfg);
    cfg->client_version = CLIENT_VERSION;
    cfg->longlink_host = host ? host : g_srv.long_host;
    *port = g_srv.long_port;
    cfg->longlink_ports = port;
    cfg->longlink_ports_len = 1;
}

/* echo_callbacks sets the callbacks every STN test uses: "task <id>"
 * bodies, task ends and pushes recorded in c. */
static void echo_callbacks(mars_stn_callbacks *cb, ctx *c) {
    mars_stn_callbacks_init(cb);
    cb->user_data = c;
    cb->req2buf = req2buf;
    cb->buf2resp = buf2resp;
    cb->on_task_end = on_task_end;
    cb->on_push = on_push;
}

/* create_engine creates the engine and keeps it in c for the callbacks. */
static mars_stn *create_engine(ctx *c, const mars_stn_config *cfg, const mars_stn_callbacks *cb) {
    mars_stn *s = NULL;
    if (mars_stn_create(cfg, cb, &s) != MARS_OK) return NULL;
    c->stn = s;
    return s;
}

/* engine_with creates an engine whose long-link host is host (NULL: marsd's
 * address), with the extra callbacks switched on by the flags. */
#define WITH_DNS 1
#define WITH_IDENTIFY 2
#define WITH_STATUS 4
/* codec_engine_with creates an engine on a long link to host (NULL:
 * marsd's address) with the host codec given (NULL: the library's Mars
 * codec) and the extra callbacks switched on by the flags. */
static mars_stn *codec_engine_with(ctx *c, const char *host, const mars_longlink_codec *codec, int flags) {
    mars_stn_config cfg;
    uint16_t port;
    marsd_long_config(&cfg, host, &port);
    cfg.codec = codec;
    mars_stn_callbacks cb;
    echo_callbacks(&cb, c);
    if (flags & WITH_DNS) cb.on_new_dns = on_new_dns;
    if (flags & WITH_IDENTIFY) {
        cb.get_identify_check_buffer = get_identify;
        cb.on_identify_response = on_identify;
    }
    if (flags & WITH_STATUS) {
        cb.on_longlink_status_change = on_status;
        cb.report_connect_status = on_connect_status;
        cb.traffic_data = on_traffic;
    }
    return create_engine(c, &cfg, &cb);
}

static mars_stn *engine_with(ctx *c, const char *host, int flags) {
    return codec_engine_with(c, host, NULL, flags);
}

/* new_engine creates an engine on marsd's long link with the host codec
 * given (NULL: the library's Mars codec). */
static mars_stn *new_engine(ctx *c, const mars_longlink_codec *codec) {
    return codec_engine_with(c, NULL, codec, 0);
}

/* start_on starts a long task of cmdid on the link named channel (NULL:
 * the main link). */
static int start_on(mars_stn *s, const char *channel, uint32_t cmdid, uint32_t *id) {
    mars_task t;
    mars_task_init(&t);
    t.cmdid = cmdid;
    t.channel_select = MARS_CHANNEL_LONG;
    t.channel_name = channel;
    return mars_stn_start_task(s, &t, id);
}

static int start_echo(mars_stn *s, uint32_t cmdid, uint32_t *id) {
    return start_on(s, NULL, cmdid, id);
}

/* short_echo_task fills t (defaults: either link) for marsd's short-link
 * echo; host_slot, one entry, must outlive the start call. */
static void short_echo_task(mars_task *t, const char **host_slot) {
    mars_task_init(t);
    t->cgi = "/mars/echo";
    host_slot[0] = g_srv.short_host;
    t->shortlink_hosts = host_slot;
    t->shortlink_hosts_len = 1;
}

/* ---- a host codec: the Mars header written by the host ----------------- */

/* host_codec_calls counts a host codec's calls; give one as the codec's
 * user_data (or NULL not to count). */
typedef struct host_codec_calls {
    int packs, unpacks;
} host_codec_calls;

static inline void put32(uint8_t *p, uint32_t v) {
    p[0] = v >> 24; p[1] = v >> 16; p[2] = v >> 8; p[3] = v;
}
static inline uint32_t get32(const uint8_t *p) {
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* host_pack writes the 20-byte Mars header with CLIENT_VERSION, then body. */
static inline int host_pack(void *ud, uint32_t cmdid, uint32_t seq, const uint8_t *body, size_t n,
                            mars_buf *out) {
    if (ud != NULL) __atomic_add_fetch(&((host_codec_calls *)ud)->packs, 1, __ATOMIC_SEQ_CST);
    uint8_t h[20];
    put32(h, 20); put32(h + 4, CLIENT_VERSION); put32(h + 8, cmdid); put32(h + 12, seq);
    put32(h + 16, (uint32_t)n);
    if (mars_buf_append(out, h, 20) != MARS_OK) return MARS_EINVAL;
    return mars_buf_append(out, body, n);
}

/* host_unpack reads what host_pack writes. */
static inline int host_unpack(void *ud, const uint8_t *in, size_t n, uint32_t *cmdid, uint32_t *seq,
                              size_t *off, size_t *len, size_t *consumed) {
    if (ud != NULL) __atomic_add_fetch(&((host_codec_calls *)ud)->unpacks, 1, __ATOMIC_SEQ_CST);
    if (n < 20) return MARS_CODEC_SHORT;
    uint32_t hl = get32(in), ver = get32(in + 4), bl = get32(in + 16);
    if (hl < 20 || ver != CLIENT_VERSION || bl > (1u << 20)) return MARS_CODEC_CORRUPT;
    if (n < (size_t)hl + bl) return MARS_CODEC_SHORT;
    *cmdid = get32(in + 8);
    *seq = get32(in + 12);
    *off = hl;
    *len = bl;
    *consumed = (size_t)hl + bl;
    return MARS_CODEC_OK;
}

/* run_against_marsd is the main of an STN test program: start marsd, run
 * the tests (argv[1], if given, filters them by name), stop marsd. */
static int run_against_marsd(int argc, char **argv) {
    if (marsd_start(&g_srv, CLIENT_VERSION) != 0) {
        printf("0 passed, 1 failed\n");
        return 1;
    }
    int rc = run_tests(argc > 1 ? argv[1] : NULL, NULL);
    marsd_stop(&g_srv);
    return rc;
}

#endif /* MARS_TEST_STN_FIXTURE_H */
