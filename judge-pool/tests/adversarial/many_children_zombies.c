/* many_children_zombies.c -- CONTAINMENT: 30 children exit immediately and
 * are never waited for (zombies), 30 more ignore SIGHUP/SIGINT/SIGTERM and
 * sleep forever holding stdout/stderr open.  Then the main process answers and
 * exits.  The judge must not wait for EOF on the output pipe (the sleepers
 * hold it), must reap/kill everything, and the test checks that no process of
 * the sandbox survives.  Fork failures (a small pids limit) are tolerated.
 * Expected: AC. */
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <unistd.h>

int main(void) {
    fflush(stdout);
    for (int i = 0; i < 30; i++)
        if (fork() == 0)
            _exit(0); /* zombie: parent never waits */
    for (int i = 0; i < 30; i++)
        if (fork() == 0) {
            signal(SIGHUP, SIG_IGN);
            signal(SIGINT, SIG_IGN);
            signal(SIGTERM, SIG_IGN);
            for (;;)
                pause();
        }
    puts("Hello World!");
    return 0;
}
