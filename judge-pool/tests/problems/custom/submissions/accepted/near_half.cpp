#include <iostream>

// a = (n-1)/2 < n/2, so a != b, and a >= 1 because n >= 3.
int main() {
    int n;
    std::cin >> n;
    int a = (n - 1) / 2;
    std::cout << a << ' ' << n - a << '\n';
    return 0;
}
