/* control_hello.c -- CONTROL, not an attack.
 * Plain correct answer.  Listed first (and again after the nastiest cases) so
 * that a broken harness or a judge killed by an earlier case shows up as a
 * failure of this control rather than as a mysterious pass/fail elsewhere.
 * Expected: AC. */
#include <stdio.h>

int main(void) {
    puts("Hello World!");
    return 0;
}
