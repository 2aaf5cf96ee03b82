#include <cstdio>
int main() {
    long long n, lo = 1, hi;
    std::scanf("%lld", &n);
    hi = n;
    while (true) {
        long long mid = (lo + hi) / 2;
        std::printf("? %lld\n", mid);
        std::fflush(stdout);
        char r;
        std::scanf(" %c", &r);
        if (r == '=') return 0;
        if (r == '>') lo = mid + 1; else hi = mid - 1;
    }
}
