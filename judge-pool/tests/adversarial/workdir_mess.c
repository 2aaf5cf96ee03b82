/* workdir_mess.c -- CONTAINMENT: leaves a work dir that naive cleanup code
 * chokes on: a chain of 1000 nested directories with 200-byte names (path
 * length ~200 KB, far beyond PATH_MAX), file names that are not UTF-8, contain
 * a newline, or look like options ("-rf", "--no-preserve-root"), and an
 * unreadable (mode 000) directory at the bottom.  The judge must clean up
 * without crashing (e.g. no unwrap() on to_str()), and the next run must get
 * a fresh, empty work dir.  Stays well within a small tmpfs.  Expected: AC. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void touch(const char *name) {
    int fd = open(name, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd >= 0)
        close(fd);
}

int main(void) {
    touch("bad-\xff\xfe-utf8");
    touch("new\nline");
    touch("-rf");
    touch("--no-preserve-root");
    touch(" ");
    touch("*");

    int top = open(".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    char name[201];
    memset(name, 'd', 200);
    name[200] = '\0';
    for (int depth = 0; depth < 1000; depth++) {
        if (mkdir(name, 0755) != 0 || chdir(name) != 0)
            break;
    }
    if (mkdir("locked", 0700) == 0) {
        touch("locked/x");
        (void)chmod("locked", 0);
    }
    if (top >= 0) {
        (void)!fchdir(top);
        close(top);
    }
    puts("Hello World!");
    return 0;
}
