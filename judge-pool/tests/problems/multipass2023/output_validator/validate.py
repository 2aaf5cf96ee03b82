"""Pass k of the number of passes in the answer file: the pass's input is `k v`, the
submission must print v + 1; every pass but the last asks for the next one (`k+1 v+1` in
nextpass.in). Each pass appends to judgemessage.txt, which persists between passes."""
import sys

input_file, answer_file, feedback = sys.argv[1:4]
passes = int(open(answer_file).read())
k, v = map(int, open(input_file).read().split())
got = sys.stdin.read().split()
with open(feedback + "judgemessage.txt", "a") as message:
    if got != [str(v + 1)]:
        message.write(f"pass {k}: expected {v + 1}, got {' '.join(got)[:20]!r}\n")
        sys.exit(43)
    message.write(f"pass {k} ok\n")
if k < passes:
    with open(feedback + "nextpass.in", "w") as nextpass:
        nextpass.write(f"{k + 1} {v + 1}\n")
sys.exit(42)
