#include <cstdio>
#include <vector>

// Recomputes every prefix sum from scratch: O(n^2) ~ 2*10^10 additions for
// n = 2*10^5. The volatile accumulator stops the compiler from turning the
// inner loop into anything clever, so this takes far longer than 1 s.
int main() {
    int n;
    if (std::scanf("%d", &n) != 1) return 1;
    std::vector<long long> a(n);
    for (auto &x : a)
        if (std::scanf("%lld", &x) != 1) return 1;
    long long total = 0;
    for (int i = 0; i < n; i++) {
        volatile long long s = 0;
        for (int j = 0; j <= i; j++) s = s + a[j];
        total = s;
    }
    std::printf("%lld\n", total);
    return 0;
}
