#include <stdio.h>

/* Asks 1, 2, 3, ...: more than 32 queries for x > 32. The interactor stops
   answering after query 33, so we read EOF and exit normally (exit code 0)
   instead of dying on a broken pipe. */
int main(void) {
    for (long y = 1; y <= 1000000000; y++) {
        printf("? %ld\n", y);
        fflush(stdout);
        char r;
        if (scanf(" %c", &r) != 1) return 0;
        if (r == '=') return 0;
    }
    return 0;
}
