/* seccomp_probe.c -- CONTAINMENT: system calls the native sandbox's seccomp filter
 * denies and that would otherwise SUCCEED for an unprivileged process in its own
 * namespaces: ptrace(PTRACE_TRACEME), unshare(0), personality(ADDR_NO_RANDOMIZE),
 * process_vm_readv on itself, io_uring_setup and userfaultfd. Any success is reported
 * as "ESCAPED"; all denied → "Hello World!". Expected: AC on the native sandbox (the
 * Docker sandbox has its own seccomp profile and is not run on this case). */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

static int escaped = 0;

static void check(const char *what, long ret) {
    if (ret >= 0) {
        printf("ESCAPED: %s succeeded\n", what);
        escaped = 1;
    } else if (errno != EPERM) {
        fprintf(stderr, "%s: %s\n", what, strerror(errno));
    }
}

int main(void) {
    check("ptrace(TRACEME)", syscall(SYS_ptrace, 0 /* PTRACE_TRACEME */, 0, 0, 0));
    check("unshare(0)", syscall(SYS_unshare, 0));
    check("personality(ADDR_NO_RANDOMIZE)", syscall(SYS_personality, 0x0040000));
    check("process_vm_readv(self)", syscall(SYS_process_vm_readv, getpid(), 0, 0, 0, 0, 0));
    unsigned char params[120] = {0};
    check("io_uring_setup", syscall(SYS_io_uring_setup, 1, params));
    check("userfaultfd", syscall(SYS_userfaultfd, 0));
    if (!escaped)
        printf("Hello World!\n");
    return 0;
}
