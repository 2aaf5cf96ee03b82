/* clone_parent_escape.c -- CONTAINMENT: creates a child with CLONE_PARENT, so
 * it becomes a child of OUR parent (the judge's supervisor / sandbox init)
 * instead of ours, escaping "wait for and kill the main process's children"
 * logic.  The sibling ignores SIGHUP/SIGINT/SIGTERM, keeps stdout open, sleeps
 * 30 s and writes /tmp/codehub-adv-cloneparent-marker.  (If we are pid 1 of a
 * pid namespace, the kernel refuses CLONE_PARENT with EINVAL: fine.)
 * The sandbox must kill every process of the submission; the test checks no
 * process survived and the marker never appears on the host.  Expected: AC. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

static char stack[256 * 1024] __attribute__((aligned(16)));

static int sibling(void *arg) {
    (void)arg;
    signal(SIGHUP, SIG_IGN);
    signal(SIGINT, SIG_IGN);
    signal(SIGTERM, SIG_IGN);
    time_t end = time(NULL) + 30;
    while (time(NULL) < end)
        sleep(1);
    int fd = open("/tmp/codehub-adv-cloneparent-marker", O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd >= 0) {
        (void)!write(fd, "survived\n", 9);
        close(fd);
    }
    return 0;
}

int main(void) {
    fflush(stdout);
    if (clone(sibling, stack + sizeof stack, CLONE_PARENT | SIGCHLD, NULL) < 0)
        perror("note: clone(CLONE_PARENT)");
    puts("Hello World!");
    return 0;
}
