#include <stdio.h>
#include <stdlib.h>

/* Prints the correct answer, then aborts (SIGABRT). */
int main(void) {
    printf("Hello World!\n");
    fflush(stdout);
    abort();
}
