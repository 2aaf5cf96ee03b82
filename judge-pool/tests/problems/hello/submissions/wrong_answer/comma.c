#include <stdio.h>

/* "Hello," is a different token from "Hello": wrong answer. */
int main(void) {
    printf("Hello, World!\n");
    return 0;
}
