// include_environ.cpp -- COMPILE-TIME ATTACK: includes the COMPILER's own
// environment, so the diagnostics (shown to the contestant) quote it.  If the
// compiler inherits the judge's environment, the secret leaks (the test sets
// CODEHUB_CANARY_SECRET in the judge).  The compiler must be started with a
// clean environment.  Expected: CE, and the compile output must not contain
// the canary.
#include </proc/self/environ>

int main() { return 0; }
