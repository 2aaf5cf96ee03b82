/* network_socket.c -- CONTAINMENT: tries to reach the host network.  Only
 * loopback is ever contacted: TCP connect to 127.0.0.1:39871 (the test
 * listens there and fails if anything connects), TCP connect to [::1]:39871,
 * and a UDP datagram to 127.0.0.1:39871.  Also fails if any interface other
 * than "lo" is up (the sandbox's private netns should have none).  A UDP
 * sendto that "succeeds" is not proof of anything (loopback may be up inside
 * a private netns), so it is only reported on stderr.
 * Expected: AC (Hello World! = no connection, no extra interface). */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define PORT 39871

int main(void) {
    int escaped = 0;

    int s = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (s >= 0) {
        struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(PORT)};
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        if (connect(s, (struct sockaddr *)&a, sizeof a) == 0) {
            puts("ESCAPED: TCP connect to 127.0.0.1 succeeded");
            escaped = 1;
        }
        close(s);
    }

    s = socket(AF_INET6, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (s >= 0) {
        struct sockaddr_in6 a6 = {.sin6_family = AF_INET6, .sin6_port = htons(PORT)};
        a6.sin6_addr = in6addr_loopback;
        if (connect(s, (struct sockaddr *)&a6, sizeof a6) == 0) {
            puts("ESCAPED: TCP connect to [::1] succeeded");
            escaped = 1;
        }
        close(s);
    }

    s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (s >= 0) {
        struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(PORT)};
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        if (sendto(s, "codehub-adv", 11, 0, (struct sockaddr *)&a, sizeof a) == 11)
            fputs("note: UDP sendto 127.0.0.1 accepted (not counted)\n", stderr);
        close(s);
    }

    struct ifaddrs *ifs;
    if (getifaddrs(&ifs) == 0) {
        for (struct ifaddrs *i = ifs; i; i = i->ifa_next)
            if ((i->ifa_flags & IFF_UP) && strcmp(i->ifa_name, "lo") != 0) {
                printf("ESCAPED: interface %s is up\n", i->ifa_name);
                escaped = 1;
                break;
            }
        freeifaddrs(ifs);
    }

    if (!escaped)
        puts("Hello World!");
    return 0;
}
