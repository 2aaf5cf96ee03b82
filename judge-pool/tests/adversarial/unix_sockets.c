/* unix_sockets.c -- CONTAINMENT: tries to reach host daemons over UNIX
 * sockets.  Abstract sockets (listed in /proc/net/unix, "@name") are scoped
 * to the network namespace, so a shared netns exposes the host's (systemd,
 * dbus, X11, containerd, ...); filesystem sockets (docker.sock etc.) must not
 * be visible.  We only connect() and close; nothing is sent.  This program
 * creates no socket of its own before reading the list.
 * Expected: AC (Hello World! = no connect() succeeded). */
#define _GNU_SOURCE
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

/* Tries stream, then datagram, then seqpacket.  abstract: name without '@'. */
static int try_connect(const char *name, int abstract) {
    static const int types[] = {SOCK_STREAM, SOCK_DGRAM, SOCK_SEQPACKET};
    struct sockaddr_un a;
    memset(&a, 0, sizeof a);
    a.sun_family = AF_UNIX;
    size_t n = strlen(name);
    if (n + 1 >= sizeof a.sun_path)
        return 0;
    memcpy(a.sun_path + (abstract ? 1 : 0), name, n);
    /* abstract: leading NUL + name (no terminator); path: name + NUL */
    socklen_t len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + n + 1);
    for (size_t i = 0; i < sizeof types / sizeof types[0]; i++) {
        int s = socket(AF_UNIX, types[i] | SOCK_CLOEXEC, 0);
        if (s < 0)
            continue;
        int r = connect(s, (struct sockaddr *)&a, len);
        int err = errno;
        close(s);
        if (r == 0) {
            printf("ESCAPED: connected to %s%s\n", abstract ? "@" : "", name);
            return 1;
        }
        if (err != EPROTOTYPE)
            break;
    }
    return 0;
}

int main(void) {
    static const char *const paths[] = {
        "/run/docker.sock", "/var/run/docker.sock", "/run/containerd/containerd.sock",
        "/run/podman/podman.sock", "/run/dbus/system_bus_socket", "/var/run/dbus/system_bus_socket",
        "/run/systemd/private", "/run/systemd/notify", "/run/systemd/journal/socket", "/dev/log",
        "/tmp/.X11-unix/X0", "/run/user/0/bus",
    };
    int escaped = 0;
    /* 1. abstract (and any listed path) sockets of this network namespace */
    FILE *f = fopen("/proc/net/unix", "r");
    if (f) {
        char line[1024];
        int tried = 0;
        (void)!fgets(line, sizeof line, f); /* header */
        while (fgets(line, sizeof line, f) && tried < 200) {
            char name[512];
            line[strcspn(line, "\n")] = '\0';
            /* Num RefCount Protocol Flags Type St Inode Path */
            if (sscanf(line, "%*s %*s %*s %*s %*s %*s %*s %511s", name) != 1)
                continue; /* unnamed */
            tried++;
            if (name[0] == '@')
                escaped |= try_connect(name + 1, 1);
            else
                escaped |= try_connect(name, 0);
        }
        fclose(f);
    }
    /* 2. well-known filesystem sockets */
    for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++)
        escaped |= try_connect(paths[i], 0);
    if (!escaped)
        puts("Hello World!");
    return 0;
}
