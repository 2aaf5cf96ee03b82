"""Interactive multi-pass: each pass tells the submission `k v` (the pass's input file)
and wants v + 1 back; every pass but the last (the answer file holds their number) asks
for another with `k+1 v+1` in nextpass.in."""
import sys

input_file, answer_file, feedback = sys.argv[1:4]
passes = int(open(answer_file).read())
k, v = map(int, open(input_file).read().split())
print(k, v, flush=True)
got = sys.stdin.readline().split()
if got != [str(v + 1)]:
    with open(feedback + "judgemessage.txt", "a") as message:
        message.write(f"pass {k}: expected {v + 1}, got {' '.join(got)[:20]!r}\n")
    sys.exit(43)
if k < passes:
    with open(feedback + "nextpass.in", "w") as nextpass:
        nextpass.write(f"{k + 1} {v + 1}\n")
sys.exit(42)
