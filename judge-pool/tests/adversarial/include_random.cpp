// include_random.cpp -- COMPILE-TIME ATTACK: the preprocessor reads the
// endless /dev/random (growing its buffer without bound), so the compiler
// must be stopped by the compile time/memory limits (or /dev/random must be
// unreachable for the compiler).  Expected: CE.
#include </dev/random>

int main() { return 0; }
