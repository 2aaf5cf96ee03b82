/* open_by_handle.c -- CONTAINMENT: the "shocker" breakout.  With
 * CAP_DAC_READ_SEARCH in the initial user namespace, open_by_handle_at()
 * opens ANY inode of a host filesystem given a mount fd (e.g. the read-only
 * /usr bind mount), bypassing the mount view entirely.  We try a real handle
 * (from name_to_handle_at) and a guessed one (ext4 root: inode 2, gen 0).
 * Any success means the capability leaked into the sandbox.
 * Expected: AC (Hello World! = every open_by_handle_at failed). */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

struct handle {
    struct file_handle fh;
    unsigned char space[MAX_HANDLE_SZ];
};

static int try_open(int mount_fd, struct handle *h, const char *what) {
    int fd = open_by_handle_at(mount_fd, &h->fh, O_RDONLY);
    if (fd < 0)
        return 0;
    close(fd);
    printf("ESCAPED: open_by_handle_at succeeded (%s)\n", what);
    return 1;
}

int main(void) {
    static const char *const dirs[] = {"/usr", "/etc", "/bin", "/lib", "/tmp", "/", "."};
    int escaped = 0;
    for (size_t i = 0; i < sizeof dirs / sizeof dirs[0] && !escaped; i++) {
        int mfd = open(dirs[i], O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (mfd < 0)
            continue;
        struct handle h;
        int mount_id;
        memset(&h, 0, sizeof h);
        h.fh.handle_bytes = MAX_HANDLE_SZ;
        if (name_to_handle_at(mfd, "", &h.fh, &mount_id, AT_EMPTY_PATH) == 0)
            escaped |= try_open(mfd, &h, dirs[i]);
        memset(&h, 0, sizeof h);
        h.fh.handle_bytes = 8;
        h.fh.handle_type = 1; /* FILEID_INO32_GEN */
        uint32_t ino_gen[2] = {2, 0};
        memcpy(h.fh.f_handle, ino_gen, sizeof ino_gen);
        escaped |= try_open(mfd, &h, "guessed inode 2");
        close(mfd);
    }
    if (!escaped)
        puts("Hello World!");
    return 0;
}
