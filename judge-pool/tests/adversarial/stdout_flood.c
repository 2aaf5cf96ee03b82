/* stdout_flood.c -- RESOURCE: writes to stdout forever (64 KiB blocks, raw
 * write(2)).  NOTE: RLIMIT_FSIZE only applies to regular files; if stdout is
 * a pipe the judge must count the bytes itself.  Write errors are ignored, so
 * a judge that merely closes the pipe (and SIGPIPE is ignored) gets a spinning
 * process.  Expected: OLE. */
#define _GNU_SOURCE
#include <string.h>
#include <unistd.h>

int main(void) {
    static char buf[1 << 16];
    memset(buf, 'x', sizeof buf);
    for (size_t i = 63; i < sizeof buf; i += 64)
        buf[i] = '\n';
    for (;;)
        (void)!write(1, buf, sizeof buf);
}
