#include <iostream>

int main() {
    long long n, sum = 0;
    std::cin >> n;
    for (long long i = 0; i < n; ++i) {
        std::cout << "READ " << i << std::endl;
        long long x;
        std::cin >> x;
        sum += x;
    }
    std::cout << "SUM " << sum << std::endl;
}
