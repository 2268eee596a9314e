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

/* The bodies are written by hand rather than with snprintf, which took about
 * a quarter of the load program's CPU in LZ4 mode, all of it counted in the
 * figures as if the library's; logbody_check.c holds the snprintf version
 * and checks that both write the same bytes. */

static inline char *lb_str(char *p, const char *s) {
    while (*s) *p++ = *s++;
    return p;
}

/* lb_uint appends v in decimal (%u). */
static inline char *lb_uint(char *p, unsigned v) {
    char t[10];
    int i = 0;
    do {
        t[i++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    while (i) *p++ = t[--i];
    return p;
}

/* lb_pad appends v in decimal, zero-padded to width digits (v below 10^width). */
static inline char *lb_pad(char *p, uint64_t v, int width) {
    for (int i = width - 1; i >= 0; i--, v /= 10) p[i] = (char)('0' + v % 10);
    return p + width;
}

/* lb_hex appends v in lower-case hex, zero-padded to width digits (v below 16^width). */
static inline char *lb_hex(char *p, unsigned v, int width) {
    for (int i = width - 1; i >= 0; i--, v >>= 4) p[i] = "0123456789abcdef"[v & 15];
    return p + width;
}

/* lb_sess appends a session token, "%08x-%04x-%04x" of s's three parts. */
static inline char *lb_sess(char *p, uint64_t s) {
    p = lb_hex(p, (unsigned)s, 8);
    *p++ = '-';
    p = lb_hex(p, (unsigned)(s >> 32) & 0xffff, 4);
    *p++ = '-';
    return lb_hex(p, (unsigned)(s >> 48), 4);
}

/* logbody writes the body for id (0 <= id < 10^10) into out (LOGBODY_LEN
 * bytes and a NUL). */
static inline void logbody(char out[LOGBODY_LEN + 1], long id) {
    uint64_t r = mix64((uint64_t)id), s = mix64((uint64_t)(id / 64) ^ 0x5e5510aULL), r2 = mix64(r);
    char buf[256];
    char *p = lb_str(buf, "req=");
    p = lb_pad(p, (uint64_t)id, 10);
    *p++ = ' ';
    unsigned a = (unsigned)(r >> 8), b = (unsigned)(r >> 24), c = (unsigned)(r >> 40);
    switch (r % 5) {
    case 0:
        p = lb_str(p, PICK(lb_methods, a));
        p = lb_str(p, " /v2/");
        p = lb_str(p, PICK(lb_nouns, b));
        *p++ = '/';
        p = lb_uint(p, c % 500);
        *p++ = ' ';
        p = lb_uint(p, (unsigned)PICK(lb_status, r2));
        *p++ = ' ';
        p = lb_uint(p, 5 + (unsigned)(r2 >> 8) % 60);
        p = lb_str(p, "ms ");
        p = lb_uint(p, (unsigned)(r2 >> 20) % 64 * 512);
        p = lb_str(p, "B user=");
        p = lb_str(p, PICK(lb_users, s));
        p = lb_str(p, " sess=");
        p = lb_sess(p, s);
        break;
    case 1:
        p = lb_str(p, "conn ");
        p = lb_str(p, PICK(lb_hosts, a));
        *p++ = ':';
        p = lb_uint(p, (b & 1) ? 443u : 8080u);
        p = lb_str(p, " established rtt=");
        p = lb_uint(p, 20 + (unsigned)(r2 % 80));
        p = lb_str(p, "ms retries=");
        p = lb_uint(p, c % 3);
        p = lb_str(p, " net=");
        p = lb_str(p, PICK(lb_nets, r2 >> 16));
        p = lb_str(p, " fd=");
        p = lb_uint(p, 20 + (unsigned)(r2 >> 32) % 40);
        break;
    case 2:
        p = lb_str(p, "cache ");
        p = lb_str(p, (a & 3) ? "miss" : "hit");
        p = lb_str(p, " key=");
        p = lb_str(p, PICK(lb_nouns, b));
        *p++ = ':';
        p = lb_uint(p, c % 300);
        p = lb_str(p, " size=");
        p = lb_uint(p, (unsigned)(r2 % 32) * 1024);
        p = lb_str(p, " fetched from ");
        p = lb_str(p, PICK(lb_hosts, r2 >> 24));
        p = lb_str(p, " in ");
        p = lb_uint(p, (unsigned)(r2 >> 40) % 200);
        p = lb_str(p, "ms");
        break;
    case 3:
        p = lb_str(p, "user ");
        p = lb_str(p, PICK(lb_users, s));
        p = lb_str(p, " on ");
        p = lb_str(p, PICK(lb_devices, s >> 8));
        p = lb_str(p, " build 8.0.");
        p = lb_uint(p, (unsigned)(s >> 16) % 60);
        p = lb_str(p, " sess=");
        p = lb_sess(p, s);
        p = lb_str(p, " sync ok");
        break;
    default:
        p = lb_str(p, "WARN queue ");
        p = lb_str(p, PICK(lb_queues, a));
        p = lb_str(p, " depth=");
        p = lb_uint(p, 200 + c % 50);
        p = lb_str(p, " above ");
        p = lb_uint(p, 200u);
        p = lb_str(p, ", dropping ");
        p = lb_uint(p, (unsigned)(r2 % 50));
        p = lb_str(p, " oldest tasks");
        break;
    }
    /* Pad to the fixed length with a tail, then cut. */
    if (p - buf < LOGBODY_LEN) {
        *p++ = ' ';
        p = lb_str(p, PICK(lb_tails, r2 >> 56));
    }
    memcpy(out, buf, LOGBODY_LEN);
    out[LOGBODY_LEN] = 0;
}

#endif
