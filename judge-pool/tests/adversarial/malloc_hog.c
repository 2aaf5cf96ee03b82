/* malloc_hog.c -- RESOURCE: allocates 64 MiB chunks and touches every byte,
 * forever.  The chunks are chained into a list reachable from a volatile
 * global so the compiler cannot elide them.  The sandbox must enforce the
 * memory limit (cgroup) and report it as MLE.  If malloc ever fails (e.g. the
 * judge uses RLIMIT_AS instead of a cgroup) the program exits with status 3.
 * Expected: MLE. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CHUNK (64u << 20)

static void *volatile head;

int main(void) {
    for (;;) {
        char *p = malloc(CHUNK);
        if (p == NULL)
            return 3;
        memset(p, 0xA5, CHUNK);
        memcpy(p, (const void *)&head, sizeof head); /* link to previous chunk */
        head = p;
    }
    puts("Hello World!"); /* unreachable */
    return 0;
}
