#include <stdio.h>

/* Truncates both numbers and uses integer division: 7 / 2 -> 3 instead of 3.5. */
int main(void) {
    double a, b;
    if (scanf("%lf %lf", &a, &b) != 2) return 1;
    long long x = (long long)a, y = (long long)b;
    printf("%lld\n", x / y);
    return 0;
}
