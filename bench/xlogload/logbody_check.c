/* logbody_check: logbody.h's bodies are the ones its first version wrote
 * with snprintf (kept here as logbody_printf), byte for byte, so that figures
 * from before and after it was made cheaper log the same text.
 *   logbody_check N    compares ids 0..N-1 and a few large ids; exit 0 if equal */
#include <stdio.h>
#include <stdlib.h>

#include "logbody.h"

/* logbody_printf is logbody as first written. */
static void logbody_printf(char out[LOGBODY_LEN + 1], long id) {
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


static int check(long id) {
    char got[LOGBODY_LEN + 1], want[LOGBODY_LEN + 1];
    logbody(got, id);
    logbody_printf(want, id);
    if (memcmp(got, want, sizeof got) != 0) {
        fprintf(stderr, "id %ld:\n got  %s\n want %s\n", id, got, want);
        return 0;
    }
    return 1;
}

int main(int argc, char **argv) {
    long n = argc > 1 ? atol(argv[1]) : 100000;
    static const long large[] = {999999999L, 1000000000L, 4294967295L, 9999999999L};
    for (long id = 0; id < n; id++)
        if (!check(id)) return 1;
    for (size_t i = 0; i < sizeof large / sizeof large[0]; i++)
        if (!check(large[i])) return 1;
    printf("%ld bodies equal\n", n + (long)(sizeof large / sizeof large[0]));
    return 0;
}
