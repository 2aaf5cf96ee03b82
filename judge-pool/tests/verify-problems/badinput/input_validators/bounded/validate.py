# Two integers from 0 to the bound given as `--max N`: exit 42 if so, else 43.
import sys

args = sys.argv[1:]
bound = int(args[args.index("--max") + 1]) if "--max" in args else 10**9
try:
    a, b = map(int, sys.stdin.read().split())
except ValueError:
    print("not two integers")
    sys.exit(43)
if not (0 <= a <= bound and 0 <= b <= bound):
    print(f"out of range 0..{bound}: {a} {b}")
    sys.exit(43)
sys.exit(42)
