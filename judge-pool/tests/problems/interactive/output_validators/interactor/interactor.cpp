// Interactor for "Guess the Number".
// Usage: interactor input_file answer_file feedback_dir [flags...]
// stdin is the submission's stdout, stdout goes to the submission's stdin.
// Exit 42 = accepted, 43 = wrong answer.
#include <cctype>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <string>

static const int MAX_QUERIES = 32;
static const long long MAX_X = 1000000000LL;

static std::string feedback_dir;

[[noreturn]] static void verdict(int code, const std::string &msg) {
    if (!feedback_dir.empty()) {
        std::string path = feedback_dir;
        if (path.back() != '/') path += '/';
        path += "judgemessage.txt";
        if (FILE *f = std::fopen(path.c_str(), "w")) {
            std::fprintf(f, "%s\n", msg.c_str());
            std::fclose(f);
        }
    }
    std::exit(code);
}

[[noreturn]] static void wrong(const std::string &msg) { verdict(43, msg); }

// End of the submission's output usually means it exited (or crashed, or was
// killed). No need to wait before reporting: the judge knows the submission
// ended first and reports RTE/TLE for it, as the Kattis rules say (only a
// validator that exits *first* with WA wins over RTE/TLE).
[[noreturn]] static void wrong_after_eof(const std::string &msg) { wrong(msg); }

static std::string shorten(const std::string &s) {
    std::string r;
    for (unsigned char c : s) {
        if (r.size() >= 40) { r += "..."; break; }
        r += std::isprint(c) ? static_cast<char>(c) : '?';
    }
    return r;
}

// Reads the next whitespace-separated token (at most 100 characters).
// Returns false on end of file.
static bool next_token(std::string &tok) {
    tok.clear();
    int ch;
    while ((ch = std::getchar()) != EOF && std::isspace(ch)) {}
    if (ch == EOF) return false;
    do {
        tok += static_cast<char>(ch);
        if (tok.size() > 100) wrong("token too long: " + shorten(tok));
    } while ((ch = std::getchar()) != EOF && !std::isspace(ch));
    return true;
}

static void reply(const char *s) {
    // A dead submission must not kill us (SIGPIPE is ignored); a failed
    // write just means the submission is gone.
    if (std::printf("%s\n", s) < 0 || std::fflush(stdout) != 0)
        wrong("could not send the answer (submission exited?)");
}

int main(int argc, char **argv) {
    std::signal(SIGPIPE, SIG_IGN);
    if (argc < 4) {
        std::fprintf(stderr, "usage: %s input_file answer_file feedback_dir [flags]\n", argv[0]);
        return 1;  // judge error
    }
    feedback_dir = argv[3];
    FILE *in = std::fopen(argv[1], "r");
    long long x;
    if (!in || std::fscanf(in, "%lld", &x) != 1 || x < 1 || x > MAX_X) {
        std::fprintf(stderr, "bad input file %s\n", argv[1]);
        return 1;
    }
    std::fclose(in);

    std::string tok;
    for (int queries = 1;; ++queries) {
        if (!next_token(tok))
            wrong_after_eof("submission exited (end of output) before finding x after " + std::to_string(queries - 1) + " queries");
        if (tok != "?") wrong("expected '?', got " + shorten(tok));
        if (!next_token(tok)) wrong_after_eof("end of output in the middle of a query");
        if (tok.empty() || tok.size() > 10) wrong("bad number: " + shorten(tok));
        long long y = 0;
        for (unsigned char c : tok) {
            if (!std::isdigit(c)) wrong("bad number: " + shorten(tok));
            y = y * 10 + (c - '0');
        }
        if (y < 1 || y > MAX_X) wrong("query out of range: " + tok);
        if (queries > MAX_QUERIES)  // stop talking: do not answer the extra query
            wrong("too many queries (more than " + std::to_string(MAX_QUERIES) + ")");
        if (x < y) {
            reply("<");
        } else if (x > y) {
            reply(">");
        } else {
            reply("=");
            // The submission must now exit without printing anything else.
            if (next_token(tok)) wrong("output after the number was found: " + shorten(tok));
            verdict(42, "found x = " + std::to_string(x) + " with " + std::to_string(queries) + " queries");
        }
    }
}
