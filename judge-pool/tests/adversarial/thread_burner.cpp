// thread_burner.cpp -- RESOURCE: 8 threads spinning forever.  CPU time must be
// accounted across all threads (and all processes) of the submission, so the
// CPU limit is reached ~8x faster than wall time on a big machine; also needs
// pids.max >= 9.  Expected: TLE.
#include <atomic>
#include <cstdio>
#include <thread>
#include <vector>

static std::atomic<unsigned long> counter{0};

int main() {
    std::vector<std::thread> pool;
    for (int i = 0; i < 8; i++)
        pool.emplace_back([] {
            for (;;)
                counter.fetch_add(1, std::memory_order_relaxed);
        });
    for (auto &t : pool)
        t.join();
    std::puts("Hello World!"); // unreachable
    return 0;
}
