/* 32-bit sums: right on group 1, wrong on group 2. */
#include <stdio.h>
int main(void) {
    long long n, v;
    int s = 0;
    scanf("%lld", &n);
    while (n-- > 0 && scanf("%lld", &v) == 1) s += (int)v;
    printf("%d\n", s);
    return 0;
}
