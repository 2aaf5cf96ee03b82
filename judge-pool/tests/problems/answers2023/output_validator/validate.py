"""Accepts any divisor d of n with 1 < d < n (the answer file holds one)."""
import sys

input_file, answer_file, feedback = sys.argv[1:4]
n = int(open(input_file).read())
got = sys.stdin.read().split()
if len(got) == 1 and got[0].isdigit() and 1 < int(got[0]) < n and n % int(got[0]) == 0:
    sys.exit(42)
with open(feedback + "judgemessage.txt", "w") as message:
    message.write(f"{' '.join(got)[:20]!r} is not a divisor of {n}\n")
sys.exit(43)
