/* ptrace_parent.c -- CONTAINMENT: tries PTRACE_ATTACH to pid 1 and to the
 * parent.  Attaching to a judge/supervisor process would allow code injection
 * into it.  Must fail (private pid ns: the parent is invisible, getppid()==0;
 * any sandbox helper running as the same uid should be non-dumpable; seccomp
 * may also forbid ptrace).  Any successful attach is detached immediately.
 * Expected: AC (Hello World! = both attaches failed). */
#define _GNU_SOURCE
#include <stdio.h>
#include <sys/ptrace.h>
#include <sys/wait.h>
#include <unistd.h>

static int attach(pid_t pid, const char *what) {
    if (pid <= 0 || pid == getpid())
        return 0; /* invisible or ourselves: nothing to attack */
    if (ptrace(PTRACE_ATTACH, pid, NULL, NULL) != 0)
        return 0;
    (void)waitpid(pid, NULL, __WALL);
    (void)ptrace(PTRACE_DETACH, pid, NULL, NULL);
    printf("ESCAPED: PTRACE_ATTACH to %s (pid %d) succeeded\n", what, (int)pid);
    return 1;
}

int main(void) {
    int escaped = attach(1, "pid 1");
    escaped |= attach(getppid(), "parent");
    if (!escaped)
        puts("Hello World!");
    return 0;
}
