// Output validator for "Two Different Parts".
// Usage: checker input_file answer_file feedback_dir [flags...] < team_output
// Exit 42 = accepted, 43 = wrong answer. The answer file is not needed:
// any a, b with a >= 1, b >= 1, a != b, a + b = n is accepted.
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

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
[[noreturn]] static void accept(const std::string &msg) { verdict(42, msg); }

// Parses a token made only of decimal digits (at most 9 of them).
static bool parse_int(const std::string &tok, long long &out) {
    if (tok.empty() || tok.size() > 9) return false;
    long long v = 0;
    for (unsigned char c : tok) {
        if (!std::isdigit(c)) return false;
        v = v * 10 + (c - '0');
    }
    out = v;
    return true;
}

static std::string shorten(const std::string &s) {
    std::string r;
    for (unsigned char c : s) {
        if (r.size() >= 40) { r += "..."; break; }
        r += std::isprint(c) ? static_cast<char>(c) : '?';
    }
    return r;
}

int main(int argc, char **argv) {
    if (argc < 4) {
        std::fprintf(stderr, "usage: %s input_file answer_file feedback_dir [flags] < team_output\n", argv[0]);
        return 1;  // judge error: neither 42 nor 43
    }
    feedback_dir = argv[3];

    FILE *in = std::fopen(argv[1], "r");
    if (!in) {
        std::fprintf(stderr, "cannot open input file %s\n", argv[1]);
        return 1;
    }
    long long n;
    if (std::fscanf(in, "%lld", &n) != 1) {
        std::fprintf(stderr, "bad input file\n");
        return 1;
    }
    std::fclose(in);

    // Read the team output token by token; give up after a few tokens so
    // that huge or garbage output cannot hurt us.
    std::vector<std::string> tokens;
    std::string cur;
    int ch;
    while ((ch = std::getchar()) != EOF) {
        if (std::isspace(ch)) {
            if (!cur.empty()) {
                tokens.push_back(cur);
                cur.clear();
                if (tokens.size() > 2) wrong("too much output: expected exactly two integers");
            }
        } else {
            cur += static_cast<char>(ch);
            if (cur.size() > 100) wrong("token too long: " + shorten(cur));
        }
    }
    if (!cur.empty()) tokens.push_back(cur);
    if (tokens.size() > 2) wrong("too much output: expected exactly two integers");
    if (tokens.size() < 2) wrong("too little output: expected two integers, got " + std::to_string(tokens.size()) + " token(s)");

    long long a, b;
    if (!parse_int(tokens[0], a)) wrong("first token is not a positive integer: " + shorten(tokens[0]));
    if (!parse_int(tokens[1], b)) wrong("second token is not a positive integer: " + shorten(tokens[1]));
    if (a < 1 || b < 1) wrong("a and b must be at least 1");
    if (a == b) wrong("a and b must be different, both are " + std::to_string(a));
    if (a + b != n) wrong(std::to_string(a) + " + " + std::to_string(b) + " != " + std::to_string(n));
    accept(std::to_string(a) + " + " + std::to_string(b) + " = " + std::to_string(n));
}
