/* setuid_probe.c -- CONTAINMENT: do set-uid/set-gid (or file-capability)
 * binaries grant privileges inside the sandbox?  Every setuid/setgid file in
 * the usual bin dirs (at most 16) is started with no arguments, stdin = a pipe
 * we never write (so password prompts just wait) and stdout/stderr =
 * /dev/null.  We then read /proc/<pid>/status (a zombie keeps its final
 * credentials, so this is not racy once it has exited) and compare effective
 * uid/gid and CapEff with our own.  All children are SIGKILLed (allowed: their
 * real uid stays ours).  The sandbox must neutralise setuid (nosuid mounts,
 * no_new_privs, or a user namespace where the owner is unmapped).
 * Expected: AC (Hello World! = no privilege gained). */
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAXKIDS 16

struct creds {
    long euid, egid;
    unsigned long long capeff;
    char state;
};

static int read_creds(const char *path, struct creds *c) {
    FILE *f = fopen(path, "r");
    if (!f)
        return 0;
    char line[256];
    int got = 0;
    while (fgets(line, sizeof line, f)) {
        long r;
        if (sscanf(line, "Uid: %ld %ld", &r, &c->euid) == 2)
            got |= 1;
        else if (sscanf(line, "Gid: %ld %ld", &r, &c->egid) == 2)
            got |= 2;
        else if (sscanf(line, "CapEff: %llx", &c->capeff) == 1)
            got |= 4;
        else if (sscanf(line, "State: %c", &c->state) == 1)
            got |= 8;
    }
    fclose(f);
    return got == 15;
}

int main(void) {
    static const char *const dirs[] = {"/usr/bin", "/usr/sbin", "/bin", "/sbin", "/usr/local/bin"};
    char paths[MAXKIDS][512];
    pid_t kids[MAXKIDS];
    int nkids = 0, escaped = 0;
    struct creds me;
    if (!read_creds("/proc/self/status", &me)) {
        puts("Hello World!"); /* no /proc: cannot observe, and nothing to compare */
        return 0;
    }
    int in[2];
    if (pipe(in) != 0)
        return 1;
    fflush(stdout);

    for (size_t d = 0; d < sizeof dirs / sizeof dirs[0] && nkids < MAXKIDS; d++) {
        DIR *dir = opendir(dirs[d]);
        if (!dir)
            continue;
        struct dirent *de;
        while ((de = readdir(dir)) != NULL && nkids < MAXKIDS) {
            char path[512];
            struct stat st;
            snprintf(path, sizeof path, "%s/%s", dirs[d], de->d_name);
            if (lstat(path, &st) != 0 || !S_ISREG(st.st_mode) || !(st.st_mode & (S_ISUID | S_ISGID)))
                continue;
            pid_t pid = fork();
            if (pid == 0) {
                dup2(in[0], 0);
                int null = open("/dev/null", O_WRONLY);
                if (null >= 0) {
                    dup2(null, 1);
                    dup2(null, 2);
                } else {
                    close(1);
                    close(2);
                }
                char *const argv[] = {path, NULL};
                execv(path, argv);
                _exit(127);
            }
            if (pid > 0) {
                strcpy(paths[nkids], path);
                kids[nkids++] = pid;
            }
        }
        closedir(dir);
    }

    /* Poll for up to 300 ms: stop watching a child once it is a zombie. */
    int done[MAXKIDS] = {0};
    struct timespec start, now, nap = {0, 2000000};
    clock_gettime(CLOCK_MONOTONIC, &start);
    for (;;) {
        int pending = 0;
        for (int i = 0; i < nkids; i++) {
            if (done[i])
                continue;
            char sp[64];
            struct creds c;
            snprintf(sp, sizeof sp, "/proc/%d/status", (int)kids[i]);
            if (!read_creds(sp, &c)) {
                done[i] = 1;
                continue;
            }
            if (c.euid != me.euid || c.egid != me.egid || (c.capeff & ~me.capeff)) {
                printf("ESCAPED: %s ran with euid %ld egid %ld capeff %llx\n", paths[i], c.euid, c.egid,
                       c.capeff);
                escaped = 1;
                done[i] = 1;
            } else if (c.state == 'Z') {
                done[i] = 1;
            } else {
                pending++;
            }
        }
        clock_gettime(CLOCK_MONOTONIC, &now);
        if (!pending || (now.tv_sec - start.tv_sec) * 1000000000L + (now.tv_nsec - start.tv_nsec) > 300000000L)
            break;
        nanosleep(&nap, NULL);
    }
    for (int i = 0; i < nkids; i++) {
        kill(kids[i], SIGKILL);
        waitpid(kids[i], NULL, 0);
    }
    if (!escaped)
        puts("Hello World!");
    return 0;
}
