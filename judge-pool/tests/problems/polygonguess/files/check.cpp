// The checker after the interactor (testlib's conventions: `checker input tout answer`):
// the answer file holds the most queries allowed, tout the number used.
#include "checkutil.h"
#include <fstream>

int main(int argc, char **argv) {
    if (argc < 4) quitf(FAIL, "usage: check input tout answer");
    std::ifstream tout(argv[2]), ans(argv[3]);
    int used, allowed;
    if (!(ans >> allowed)) quitf(FAIL, "the answer file holds no limit");
    if (!(tout >> used)) quitf(FAIL, "the interactor wrote no count");
    if (used > allowed) quitf(WA, "%d queries, at most %d allowed", used, allowed);
    quitf(OK, "%d queries", used);
}
