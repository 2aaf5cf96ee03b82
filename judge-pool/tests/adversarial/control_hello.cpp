// control_hello.cpp -- CONTROL, not an attack: plain correct C++ answer.
// Expected: AC.
#include <iostream>

int main() {
    std::cout << "Hello World!\n";
    return 0;
}
