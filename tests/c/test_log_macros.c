/* test_log_macros.c — the MARS_LOG* macros and mars_xlog_printf: file, line
 * and function recorded; nothing formatted or evaluated below the level; the
 * level mirror follows mars_xlog_set_level at once; long messages whole. */
#include "harness.h"

static char g_dir[] = "/tmp/mars-test-logmacros-XXXXXX";
static int g_evaluated;

/* counted is an argument with a side effect: it shows whether the macro
 * evaluated its arguments. */
static const char *counted(const char *s) {
    g_evaluated++;
    return s;
}

static mars_xlog *open_sync(const char *prefix) {
    mars_xlog_config c;
    mars_xlog_config_init(&c);
    c.log_dir = g_dir;
    c.name_prefix = prefix;
    c.mode = MARS_XLOG_MODE_SYNC;
    mars_xlog *x = NULL;
    return mars_xlog_open(&c, &x) == MARS_OK ? x : NULL;
}

static char *text_of(const char *prefix) {
    char path[512];
    if (find_xlog(g_dir, prefix, path, sizeof path) != 0) return NULL;
    char *text = NULL;
    size_t n = 0;
    return mars_xlog_decode(path, NULL, &text, &n) == MARS_OK ? text : NULL;
}

TEST(test_macros_record_file_line_and_function) {
    mars_xlog *x = open_sync("place");
    CHECK(x != NULL);
    int line = __LINE__ + 1;
    MARS_LOGI(x, "mtag", "hello %s %d", "macro", 42);
    MARS_LOGV(x, "mtag", "verbose");
    MARS_LOGD(x, "mtag", "debug");
    MARS_LOGW(x, "mtag", "warn");
    MARS_LOGE(x, "mtag", "error");
    MARS_LOGF(x, "mtag", "fatal");
    CHECK_RC(mars_xlog_close(x), MARS_OK);
    char *text = text_of("place");
    CHECK(text != NULL);
    char want[256];
    snprintf(want, sizeof want, "[mtag][test_log_macros.c:%d, %s][hello macro 42\n", line, __func__);
    int ok = strstr(text, want) != NULL && strstr(text, "[V][") && strstr(text, "[D][") &&
             strstr(text, "[W][") && strstr(text, "[E][") && strstr(text, "[F][") &&
             strstr(text, "][fatal\n");
    if (!ok) fprintf(stderr, "  want %s in:\n%s", want, text);
    mars_free(text);
    CHECK(ok);
}

TEST(test_filtered_macro_neither_formats_nor_evaluates) {
    mars_xlog *x = open_sync("filter");
    CHECK(x != NULL);
    CHECK_RC(mars_xlog_set_level(x, MARS_LEVEL_WARN), MARS_OK);
    CHECK(mars_xlog_enabled(x, MARS_LEVEL_INFO) == 0 && mars_xlog_enabled(x, MARS_LEVEL_WARN) == 1);
    g_evaluated = 0;
    MARS_LOGI(x, "f", "dropped %s", counted("info"));
    MARS_LOGD(x, "f", "dropped %s", counted("debug"));
    CHECK(g_evaluated == 0);
    MARS_LOGW(x, "f", "kept %s", counted("warn"));
    CHECK(g_evaluated == 1);
    /* The mirror follows the level both ways, at once. */
    CHECK_RC(mars_xlog_set_level(x, MARS_LEVEL_VERBOSE), MARS_OK);
    CHECK(mars_xlog_enabled(x, MARS_LEVEL_VERBOSE) == 1);
    MARS_LOGV(x, "f", "now %s", counted("verbose"));
    CHECK(g_evaluated == 2);
    CHECK_RC(mars_xlog_set_level(x, MARS_LEVEL_NONE), MARS_OK);
    CHECK(mars_xlog_enabled(x, MARS_LEVEL_FATAL) == 0);
    /* Direct calls below the level succeed without writing. */
    CHECK_RC(mars_xlog_printf(x, MARS_LEVEL_FATAL, "f", "f.c", "fn", 1, "gone %d", 1), MARS_OK);
    CHECK_RC(mars_xlog_write(x, MARS_LEVEL_FATAL, "f", "f.c", "fn", 1, "gone too"), MARS_OK);
    /* Bad arguments are refused below the level too. */
    CHECK_RC(mars_xlog_write(x, MARS_LEVEL_FATAL, "f", "f.c", "fn", 1, NULL), MARS_EINVAL);
    CHECK_RC(mars_xlog_close(x), MARS_OK);
    /* A closed appender is a bad handle, whatever its level was. */
    CHECK_RC(mars_xlog_write(x, MARS_LEVEL_FATAL, "f", "f.c", "fn", 1, "closed"), MARS_EBADHANDLE);
    CHECK_RC(mars_xlog_printf(x, MARS_LEVEL_FATAL, "f", "f.c", "fn", 1, "closed %d", 1), MARS_EBADHANDLE);
    char *text = text_of("filter");
    CHECK(text != NULL);
    int ok = !strstr(text, "dropped") && strstr(text, "kept warn") && strstr(text, "now verbose") &&
             !strstr(text, "gone");
    mars_free(text);
    CHECK(ok);
}

/* A message longer than the formatting buffer on the stack is written whole. */
TEST(test_printf_formats_long_messages_whole) {
    mars_xlog *x = open_sync("long");
    CHECK(x != NULL);
    enum { n = 5000 };
    char *body = malloc(n + 1);
    CHECK(body != NULL);
    memset(body, 'q', n);
    body[n] = 0;
    int rc = mars_xlog_printf(x, MARS_LEVEL_INFO, "t", __FILE__, __func__, __LINE__, "<%s>", body);
    free(body);
    CHECK_RC(rc, MARS_OK);
    CHECK_RC(mars_xlog_close(x), MARS_OK);
    char *text = text_of("long");
    CHECK(text != NULL);
    const char *open = strstr(text, "[<q");
    const char *close = open ? strstr(open, "q>\n") : NULL;
    int ok = open && close && close - (open + 2) + 1 == n;
    mars_free(text);
    CHECK(ok);
}

int main(int argc, char **argv) {
    if (!mkdtemp(g_dir)) return 1;
    int rc = run_tests(argc > 1 ? argv[1] : NULL, NULL);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", g_dir);
    if (rc == 0 && system(cmd) != 0) fprintf(stderr, "could not remove %s\n", g_dir);
    return rc;
}
