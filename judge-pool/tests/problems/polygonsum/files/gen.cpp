// gen <n> <seed> <max>: n numbers of absolute value at most max (a fixed LCG, so tests
// are the same everywhere).
#include <cstdio>
#include <cstdlib>

int main(int argc, char **argv) {
    if (argc != 4) { std::fprintf(stderr, "usage: gen n seed max\n"); return 1; }
    long long n = std::atoll(argv[1]);
    unsigned long long x = std::strtoull(argv[2], nullptr, 10) * 6364136223846793005ULL + 1442695040888963407ULL;
    unsigned long long max = std::strtoull(argv[3], nullptr, 10);
    std::printf("%lld\n", n);
    for (long long i = 0; i < n; i++) {
        x = x * 6364136223846793005ULL + 1442695040888963407ULL;
        long long v = (long long)((x >> 11) % (max + 1));
        if ((x >> 7) & 1) v = -v;
        std::printf(i + 1 < n ? "%lld " : "%lld\n", v);
    }
}
