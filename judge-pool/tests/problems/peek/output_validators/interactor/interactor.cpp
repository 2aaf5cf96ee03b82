// Interactor for "Peek": any number of `READ i` queries, then `SUM s`.
// Usage: interactor input_file answer_file feedback_dir [stubborn]
// Exit 42 = accepted, 43 = wrong answer. Unlike `interactive`'s interactor it
// reports a wrong answer at once, even at the end of the submission's output:
// the judge alone must order the two sides' ends (a validator that exits
// first with WA wins over whatever the submission does afterwards).
// With `stubborn` (the judge's tests set it), it never ends by itself once the
// submission has gone (end of its output, or it stopped reading): only the
// judge can end it then.
#include <unistd.h>

#include <cctype>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

static std::string feedback_dir;

[[noreturn]] static void verdict(int code, const std::string &msg) {
    std::string path = feedback_dir + "judgemessage.txt";
    if (FILE *f = std::fopen(path.c_str(), "w")) {
        std::fprintf(f, "%s\n", msg.c_str());
        std::fclose(f);
    }
    std::exit(code);
}

[[noreturn]] static void wrong(const std::string &msg) { verdict(43, msg); }

static bool stubborn = false;

// The submission is gone: wrong answer, or with `stubborn` wait for the judge.
[[noreturn]] static void gone(const std::string &msg) {
    while (stubborn) pause();
    wrong(msg);
}

static bool next_token(std::string &tok) {
    tok.clear();
    int ch;
    while ((ch = std::getchar()) != EOF && std::isspace(ch)) {}
    if (ch == EOF) return false;
    do {
        if (tok.size() >= 30) wrong("token too long");
        tok += static_cast<char>(ch);
    } while ((ch = std::getchar()) != EOF && !std::isspace(ch));
    return true;
}

// A decimal integer of at most 18 characters, else wrong answer.
static long long integer(const std::string &tok) {
    size_t i = (tok.size() > 1 && tok[0] == '-') ? 1 : 0;
    if (tok.size() == i || tok.size() > 18) wrong("bad number: " + tok);
    long long v = 0;
    for (; i < tok.size(); ++i) {
        if (!std::isdigit(static_cast<unsigned char>(tok[i]))) wrong("bad number: " + tok);
        v = v * 10 + (tok[i] - '0');
    }
    return tok[0] == '-' ? -v : v;
}

static void send(long long v) {
    // A failed write means the submission is gone.
    if (std::printf("%lld\n", v) < 0 || std::fflush(stdout) != 0)
        gone("the submission stopped reading");
}

int main(int argc, char **argv) {
    std::signal(SIGPIPE, SIG_IGN);
    if (argc < 4) return 1;
    feedback_dir = argv[3];
    stubborn = argc > 4 && std::string(argv[4]) == "stubborn";
    FILE *in = std::fopen(argv[1], "r");
    long long n;
    if (!in || std::fscanf(in, "%lld", &n) != 1 || n < 1 || n > 1000) return 1;
    std::vector<long long> a(n);
    long long sum = 0;
    for (auto &x : a) {
        if (std::fscanf(in, "%lld", &x) != 1) return 1;
        sum += x;
    }
    std::fclose(in);
    send(n);
    std::string tok;
    for (long long queries = 0;; ++queries) {
        if (!next_token(tok)) gone("end of output before SUM");
        if (tok == "READ") {
            if (!next_token(tok)) gone("end of output in a query");
            long long i = integer(tok);
            if (i < 0 || i >= n) wrong("index out of range: " + tok);
            send(a[i]);
        } else if (tok == "SUM") {
            if (!next_token(tok)) wrong("end of output in SUM");
            if (integer(tok) != sum) wrong("wrong sum " + tok);
            if (next_token(tok)) wrong("output after SUM: " + tok);
            verdict(42, "sum found after " + std::to_string(queries) + " queries");
        } else {
            wrong("unknown command: " + tok);
        }
    }
}
