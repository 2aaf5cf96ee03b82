// huge_object.cpp -- COMPILE-TIME ATTACK: a 1 GiB *initialised* array lives in
// .data, so the assembler writes a 1 GiB object file and the linker a 1 GiB
// executable (filling disk/tmpfs, taking seconds).  The compiler's output-size
// (RLIMIT_FSIZE / tmpfs size) and time limits must stop it.  If it does get
// built and run, it prints a wrong answer.  Expected: CE.
#include <cstdio>

char big[1u << 30] = {1};

int main() {
    std::printf("ESCAPED: built a %zu-byte initialised array %d\n", sizeof big, big[0]);
    return 0;
}
