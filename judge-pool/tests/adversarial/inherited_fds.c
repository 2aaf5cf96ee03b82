/* inherited_fds.c -- CONTAINMENT: looks for file descriptors other than
 * 0/1/2 inherited from the judge (checked at the very start of main, before
 * anything could open one).  A leaked directory fd allows openat(fd, "..")
 * walks out of the sandbox; a leaked pipe/socket talks to the judge.  The
 * judge must close (or mark O_CLOEXEC) everything else before exec.
 * Expected: AC (Hello World! = only 0, 1, 2 open). */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <sys/resource.h>
#include <unistd.h>

int main(void) {
    int leaked[32];
    int nleaked = 0;
    struct rlimit rl;
    long max = 65536;
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY && (long)rl.rlim_cur < max)
        max = (long)rl.rlim_cur;
    for (int fd = 3; fd < max && nleaked < 32; fd++)
        if (fcntl(fd, F_GETFD) != -1)
            leaked[nleaked++] = fd;
    for (int i = 0; i < nleaked; i++) {
        char link[64], target[512];
        snprintf(link, sizeof link, "/proc/self/fd/%d", leaked[i]);
        ssize_t n = readlink(link, target, sizeof target - 1);
        target[n > 0 ? n : 0] = '\0';
        printf("ESCAPED: inherited fd %d -> %s\n", leaked[i], n > 0 ? target : "?");
    }
    if (nleaked == 0)
        puts("Hello World!");
    return 0;
}
