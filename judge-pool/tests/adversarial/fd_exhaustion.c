/* fd_exhaustion.c -- RESOURCE/CONTAINMENT: raises the soft RLIMIT_NOFILE to
 * the hard limit (as a hostile program would) and opens /dev/null (or dups
 * stdout if /dev/null is missing) until failure.  The sandbox must impose a
 * finite hard limit: more than 100000 descriptors is reported as an escape.
 * The open files are closed at exit.  Expected: AC. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <sys/resource.h>
#include <unistd.h>

int main(void) {
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0) {
        rl.rlim_cur = rl.rlim_max;
        (void)setrlimit(RLIMIT_NOFILE, &rl);
    }
    int use_dup = 0;
    int fd = open("/dev/null", O_RDONLY);
    if (fd < 0)
        use_dup = 1;
    long count = fd >= 0;
    while (count <= 100000) {
        fd = use_dup ? dup(1) : open("/dev/null", O_RDONLY);
        if (fd < 0)
            break;
        count++;
    }
    if (count > 100000)
        puts("ESCAPED: opened more than 100000 file descriptors");
    else
        puts("Hello World!");
    return 0;
}
