/* write_files.c -- CONTAINMENT: tries to create files outside the work dir.
 * /tmp is private inside the sandbox, so creating /tmp/codehub-adv-escape-write
 * may succeed there; the test checks that it did NOT appear on the HOST.
 * /etc, /usr and / must be read-only (or otherwise unwritable) inside.
 * Expected: AC (Hello World! = the /etc, /usr and / writes all failed). */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static int try_write(const char *path) {
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0)
        return 0;
    const char msg[] = "written by codehub adversarial test write_files.c\n";
    int ok = write(fd, msg, strlen(msg)) > 0;
    close(fd);
    return ok;
}

int main(void) {
    static const char *const must_fail[] = {
        "/etc/codehub-adv", "/usr/codehub-adv", "/codehub-adv",
    };
    int escaped = 0;
    (void)try_write("/tmp/codehub-adv-escape-write"); /* allowed inside; host checked */
    for (size_t i = 0; i < sizeof must_fail / sizeof must_fail[0]; i++)
        if (try_write(must_fail[i])) {
            printf("ESCAPED: wrote %s\n", must_fail[i]);
            escaped = 1;
        }
    if (!escaped)
        puts("Hello World!");
    return 0;
}
