/* main.m — runs every registered test against one marsd. Usage:
 *   MARSD=/path/to/marsd mars-objc-tests [name-filter] */
#import "MarsTestHarness.h"
#include <stdlib.h>

int main(int argc, char **argv) {
    int rc = 1;
    MARS_POOL_BEGIN
    if (!MarsdStart(&gMarsd, 200)) {
        printf("0 passed, 1 failed\n");
    } else {
        rc = MarsTestRunAll(argc > 1 ? argv[1] : NULL);
        MarsdStop(&gMarsd);
    }
    MARS_POOL_END
    return rc;
}
