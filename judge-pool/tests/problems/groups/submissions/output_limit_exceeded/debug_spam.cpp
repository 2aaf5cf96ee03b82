#include <cstdio>

// Leftover debug output: prints the running sum over and over, far beyond
// the 8 MiB output limit (the inner loop is an accidental infinite loop).
int main() {
    int n;
    if (std::scanf("%d", &n) != 1) return 1;
    long long sum = 0;
    for (int i = 0; i < n; i++) {
        long long x;
        if (std::scanf("%lld", &x) != 1) return 1;
        sum += x;
    }
    for (;;) std::printf("debug: sum = %lld\n", sum);
}
