/* persist_between_tests.c -- CONTAINMENT: state carried from one test to the next of
 * the same submission (the judge may skip restoring the work directory when a test
 * left it as sealed, so each channel must be seen and undone).  Each run first looks
 * for what an earlier test could have left, then leaves it all:
 *   a new file in the work dir, a changed mode of the work dir, an extended attribute
 *   on it, bytes appended to the program's own binary, a renamed compiled file, a
 *   marker in /tmp.
 * The "hello" problem has two tests: the second must see nothing.  Expected: AC. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <unistd.h>

int main(int argc, char **argv) {
    (void)argc;
    int seen = 0;
    struct stat st;
    char buf[8];
    if (access("marker", F_OK) == 0) { printf("ESCAPED: marker file in /work\n"); seen = 1; }
    if (access("/tmp/marker", F_OK) == 0) { printf("ESCAPED: marker in /tmp\n"); seen = 1; }
    if (stat(".", &st) == 0 && (st.st_mode & 07777) == 0701) { printf("ESCAPED: /work mode\n"); seen = 1; }
    if (getxattr(".", "user.codehub", buf, sizeof buf) > 0) { printf("ESCAPED: xattr\n"); seen = 1; }
    if (stat(argv[0], &st) == 0 && st.st_size % 4096 == 7) { printf("ESCAPED: binary grew\n"); seen = 1; }
    if (access("renamed-binary", F_OK) == 0) { printf("ESCAPED: renamed binary\n"); seen = 1; }
    if (!seen)
        printf("Hello World!\n");
    fflush(stdout);

    int fd = open("marker", O_WRONLY | O_CREAT, 0600);
    if (fd >= 0) close(fd);
    fd = open("/tmp/marker", O_WRONLY | O_CREAT, 0600);
    if (fd >= 0) close(fd);
    setxattr(".", "user.codehub", "1", 1, 0);
    fd = open(argv[0], O_WRONLY | O_APPEND);
    if (fd >= 0) {
        /* Grow it to size % 4096 == 7 if the sandbox let us write. */
        if (fstat(fd, &st) == 0) {
            char pad[4096] = {0};
            long need = (7 - st.st_size % 4096 + 4096) % 4096;
            if (write(fd, pad, need) < 0) {}
        }
        close(fd);
    }
    /* A hard link under another name (the original stays: the next test must start). */
    if (link(argv[0], "renamed-binary") != 0) {}
    chmod(".", 0701);
    return 0;
}
