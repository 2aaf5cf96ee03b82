#include <stdio.h>

/* Forgets to flush: with a full 64 KiB buffer the query never reaches the
   interactor, which waits for it while we wait for the answer: deadlock
   until the (wall-clock) time limit kills us. Uses ~0 CPU time. */
int main(void) {
    static char buf[1 << 16];
    setvbuf(stdout, buf, _IOFBF, sizeof buf);
    long lo = 1, hi = 1000000000;
    while (lo <= hi) {
        long mid = lo + (hi - lo) / 2;
        printf("? %ld\n", mid);
        char r;
        if (scanf(" %c", &r) != 1) return 0;
        if (r == '=') return 0;
        if (r == '<') hi = mid - 1;
        else lo = mid + 1;
    }
    return 0;
}
