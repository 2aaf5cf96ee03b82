// include_bomb.cpp -- COMPILE-TIME ATTACK: the file includes itself twice.
// GCC stops each chain at #include depth 200, but the include tree has
// ~2^200 leaves, each producing a diagnostic: endless compile time AND an
// endless flood of compiler output.  The judge must cap both compile time and
// the size of the captured compile log.  (If the judge passes the source by a
// path the preprocessor cannot re-open, it fails immediately: still CE.)
// Expected: CE.
#include __FILE__
#include __FILE__

int main() { return 0; }
