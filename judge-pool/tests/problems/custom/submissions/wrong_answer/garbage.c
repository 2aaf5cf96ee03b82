#include <stdio.h>

/* Chatty output: the checker must reject it, not crash. */
int main(void) {
    int n;
    if (scanf("%d", &n) != 1) return 1;
    printf("The answer is: a=1, b=%d \x01\xff\n", n - 1);
    return 0;
}
