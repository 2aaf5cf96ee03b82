// Interactive problem `peek`: floods the interactor with queries and never
// reads an answer. Both sides end up blocked on full pipes, so only the
// submission's wall-clock limit ends the run: TLE, within that limit, on every
// backend; the interactor killed with it is not a judge error.
#include <cstdio>

int main() {
    for (;;) std::fputs("READ 0\n", stdout);
}
