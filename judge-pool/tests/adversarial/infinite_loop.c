/* infinite_loop.c -- RESOURCE: busy loop, never prints.
 * The sandbox must enforce the CPU-time limit.  Expected: TLE. */
#include <stdio.h>

int main(void) {
    volatile unsigned long counter = 0;
    for (;;)
        counter++;
    puts("Hello World!"); /* unreachable */
    return 0;
}
