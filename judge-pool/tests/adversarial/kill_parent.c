/* kill_parent.c -- CONTAINMENT: tries to SIGKILL its parent (the judge's
 * supervisor, if visible), pid 1, and finally every process it may signal
 * (kill(-1)).  Errors are ignored.  In a private pid namespace the parent is
 * invisible (getppid() == 0) and kill(-1) reaches only the sandbox itself; with
 * a uid shared between concurrent sandboxes kill(-1) would hit OTHER
 * submissions.  The answer is printed (and flushed) before kill(-1), which is
 * last; if the sandbox's own init dies with it, RTE is acceptable.  What
 * matters is that the judge survives: the manifest runs a control right after.
 * Expected: AC or RTE. */
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <unistd.h>

int main(void) {
    pid_t ppid = getppid();
    if (ppid > 0) /* ppid 0 = parent outside our pid ns; kill(0) would only hit our own group */
        (void)kill(ppid, SIGKILL);
    (void)kill(1, SIGKILL);
    puts("Hello World!");
    fflush(stdout);
    (void)kill(-1, SIGKILL);
    return 0;
}
