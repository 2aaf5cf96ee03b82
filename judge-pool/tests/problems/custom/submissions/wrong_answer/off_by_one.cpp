#include <cstdio>

// a + b = n + 1: off by one.
int main() {
    int n;
    if (std::scanf("%d", &n) != 1) return 1;
    std::printf("1 %d\n", n);
    return 0;
}
