// template_bomb.cpp -- COMPILE-TIME ATTACK: exponential template
// instantiation.  Every Bomb<N, M> instantiates two distinct Bomb<N-1, ...>,
// so Bomb<40, 0> needs 2^41 - 1 instantiations: g++ runs "forever" while its
// memory grows steadily.  Depth 40 is far below -ftemplate-depth (900), so
// only the judge's compile time/memory limits can stop it.  If it ever
// compiled it would print the right answer -- AC would mean the compiler had
// no limits.  Expected: CE.
#include <cstdio>

template <int N, unsigned long long M>
struct Bomb {
    static constexpr unsigned long long value =
        Bomb<N - 1, 2 * M>::value + Bomb<N - 1, 2 * M + 1>::value;
};

template <unsigned long long M>
struct Bomb<0, M> {
    static constexpr unsigned long long value = M;
};

int main() {
    if (Bomb<40, 0>::value != 0)
        std::puts("Hello World!");
    return 0;
}
