/* mountinfo_probe.c -- CONTAINMENT: reads /proc/self/mountinfo and checks
 * that every mount at or below /, /usr, /bin, /sbin, /lib*, /etc is read-only
 * (write_files.c only probes three paths; this catches e.g. a writable /lib).
 * The host paths the mounts come from (mountinfo's "root" field) are an info
 * leak that is tolerated; they are listed on stderr for the record.  If /proc
 * or mountinfo is missing, there is nothing to check.
 * Expected: AC (Hello World! = no read-write system mount). */
#include <stdio.h>
#include <string.h>

static const char *const protected_trees[] = {
    "/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32", "/etc",
};

static int is_protected(const char *mnt) {
    if (strcmp(mnt, "/") == 0)
        return 1;
    for (size_t i = 0; i < sizeof protected_trees / sizeof protected_trees[0]; i++) {
        size_t n = strlen(protected_trees[i]);
        if (strncmp(mnt, protected_trees[i], n) == 0 && (mnt[n] == '\0' || mnt[n] == '/'))
            return 1;
    }
    return 0;
}

int main(void) {
    int escaped = 0;
    FILE *f = fopen("/proc/self/mountinfo", "r");
    if (f) {
        char line[4096];
        while (fgets(line, sizeof line, f)) {
            /* id parent maj:min root mountpoint options ... */
            char root[1024], mnt[1024], opts[1024];
            if (sscanf(line, "%*s %*s %*s %1023s %1023s %1023s", root, mnt, opts) != 3)
                continue;
            fprintf(stderr, "mount: %s (from %s) %s\n", mnt, root, opts);
            if (!is_protected(mnt))
                continue;
            if (strncmp(opts, "rw", 2) == 0 && (opts[2] == ',' || opts[2] == '\0')) {
                printf("ESCAPED: %s is mounted read-write\n", mnt);
                escaped = 1;
            }
        }
        fclose(f);
    }
    if (!escaped)
        puts("Hello World!");
    return 0;
}
