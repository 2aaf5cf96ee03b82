/* read_shadow.c -- CONTAINMENT: tries to read host secrets (/etc/shadow and
 * friends).  The sandbox must not expose them (not mounted, or unreadable for
 * the sandbox uid).  /etc/passwd may or may not exist; it is not checked.
 * Prints only the names of readable files, never their content.
 * Expected: AC (Hello World! = nothing readable). */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

static const char *const secrets[] = {
    "/etc/shadow",      "/etc/gshadow",   "/etc/shadow-",
    "/etc/sudoers",     "/etc/ssh/ssh_host_ed25519_key",
    "/etc/ssh/ssh_host_rsa_key",          "/etc/ssh/ssh_host_ecdsa_key",
    "/root/.ssh/id_rsa",                  "/root/.ssh/id_ed25519",
    "/root/.bash_history",
};

int main(void) {
    int leaked = 0;
    for (size_t i = 0; i < sizeof secrets / sizeof secrets[0]; i++) {
        int fd = open(secrets[i], O_RDONLY | O_CLOEXEC);
        if (fd < 0)
            continue;
        char c;
        if (read(fd, &c, 1) == 1) {
            printf("ESCAPED: could read %s\n", secrets[i]);
            leaked = 1;
        }
        close(fd);
    }
    if (!leaked)
        puts("Hello World!");
    return 0;
}
