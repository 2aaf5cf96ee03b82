#include <cstdio>
int main() {
    long long n, v, s = 0;
    std::scanf("%lld", &n);
    while (n-- > 0 && std::scanf("%lld", &v) == 1) s += v;
    std::printf("%lld\n", s);
}
