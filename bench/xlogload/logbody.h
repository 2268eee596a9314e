/* logbody.h: the 100-byte line bodies xlogload writes.
 *
 * A run of "bench id=<n>" padded with 'x' compresses to a few bytes a line,
 * far below real log text, so each body is drawn from a handful of line
 * shapes (requests, connections, cache, session syncs, queue warnings) with words,
 * numbers and hex tokens picked by a hash of the line id. A session token
 * shaped like a UUID stays the same for 64 consecutive ids, as a session's
 * does over its lines. Every body starts "req=<10 digits> ", which is how
 * marsbench finds the ids again after decoding. */
#ifndef MARS_BENCH_LOGBODY_H
#define MARS_BENCH_LOGBODY_H

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define LOGBODY_LEN 100

/* mix64 is splitmix64's finaliser: every bit of x stirs every bit out. */
static inline uint64_t mix64(uint64_t x) {
    x += 0x9e3779b97f4a7c15ULL;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

#define PICK(arr, r) (arr[(r) % (sizeof arr / sizeof arr[0])])

static const char *const lb_users[] = {"alice", "bob", "carol", "dmitri", "erin", "farah", "guo", "hiro",
                                       "ines", "jamal", "kenji", "lena", "mateo", "nadia", "omar", "priya"};
static const char *const lb_nouns[] = {"messages", "contacts", "moments", "files", "groups", "avatars",
                                       "stickers", "payments", "settings", "devices", "channels", "drafts"};
static const char *const lb_methods[] = {"GET", "GET", "GET", "POST", "POST", "PUT", "DELETE"};
static const int lb_status[] = {200, 200, 200, 200, 200, 201, 204, 304, 400, 403, 404, 500, 503};
static const char *const lb_hosts[] = {"short.weixin.qq.com", "long.weixin.qq.com", "cdn.example.net",
                                       "10.0.3.17", "api.example.com", "push.example.org"};
static const char *const lb_queues[] = {"upload", "download", "sync", "notify", "retry", "thumbnail"};
static const char *const lb_devices[] = {"iPhone14,2", "Pixel 7", "SM-G991B", "MI 11", "iPad13,4", "ONEPLUS A6013"};
static const char *const lb_nets[] = {"wifi", "4g", "5g", "3g", "ethernet"};
/* The tails pad a line to its length: a short shape leaves more of one showing. */
static const char *const lb_tails[] = {
    "net=wifi region=ap-south keepalive reused tls1.3 gzip after backoff retry=0 ok",
    "net=5g region=eu-west handshake done in time, flushed pending writes, idle",
    "net=4g region=us-east timeout raised once then recovered, cached for later",
    "net=wifi region=ap-east conn reused from pool, nothing pending, all done",
};

/* logbody writes the body for id into out (LOGBODY_LEN bytes and a NUL). */
static inline void logbody(char out[LOGBODY_LEN + 1], long id) {
    uint64_t r = mix64((uint64_t)id), s = mix64((uint64_t)(id / 64) ^ 0x5e5510aULL), r2 = mix64(r);
    char buf[256];
    int n = snprintf(buf, sizeof buf, "req=%010ld ", id);
    unsigned a = (unsigned)(r >> 8), b = (unsigned)(r >> 24), c = (unsigned)(r >> 40);
    switch (r % 5) {
    case 0:
        n += snprintf(buf + n, sizeof buf - n, "%s /v2/%s/%u %d %ums %uB user=%s sess=%08x-%04x-%04x",
                      PICK(lb_methods, a), PICK(lb_nouns, b), c % 500, PICK(lb_status, r2), 5 + (unsigned)(r2 >> 8) % 60,
                      (unsigned)(r2 >> 20) % 64 * 512, PICK(lb_users, s), (unsigned)s, (unsigned)(s >> 32) & 0xffff,
                      (unsigned)(s >> 48));
        break;
    case 1:
        n += snprintf(buf + n, sizeof buf - n, "conn %s:%u established rtt=%ums retries=%u net=%s fd=%u",
                      PICK(lb_hosts, a), (b & 1) ? 443u : 8080u, 20 + (unsigned)(r2 % 80), c % 3, PICK(lb_nets, r2 >> 16),
                      20 + (unsigned)(r2 >> 32) % 40);
        break;
    case 2:
        n += snprintf(buf + n, sizeof buf - n, "cache %s key=%s:%u size=%u fetched from %s in %ums",
                      (a & 3) ? "miss" : "hit", PICK(lb_nouns, b), c % 300, (unsigned)(r2 % 32) * 1024,
                      PICK(lb_hosts, r2 >> 24), (unsigned)(r2 >> 40) % 200);
        break;
    case 3:
        n += snprintf(buf + n, sizeof buf - n, "user %s on %s build 8.0.%u sess=%08x-%04x-%04x sync ok",
                      PICK(lb_users, s), PICK(lb_devices, s >> 8), (unsigned)(s >> 16) % 60, (unsigned)s,
                      (unsigned)(s >> 32) & 0xffff, (unsigned)(s >> 48));
        break;
    default:
        n += snprintf(buf + n, sizeof buf - n, "WARN queue %s depth=%u above %u, dropping %u oldest tasks",
                      PICK(lb_queues, a), 200 + c % 50, 200u, (unsigned)(r2 % 50));
        break;
    }
    /* Pad to the fixed length with a tail, then cut. */
    if (n < LOGBODY_LEN) snprintf(buf + n, sizeof buf - n, " %s", PICK(lb_tails, r2 >> 56));
    memcpy(out, buf, LOGBODY_LEN);
    out[LOGBODY_LEN] = 0;
}

#endif
