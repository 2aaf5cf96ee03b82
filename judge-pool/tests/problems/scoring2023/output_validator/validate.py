"""Accepts the exact answer (full points); `almost` earns the points the answer file's
second line names (score.txt), `half` earns half the case's maximum
(score_multiplier.txt); anything else is wrong."""
import sys

_, answer_file, feedback = sys.argv[1], sys.argv[2], sys.argv[3]
expected, partial = open(answer_file).read().split()
got = sys.stdin.read().strip()
if got == expected:
    sys.exit(42)
if got == "almost":
    open(feedback + "score.txt", "w").write(partial + "\n")
    sys.exit(42)
if got == "half":
    open(feedback + "score_multiplier.txt", "w").write("0.5\n")
    sys.exit(42)
open(feedback + "judgemessage.txt", "w").write(f"expected {expected}, got {got[:20]!r}\n")
sys.exit(43)
