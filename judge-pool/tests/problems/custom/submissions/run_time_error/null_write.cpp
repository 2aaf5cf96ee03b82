#include <cstdio>

// Writes through a null pointer: SIGSEGV. Both the pointer and the pointee
// are volatile; with only `int *volatile p` g++ -O2 drops the store entirely.
int main() {
    int n;
    if (std::scanf("%d", &n) != 1) return 1;
    volatile int *volatile p = nullptr;
    *p = n;
    std::printf("1 %d\n", n - 1);
    return 0;
}
