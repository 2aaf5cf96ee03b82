k, v = map(int, input().split())
print(v + 1 if k == 1 else v, flush=True)
