// The interactor (testlib's conventions: `interactor input tout`, the submission on
// stdin/stdout, exit 0 ok, 1 wrong answer, 3 failure). The input holds `n x`: the
// submission finds x in 1..n by `? y` queries answered `<`, `>` or `=`. It may ask up
// to 20 times; the number of queries it used goes to tout for the checker.
#include "checkutil.h"
#include <cstdio>

int main(int argc, char **argv) {
    if (argc < 3) quitf(FAIL, "usage: interactor input tout");
    FILE *in = std::fopen(argv[1], "r"), *tout = std::fopen(argv[2], "w");
    long long n, x;
    if (!in || !tout || std::fscanf(in, "%lld %lld", &n, &x) != 2) quitf(FAIL, "bad input");
    std::printf("%lld\n", n);
    std::fflush(stdout);
    for (int queries = 1; queries <= 20; queries++) {
        char q;
        long long y;
        if (std::scanf(" %c %lld", &q, &y) != 2 || q != '?') quitf(WA, "expected `? y` as query %d", queries);
        if (y == x) {
            std::puts("=");
            std::fflush(stdout);
            std::fprintf(tout, "%d\n", queries);
            std::fclose(tout);
            quitf(OK, "found %lld in %d queries", x, queries);
        }
        std::puts(y < x ? ">" : "<");
        std::fflush(stdout);
    }
    quitf(WA, "not found in 20 queries");
}
