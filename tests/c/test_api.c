/* test_api.c — the parts of mars.h that need no server: versions, result
 * codes, buffers, struct layout pins, NULL / zero / oversized / stale-handle
 * inputs to every function, and the panic fence.
 *
 * Usage: test_api [filter]   (MARS_HEADER = path of mars.h for the errstr test;
 * "test_api panic" runs with MARS_CAPI_TEST_PANIC set, see CMakeLists.txt) */
#include "harness.h"

#include <stddef.h>

TEST(test_header_and_library_versions_agree) {
    CHECK(mars_version_number() == MARS_VERSION_NUMBER);
    CHECK(strcmp(mars_version(), MARS_VERSION_STRING) == 0);
    CHECK(MARS_VERSION_NUMBER ==
          MARS_VERSION_MAJOR * 1000000 + MARS_VERSION_MINOR * 1000 + MARS_VERSION_PATCH);
    char want[32];
    snprintf(want, sizeof want, "%d.%d.%d", MARS_VERSION_MAJOR, MARS_VERSION_MINOR, MARS_VERSION_PATCH);
    CHECK(strcmp(want, MARS_VERSION_STRING) == 0);
}

/* Every MARS_OK / MARS_E<NAME> code declared in the header has its own text,
 * different from the text of an unknown code. */
TEST(test_every_result_code_has_its_own_errstr) {
    const char *path = getenv("MARS_HEADER");
    CHECK(path != NULL);
    FILE *f = fopen(path, "r");
    CHECK(f != NULL);
    char line[512];
    const char *texts[64] = {0};
    int codes[64], n = 0;
    while (fgets(line, sizeof line, f) && n < 64) {
        char name[64];
        int value;
        if (sscanf(line, "#define MARS_%63s %d", name, &value) != 2) continue;
        int is_code = strcmp(name, "OK") == 0;
        if (name[0] == 'E' && !strchr(name, '_')) is_code = 1;
        if (!is_code) continue;
        codes[n] = value;
        texts[n] = mars_errstr(value);
        n++;
    }
    fclose(f);
    CHECK(n >= 10);
    const char *unknown = mars_errstr(-12345);
    for (int i = 0; i < n; i++) {
        CHECK(texts[i] != NULL && texts[i][0] != 0);
        if (strcmp(texts[i], unknown) == 0) {
            fprintf(stderr, "  code %d has no text of its own\n", codes[i]);
            CHECK(0);
        }
        for (int j = 0; j < i; j++) {
            if (strcmp(texts[i], texts[j]) == 0) {
                fprintf(stderr, "  codes %d and %d share \"%s\"\n", codes[i], codes[j], texts[i]);
                CHECK(0);
            }
        }
    }
}

TEST(test_buf_append_reserve_commit) {
    mars_buf b = {0};
    CHECK_RC(mars_buf_append(&b, "abc", 3), MARS_OK);
    uint8_t *p = NULL;
    CHECK_RC(mars_buf_reserve(&b, 1000, &p), MARS_OK);
    CHECK(p == b.data + 3 && b.cap >= 1003);
    memset(p, 'x', 1000);
    CHECK_RC(mars_buf_commit(&b, 1000), MARS_OK);
    CHECK(b.len == 1003 && memcmp(b.data, "abcx", 4) == 0);
    CHECK_RC(mars_buf_commit(&b, b.cap - b.len + 1), MARS_EINVAL);
    CHECK_RC(mars_buf_append(&b, NULL, 0), MARS_OK);
    CHECK_RC(mars_buf_append(&b, NULL, 1), MARS_EINVAL);
    CHECK_RC(mars_buf_append(NULL, "a", 1), MARS_EINVAL);
    CHECK_RC(mars_buf_reserve(&b, (size_t)1 << 40, &p), MARS_EINVAL);
    CHECK_RC(mars_buf_reserve(&b, SIZE_MAX, &p), MARS_EINVAL);
    CHECK_RC(mars_buf_reserve(&b, 1, NULL), MARS_EINVAL);
    CHECK(b.len == 1003);
    free(b.data); /* test-only: the library frees buffers it hands out */
}

TEST(test_str_list_add) {
    mars_str_list l = {0};
    CHECK_RC(mars_str_list_add(&l, "127.0.0.1"), MARS_OK);
    CHECK_RC(mars_str_list_add(&l, "::1"), MARS_OK);
    CHECK_RC(mars_str_list_add(&l, NULL), MARS_EINVAL);
    CHECK_RC(mars_str_list_add(NULL, "x"), MARS_EINVAL);
    CHECK(l.len == 2 && strcmp(l.items[1], "::1") == 0);
    int rc = MARS_OK;
    while (rc == MARS_OK && l.len < 5000) rc = mars_str_list_add(&l, "x");
    CHECK_RC(rc, MARS_EINVAL);
    CHECK(l.len == 1024);
    for (size_t i = 0; i < l.len; i++) free(l.items[i]);
    free(l.items);
    mars_free(NULL);
}

/* Run with MARS_CAPI_TEST_PANIC=mars_version_number: the export panics on
 * entry; the fence must turn that into MARS_EINTERNAL, the process must live
 * on, and other exports must keep working. */
TEST(test_panic_under_an_export_returns_an_error) {
    const char *want = getenv("MARS_CAPI_TEST_PANIC");
    CHECK(want != NULL && strcmp(want, "mars_version_number") == 0);
    CHECK_RC(mars_version_number(), MARS_EINTERNAL);
    CHECK_RC(mars_version_number(), MARS_EINTERNAL);
    CHECK(strcmp(mars_version(), MARS_VERSION_STRING) == 0);
}

int main(int argc, char **argv) {
    /* The panic test needs its environment, so it runs only when asked. */
    if (argc > 1) return run_tests(argv[1], NULL);
    return run_tests(NULL, "panic");
}
