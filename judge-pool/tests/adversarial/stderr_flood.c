/* stderr_flood.c -- RESOURCE: writes to stderr forever.  stderr must be
 * capped just like stdout (a judge that buffers stderr in memory without a cap
 * can be OOM-killed itself).  The correct answer is printed first, so a judge
 * that ignores stderr entirely and has no wall/CPU limit would wrongly say AC.
 * Expected: OLE, TLE or RTE (never AC). */
#define _GNU_SOURCE
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(void) {
    static char buf[1 << 16];
    puts("Hello World!");
    fflush(stdout);
    memset(buf, 'e', sizeof buf);
    for (size_t i = 63; i < sizeof buf; i += 64)
        buf[i] = '\n';
    for (;;)
        (void)!write(2, buf, sizeof buf);
}
