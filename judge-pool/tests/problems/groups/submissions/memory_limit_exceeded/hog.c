#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Allocates 16 MiB blocks and fills them (memset touches every page), keeping
   them reachable so the compiler cannot drop the allocation, until the
   memory limit kills it. */
#define BLOCK (16u << 20)

static char *blocks[4096];

int main(void) {
    unsigned long long check = 0;
    for (int i = 0; i < 4096; i++) {
        blocks[i] = malloc(BLOCK);
        if (!blocks[i]) return 1;
        memset(blocks[i], i + 1, BLOCK);
        check += (unsigned char)blocks[i][i];
    }
    printf("%llu\n", check);
    return 0;
}
