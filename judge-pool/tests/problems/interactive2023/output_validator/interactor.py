"""Answers guesses of the number in the input file; at most 10."""
import sys

input_file, _, feedback = sys.argv[1], sys.argv[2], sys.argv[3]
n = int(open(input_file).read().split()[0])
for _ in range(10):
    line = sys.stdin.readline()
    if not line.strip():
        open(feedback + "judgemessage.txt", "w").write("no guess\n")
        sys.exit(43)
    guess = int(line)
    if guess == n:
        print("correct", flush=True)
        sys.exit(42)
    print("higher" if guess < n else "lower", flush=True)
open(feedback + "judgemessage.txt", "w").write("more than 10 guesses\n")
sys.exit(43)
