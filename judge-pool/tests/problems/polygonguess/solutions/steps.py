# Steps of 100, then bisects: finds every number within 20 queries (the interactor is
# content) but needs more than 10 for some (the checker is not).
n = int(input())
lo, hi = 1, n
for y in range(100, n + 1, 100):
    print("?", y, flush=True)
    r = input()
    if r == "=":
        raise SystemExit
    if r == "<":
        hi = y - 1
        break
    lo = y + 1
while True:
    mid = (lo + hi) // 2
    print("?", mid, flush=True)
    r = input()
    if r == "=":
        break
    if r == ">":
        lo = mid + 1
    else:
        hi = mid - 1
