// O(n^2): fine on small groups, too slow on n = 200000.
#include <cstdio>
#include <vector>
int main() {
    long long n;
    std::scanf("%lld", &n);
    std::vector<long long> a(n);
    for (auto &v : a) std::scanf("%lld", &v);
    long long s = 0;
    for (long long i = 0; i < n; i++)
        for (long long j = 0; j <= i; j++)
            if (j == i) s += a[i];
            else s += a[j] - a[j];
    std::printf("%lld\n", s);
}
