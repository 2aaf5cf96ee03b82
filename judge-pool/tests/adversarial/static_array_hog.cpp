// static_array_hog.cpp -- RESOURCE: a 2 GiB static (.bss) array, fully
// written.  Depending on the sandbox, exec/page-in fails (RTE) or the cgroup
// memory limit is hit while touching the pages (MLE).  If it ever finishes,
// memory is unlimited and it prints the correct answer (=> AC = test failure).
// Expected: MLE or RTE.
#include <cstdio>
#include <cstring>

static char a[2u << 30];

int main() {
    std::memset(a, 1, sizeof a);
    unsigned sum = 0;
    for (std::size_t i = 0; i < sizeof a; i += 1u << 20) // read back: keep the stores alive
        sum += static_cast<unsigned char>(a[i]);
    if (sum == (sizeof a >> 20))
        std::puts("Hello World!");
    return 0;
}
