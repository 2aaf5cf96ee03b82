#include <stdio.h>

/* Scientific notation (e.g. 1.428571428571e-10) is a valid float token. */
int main(void) {
    double a, b;
    if (scanf("%lf %lf", &a, &b) != 2) return 1;
    printf("%.12e\n", a / b);
    return 0;
}
