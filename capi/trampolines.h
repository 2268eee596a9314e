/* trampolines.h: Go cannot call a C function pointer, so each host
 * callback is reached through a static inline trampoline. Included only by
 * cgo files without //export (a file with exports may only declare in its
 * preamble). Task references are built on the C
 * stack so that no Go memory holding pointers is handed to C. */
#ifndef MARS_CAPI_TRAMPOLINES_H
#define MARS_CAPI_TRAMPOLINES_H
#include <stdlib.h>
#include "mars.h"

static inline mars_task_ref mk_ref(uint32_t taskid, uint32_t cmdid, uintptr_t ctx,
                                   const char *user_id, uint32_t cseq) {
    mars_task_ref r;
    r.struct_size = sizeof r;
    r.taskid = taskid;
    r.cmdid = cmdid;
    r.user_context = (void *)ctx;
    r.user_id = user_id;
    r.client_sequence_id = cseq;
    return r;
}

static inline int tramp_req2buf(const mars_stn_callbacks *cb, uint32_t taskid, uint32_t cmdid,
                                uintptr_t ctx, const char *user_id, uint32_t cseq, int channel,
                                const char *host, mars_buf *out, int *err) {
    mars_task_ref r = mk_ref(taskid, cmdid, ctx, user_id, cseq);
    return cb->req2buf(cb->user_data, &r, channel, host, out, err);
}

static inline int tramp_buf2resp(const mars_stn_callbacks *cb, uint32_t taskid, uint32_t cmdid,
                                 uintptr_t ctx, const char *user_id, uint32_t cseq, int channel,
                                 const uint8_t *body, size_t n, int *err) {
    mars_task_ref r = mk_ref(taskid, cmdid, ctx, user_id, cseq);
    return cb->buf2resp(cb->user_data, &r, channel, body, n, err);
}

static inline int tramp_on_task_end(const mars_stn_callbacks *cb, uint32_t taskid, uint32_t cmdid,
                                    uintptr_t ctx, const char *user_id, uint32_t cseq,
                                    int err_type, int err_code, const mars_task_profile *p) {
    mars_task_ref r = mk_ref(taskid, cmdid, ctx, user_id, cseq);
    return cb->on_task_end(cb->user_data, &r, err_type, err_code, p);
}

static inline int tramp_on_task_end_resp(const mars_stn_callbacks *cb, uint32_t taskid,
                                         uint32_t cmdid, uintptr_t ctx, const char *user_id,
                                         uint32_t cseq, int err_type, int err_code,
                                         const mars_task_profile *p, const uint8_t *body,
                                         size_t n) {
    mars_task_ref r = mk_ref(taskid, cmdid, ctx, user_id, cseq);
    return cb->on_task_end_resp(cb->user_data, &r, err_type, err_code, p, body, n);
}

static inline void tramp_report_task_limited(const mars_stn_callbacks *cb, int check_type,
                                             uint32_t taskid, uint32_t cmdid, uintptr_t ctx,
                                             const char *user_id, uint32_t cseq, int param) {
    mars_task_ref r = mk_ref(taskid, cmdid, ctx, user_id, cseq);
    cb->report_task_limited(cb->user_data, check_type, &r, param);
}

static inline void tramp_on_push(const mars_stn_callbacks *cb, const char *channel, uint32_t cmdid,
                                 uint32_t taskid, const uint8_t *body, size_t n) {
    cb->on_push(cb->user_data, channel, cmdid, taskid, body, n);
}

static inline void tramp_on_push_ext(const mars_stn_callbacks *cb, const char *channel,
                                     uint32_t cmdid, uint32_t taskid, const uint8_t *body,
                                     size_t n, const uint8_t *ext, size_t en) {
    cb->on_push_ext(cb->user_data, channel, cmdid, taskid, body, n, ext, en);
}

