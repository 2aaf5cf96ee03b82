/* read_env.c -- CONTAINMENT: looks for the judge's secret environment
 * variable (the test sets CODEHUB_CANARY_SECRET=... in the judge process) in
 * our own environ, /proc/self/environ, /proc/1/environ and the environ of
 * every visible pid.  The judge must start submissions with a clean
 * environment and a private pid namespace / proc.  The needle is assembled at
 * run time so that the binary/source never contain it verbatim.
 * Expected: AC (Hello World! = canary not found). */
#define _GNU_SOURCE
#include <ctype.h>
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

extern char **environ;
static char needle[64];

/* 1 if the file contains the needle (environ files are NUL-separated). */
static int file_has_needle(const char *path) {
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return 0;
    static char buf[1 << 20];
    size_t len = 0;
    ssize_t n;
    while (len < sizeof buf - 1 && (n = read(fd, buf + len, sizeof buf - 1 - len)) > 0)
        len += (size_t)n;
    close(fd);
    for (size_t i = 0; i < len; i++)
        if (buf[i] == '\0')
            buf[i] = '\n';
    buf[len] = '\0';
    return strstr(buf, needle) != NULL;
}

int main(void) {
    int found = 0;
    snprintf(needle, sizeof needle, "%s_%s", "CODEHUB", "CANARY");

    for (char **e = environ; e && *e; e++)
        if (strstr(*e, needle)) {
            puts("ESCAPED: canary in environ");
            found = 1;
            break;
        }
    if (file_has_needle("/proc/self/environ")) {
        puts("ESCAPED: canary in /proc/self/environ");
        found = 1;
    }
    if (file_has_needle("/proc/1/environ")) {
        puts("ESCAPED: canary in /proc/1/environ");
        found = 1;
    }
    DIR *d = opendir("/proc");
    if (d) {
        struct dirent *de;
        while ((de = readdir(d)) != NULL) {
            if (!isdigit((unsigned char)de->d_name[0]))
                continue;
            char path[300];
            snprintf(path, sizeof path, "/proc/%s/environ", de->d_name);
            if (file_has_needle(path)) {
                printf("ESCAPED: canary in %s\n", path);
                found = 1;
            }
        }
        closedir(d);
    }
    if (!found)
        puts("Hello World!");
    return 0;
}
