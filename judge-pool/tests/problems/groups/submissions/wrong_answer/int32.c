#include <stdio.h>

/* 32-bit accumulator: correct on group 1, overflows on group 2. */
int main(void) {
    int n;
    if (scanf("%d", &n) != 1) return 1;
    int sum = 0;
    for (int i = 0; i < n; i++) {
        int x;
        if (scanf("%d", &x) != 1) return 1;
        sum += x;
    }
    printf("%d\n", sum);
    return 0;
}
