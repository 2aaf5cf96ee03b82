/* persist_probe.c -- CONTAINMENT: cross-run leakage.  First looks for markers
 * that an earlier run (of this program, or of any submission) could have left
 * in places that outlive a run: /tmp, /var/tmp, /dev/shm, the work dir's
 * parent, a System V shared-memory key and a POSIX message queue; then creates
 * them all.  The manifest runs it twice: the second run must not see the
 * first run's markers (fresh /tmp, /dev/shm, IPC namespace per run), and the
 * host paths must stay absent.  Expected: AC. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <mqueue.h>
#include <stdio.h>
#include <sys/ipc.h>
#include <sys/shm.h>
#include <sys/stat.h>
#include <unistd.h>

#define SHM_KEY ((key_t)0x0C0DE4AB)
#define MQ_NAME "/codehub-adv-persist"

static const char *const files[] = {
    "/tmp/codehub-adv-persist",     "/var/tmp/codehub-adv-persist",
    "/dev/shm/codehub-adv-persist", "../codehub-adv-persist",
};

int main(void) {
    int leaked = 0;
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++)
        if (access(files[i], F_OK) == 0) {
            printf("ESCAPED: %s survived from an earlier run\n", files[i]);
            leaked = 1;
        }
    if (shmget(SHM_KEY, 0, 0) >= 0) {
        puts("ESCAPED: System V shm segment survived from an earlier run");
        leaked = 1;
    }
    mqd_t mq = mq_open(MQ_NAME, O_RDONLY);
    if (mq != (mqd_t)-1) {
        puts("ESCAPED: POSIX message queue survived from an earlier run");
        leaked = 1;
        mq_close(mq);
    }

    /* leave markers for the next run */
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        int fd = open(files[i], O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
        if (fd >= 0)
            close(fd);
    }
    (void)shmget(SHM_KEY, 4096, IPC_CREAT | 0600);
    struct mq_attr attr = {.mq_maxmsg = 1, .mq_msgsize = 16};
    mq = mq_open(MQ_NAME, O_RDONLY | O_CREAT, 0600, &attr);
    if (mq != (mqd_t)-1)
        mq_close(mq);

    if (!leaked)
        puts("Hello World!");
    return 0;
}
