#include <cstdio>
#include <vector>

// Every push_back writes the element, so the pages are really touched and
// the resident set grows until the memory limit (256 MiB) is hit.
int main() {
    double a, b;
    if (std::scanf("%lf %lf", &a, &b) != 2) return 1;
    std::vector<long long> v;
    while (true) v.push_back(1);
    std::printf("%.10f\n", a / b);
    return 0;
}
