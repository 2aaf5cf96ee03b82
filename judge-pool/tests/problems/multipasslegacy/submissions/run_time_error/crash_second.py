k, v = map(int, input().split())
if k == 2:
    raise SystemExit(1)
print(v + 1)