static inline int tramp_req2buf_ext(const mars_stn_callbacks *cb, uint32_t taskid, uint32_t cmdid,
                                    uintptr_t ctx, const char *user_id, uint32_t cseq, int channel,
                                    const char *host, mars_buf *out, mars_buf *ext, int *err) {
    mars_task_ref r = mk_ref(taskid, cmdid, ctx, user_id, cseq);
    return cb->req2buf_ext(cb->user_data, &r, channel, host, out, ext, err);
}

static inline int tramp_buf2resp_ext(const mars_stn_callbacks *cb, uint32_t taskid, uint32_t cmdid,
                                     uintptr_t ctx, const char *user_id, uint32_t cseq, int channel,
                                     const uint8_t *body, size_t n, const uint8_t *ext, size_t en,
                                     int *err, int *flags, uint32_t *sseq) {
    mars_task_ref r = mk_ref(taskid, cmdid, ctx, user_id, cseq);
    return cb->buf2resp_ext(cb->user_data, &r, channel, body, n, ext, en, err, flags, sseq);
}

static inline void tramp_on_new_dns(const mars_stn_callbacks *cb, const char *host, int longlink,
                                    mars_str_list *out) {
    cb->on_new_dns(cb->user_data, host, longlink, out);
}

static inline int tramp_makesure_authed(const mars_stn_callbacks *cb, const char *host,
                                        const char *user_id) {
    return cb->makesure_authed(cb->user_data, host, user_id);
}

static inline void tramp_report_connect_status(const mars_stn_callbacks *cb, int s, int l) {
    cb->report_connect_status(cb->user_data, s, l);
}

static inline void tramp_on_longlink_status_change(const mars_stn_callbacks *cb, int s) {
    cb->on_longlink_status_change(cb->user_data, s);
}

static inline void tramp_on_longlink_network_error(const mars_stn_callbacks *cb, int t, int c,
                                                   const char *ip, int port) {
    cb->on_longlink_network_error(cb->user_data, t, c, ip, port);
}

static inline void tramp_on_shortlink_network_error(const mars_stn_callbacks *cb, int t, int c,
                                                   const char *ip, int port) {
    cb->on_shortlink_network_error(cb->user_data, t, c, ip, port);
}

static inline void tramp_on_longlink_status_change_of(const mars_stn_callbacks *cb,
                                                      const char *name, int s) {
    cb->on_longlink_status_change_of(cb->user_data, name, s);
}

static inline void tramp_on_longlink_network_error_of(const mars_stn_callbacks *cb,
                                                      const char *name, int t, int c,
                                                      const char *ip, int port) {
    cb->on_longlink_network_error_of(cb->user_data, name, t, c, ip, port);
}

static inline void tramp_on_longlink_new_dns(const mars_stn_callbacks *cb, const char *name,
                                             const char *host, mars_str_list *out) {
    cb->on_longlink_new_dns(cb->user_data, name, host, out);
}

static inline int tramp_get_proxy_info(const mars_stn_callbacks *cb, const char *host, int longlink,
                                       mars_proxy_info *out) {
    return cb->get_proxy_info(cb->user_data, host, longlink, out);
}

static inline void tramp_report_dns_profile(const mars_stn_callbacks *cb, const mars_dns_profile *p) {
    cb->report_dns_profile(cb->user_data, p);
}

static inline int tramp_get_identify_check_buffer(const mars_stn_callbacks *cb, const char *ch,
                                                  mars_buf *buf, mars_buf *hash, uint32_t *cmdid) {
    return cb->get_identify_check_buffer(cb->user_data, ch, buf, hash, cmdid);
}

static inline int tramp_on_identify_response(const mars_stn_callbacks *cb, const char *ch,
                                             const uint8_t *resp, size_t rn,
                                             const uint8_t *hash, size_t hn) {
    return cb->on_identify_response(cb->user_data, ch, resp, rn, hash, hn);
}

