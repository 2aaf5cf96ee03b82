#include <iostream>
#include <string>

// Loop condition `lo < hi` instead of `lo <= hi`: when the range shrinks to
// one candidate the program stops without asking it, so x is never found
// for some values (the interactor then sees end of output -> wrong answer).
int main() {
    long long lo = 1, hi = 1000000000;
    while (lo < hi) {
        long long mid = lo + (hi - lo) / 2;
        std::cout << "? " << mid << std::endl;
        std::string r;
        if (!(std::cin >> r)) return 0;
        if (r == "=") return 0;
        if (r == "<") hi = mid - 1;
        else lo = mid + 1;
    }
    return 0;
}
