#include <stdio.h>

/* Writes forever; the output limit (8 MiB) is hit well before the time limit. */
int main(void) {
    for (;;) {
        fputs("Hello World! Hello World! Hello World! Hello World!\n", stdout);
    }
}
