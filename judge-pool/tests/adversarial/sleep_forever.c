/* sleep_forever.c -- RESOURCE: sleeps 100 s using no CPU at all.
 * A judge that only limits CPU time would wait 100 s and then see a correct
 * answer (AC); the sandbox must enforce a WALL-clock limit.  Expected: TLE. */
#define _GNU_SOURCE
#include <stdio.h>
#include <unistd.h>

int main(void) {
    sleep(100);
    puts("Hello World!"); /* printed only if the wall limit is missing */
    return 0;
}
