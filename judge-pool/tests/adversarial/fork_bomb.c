/* fork_bomb.c -- ATTACK: classic fork bomb.
 * Every process forks forever.  The sandbox must cap the number of tasks
 * (pids cgroup), kill the whole process tree when the limit verdict is given,
 * and the HOST MUST SURVIVE (the next case must still be judged normally).
 * Expected: TLE, RTE or MLE -- anything but AC/JE. */
#define _GNU_SOURCE
#include <unistd.h>

int main(void) {
    for (;;)
        (void)fork();
}
