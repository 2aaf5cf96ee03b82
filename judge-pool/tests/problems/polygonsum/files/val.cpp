// The input validator (testlib's conventions: the input on stdin, exit 0 when valid,
// 3 with "FAIL ..." on stderr when not): n in 1..200000, then n integers of absolute
// value at most 10^15 on one line.
#include <cstdio>
#include <cstdlib>
#include <cstring>

[[noreturn]] static void fail(const char *why) { std::fprintf(stderr, "FAIL %s\n", why); std::exit(3); }

int main() {
    long long n;
    char end;
    if (std::scanf("%lld%c", &n, &end) != 2 || end != '\n') fail("bad first line");
    if (n < 1 || n > 200000) fail("n out of range");
    for (long long i = 0; i < n; i++) {
        long long v;
        if (std::scanf("%lld%c", &v, &end) != 2) fail("missing number");
        if (v < -1000000000000000LL || v > 1000000000000000LL) fail("number out of range");
        if (end != (i + 1 < n ? ' ' : '\n')) fail("bad separator");
    }
    if (std::getchar() != EOF) fail("extra input");
    return 0;
}
