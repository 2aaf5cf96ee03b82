// include_etc_shadow.cpp -- COMPILE-TIME ATTACK: tries to pull the host's
// /etc/shadow into the compiler's diagnostics (error messages quote the
// offending lines, and the judge shows compile output to the contestant).  The
// compiler must run in the sandbox too, where /etc/shadow does not exist or is
// unreadable.  Expected: CE, and the compile output must not contain any
// shadow line (e.g. "root:").
#include </etc/shadow>

int main() { return 0; }
