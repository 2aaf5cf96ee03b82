n = input()
if int(n) >= 5:
    raise SystemExit(1)
print(n)
