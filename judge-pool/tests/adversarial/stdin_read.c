/* stdin_read.c -- CONTAINMENT: reads stdin to EOF before answering.  `hello`
 * has an empty input, so the judge must give the submission an stdin that
 * reaches EOF (the test input file or /dev/null), never the judge's own
 * terminal/stdin or a pipe it never closes -- otherwise this blocks until the
 * wall limit (TLE).  Expected: AC. */
#define _GNU_SOURCE
#include <stdio.h>
#include <unistd.h>

int main(void) {
    char buf[4096];
    long total = 0;
    ssize_t n;
    while ((n = read(0, buf, sizeof buf)) > 0)
        total += n;
    if (total > 0)
        fprintf(stderr, "note: read %ld bytes of input\n", total);
    puts("Hello World!");
    return 0;
}
