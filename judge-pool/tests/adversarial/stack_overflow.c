/* stack_overflow.c -- RESOURCE: unbounded recursion, 4 KiB of locals per
 * frame.  Either the stack rlimit is hit (SIGSEGV -> RTE) or, with a huge or
 * unlimited stack, the memory limit is hit (MLE).  The `stop` flag only keeps
 * gcc from warning about / optimising the infinite recursion.
 * Expected: RTE or MLE. */
#include <stdio.h>

static volatile int stop;

static int dive(int depth) {
    volatile char frame[4096];
    frame[0] = (char)depth;
    frame[sizeof frame - 1] = (char)(depth >> 8);
    if (stop)
        return 0;
    return dive(depth + 1) + frame[0] + frame[sizeof frame - 1];
}

int main(void) {
    int r = dive(0);
    printf("Hello World! %d\n", r); /* unreachable unless `stop` is set */
    return 0;
}
