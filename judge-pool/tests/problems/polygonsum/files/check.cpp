// The checker: the output must be one integer, the sum. Follows testlib's conventions
// (see checkutil.h).
#include "checkutil.h"
#include <cctype>
#include <fstream>
#include <string>

static bool integer(const std::string &s, long long &v) {
    if (s.empty() || s.size() > 20) return false;
    size_t i = s[0] == '-' ? 1 : 0;
    if (i == s.size()) return false;
    for (size_t j = i; j < s.size(); j++)
        if (!std::isdigit((unsigned char)s[j])) return false;
    try { v = std::stoll(s); } catch (...) { return false; }
    return true;
}

int main(int argc, char **argv) {
    if (argc < 4) quitf(FAIL, "usage: check input output answer");
    std::ifstream out(argv[2]), ans(argv[3]);
    std::string want, got, extra;
    long long w, g;
    if (!(ans >> want) || !integer(want, w)) quitf(FAIL, "the answer file holds no integer");
    if (!(out >> got)) quitf(PE, "the output is empty");
    if (!integer(got, g)) quitf(PE, "expected an integer, found '%s'", got.c_str());
    if (out >> extra) quitf(PE, "extra output after the sum: '%s'", extra.c_str());
    if (g != w) quitf(WA, "expected %lld, found %lld", w, g);
    quitf(OK, "the sum is %lld", g);
}
