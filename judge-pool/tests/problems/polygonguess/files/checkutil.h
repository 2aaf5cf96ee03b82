// Helpers of this package's checker, which follows testlib's conventions (written for
// CodeHub's tests; it is not testlib): arguments `input output answer`, the verdict as
// the exit code (0 ok, 1 wrong answer, 2 presentation error, 3 checker failure, 7 points),
// the message on stderr prefixed like testlib's (`ok `, `wrong answer `, ...).
#pragma once
#include <cstdarg>
#include <cstdio>
#include <cstdlib>

enum Outcome { OK = 0, WA = 1, PE = 2, FAIL = 3, POINTS = 7 };

[[noreturn]] inline void quitf(Outcome o, const char *format, ...) {
    const char *prefix = o == OK ? "ok " : o == WA ? "wrong answer " : o == PE ? "wrong output format " : o == POINTS ? "points " : "FAIL ";
    std::fputs(prefix, stderr);
    va_list args;
    va_start(args, format);
    std::vfprintf(stderr, format, args);
    va_end(args);
    std::fputc('\n', stderr);
    std::exit(o);
}