static inline void tramp_traffic_data(const mars_stn_callbacks *cb, int64_t s, int64_t r) {
    cb->traffic_data(cb->user_data, s, r);
}

static inline void tramp_report_task_profile(const mars_stn_callbacks *cb,
                                             const mars_task_profile *p) {
    cb->report_task_profile(cb->user_data, p);
}

static inline void tramp_request_sync(const mars_stn_callbacks *cb) {
    cb->request_sync(cb->user_data);
}

static inline void tramp_on_network_quality_change(const mars_stn_callbacks *cb, int32_t level,
                                                   int32_t dynamic_timeout, int64_t rtt_ms,
                                                   int64_t throughput, int32_t weak_marked) {
    mars_network_quality q;
    q.struct_size = sizeof q;
    q.level = level;
    q.dynamic_timeout = dynamic_timeout;
    q.rtt_ms = rtt_ms;
    q.throughput = throughput;
    q.weak_marked = weak_marked;
    cb->on_network_quality_change(cb->user_data, &q);
}

static inline void tramp_request_netcheck_hosts(const mars_stn_callbacks *cb, mars_str_list *out) {
    cb->request_netcheck_hosts(cb->user_data, out);
}

static inline void tramp_on_netcheck_result(const mars_stn_callbacks *cb, const char *json, size_t len) {
    cb->on_netcheck_result(cb->user_data, json, len);
}

static inline int tramp_is_logoned(const mars_stn_callbacks *cb) {
    return cb->is_logoned(cb->user_data);
}

static inline int tramp_codec_pack(const mars_longlink_codec *c, uint32_t cmdid, uint32_t seq,
                                   const uint8_t *body, size_t n, mars_buf *out) {
    return c->pack(c->user_data, cmdid, seq, body, n, out);
}

static inline int tramp_codec_unpack(const mars_longlink_codec *c, const uint8_t *in, size_t n,
                                     uint32_t *cmdid, uint32_t *seq, size_t *off, size_t *len,
                                     size_t *consumed) {
    return c->unpack(c->user_data, in, n, cmdid, seq, off, len, consumed);
}

static inline void tramp_codec_identify(const mars_longlink_codec *c, uint32_t *cmdid, uint32_t *seq,
                                        const uint8_t *buf, size_t n, mars_buf *body) {
    c->identify(c->user_data, cmdid, seq, buf, n, body);
}

static inline int tramp_codec_pack_ext(const mars_longlink_codec *c, uint32_t cmdid, uint32_t seq,
                                       const uint8_t *body, size_t n, const uint8_t *ext, size_t en,
                                       mars_buf *out) {
    return c->pack_ext(c->user_data, cmdid, seq, body, n, ext, en, out);
}

static inline int tramp_codec_unpack_ext(const mars_longlink_codec *c, const uint8_t *in, size_t n,
                                         uint32_t *cmdid, uint32_t *seq, size_t *off, size_t *len,
                                         size_t *eoff, size_t *elen, size_t *consumed) {
    return c->unpack_ext(c->user_data, in, n, cmdid, seq, off, len, eoff, elen, consumed);
}

static inline void tramp_codec_noop(const mars_longlink_codec *c, uint32_t *cmdid, uint32_t *seq,
                                    mars_buf *body) {
    c->noop(c->user_data, cmdid, seq, body);
}

static inline int tramp_codec_is_noop_response(const mars_longlink_codec *c, uint32_t cmdid,
                                               uint32_t seq) {
    return c->is_noop_response(c->user_data, cmdid, seq);
}

static inline int tramp_codec_is_push(const mars_longlink_codec *c, uint32_t cmdid, uint32_t seq) {
    return c->is_push(c->user_data, cmdid, seq);
}

static inline int tramp_codec_is_identify_response(const mars_longlink_codec *c, uint32_t cmdid,
                                                   uint32_t seq) {
    return c->is_identify_response(c->user_data, cmdid, seq);
}

#endif
