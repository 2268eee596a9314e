/* consumer.c: the smallest program against an installed libmars. */
#include <stdio.h>
#include <string.h>

#include <mars.h>

int main(void) {
    int ok = mars_version_number() == MARS_VERSION_NUMBER &&
             strcmp(mars_errstr(MARS_EBADHANDLE), "bad handle") == 0 &&
             mars_stn_destroy(NULL) == MARS_OK;
    printf("consumer: libmars %s %s\n", mars_version(), ok ? "ok" : "MISMATCH");
    return ok ? 0 : 1;
}
