import sys

# Forgets to flush: the query sits in our 1 MiB buffer (independent of
# PYTHONUNBUFFERED) while we block reading the answer, and the interactor
# blocks waiting for the query: deadlock until the wall-clock limit.
# sys.stdin.readline() is used because input() would flush sys.stdout.
out = open(1, "w", buffering=1 << 20, closefd=False)
lo, hi = 1, 10**9
while lo <= hi:
    mid = (lo + hi) // 2
    out.write(f"? {mid}\n")
    r = sys.stdin.readline().strip()
    if r == "=" or not r:
        break
    if r == "<":
        hi = mid - 1
    else:
        lo = mid + 1
