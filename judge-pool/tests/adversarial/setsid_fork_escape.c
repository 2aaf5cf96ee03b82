/* setsid_fork_escape.c -- CONTAINMENT: leaves a detached daemon behind.
 * The child calls setsid() (new session and process group, so killing the
 * main process's group misses it) and double-forks; the grandchild ignores
 * SIGHUP/SIGINT/SIGTERM, KEEPS stdout/stderr OPEN (a judge that waits for EOF
 * on the output pipe hangs), sleeps 30 s and then writes
 * /tmp/codehub-adv-setsid-marker.  The main process answers and exits 0.
 * The sandbox must kill every process of the submission when the main one
 * exits (pid-namespace init exit or cgroup.kill); the test waits a bit,
 * checks that no sandbox process survived and that the marker never appears
 * on the host.  Expected: AC. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static void daemon_body(void) {
    signal(SIGHUP, SIG_IGN);
    signal(SIGINT, SIG_IGN);
    signal(SIGTERM, SIG_IGN);
    time_t end = time(NULL) + 30;
    while (time(NULL) < end)
        sleep(1);
    int fd = open("/tmp/codehub-adv-setsid-marker", O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd >= 0) {
        (void)!write(fd, "survived\n", 9);
        close(fd);
    }
    _exit(0);
}

int main(void) {
    fflush(stdout);
    pid_t child = fork();
    if (child == 0) {
        (void)setsid();
        pid_t grandchild = fork();
        if (grandchild == 0)
            daemon_body();
        _exit(0); /* orphan the grandchild */
    }
    if (child > 0)
        (void)waitpid(child, NULL, 0);
    puts("Hello World!");
    return 0;
}
