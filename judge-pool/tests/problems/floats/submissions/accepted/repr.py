a, b = map(float, input().split())
# print() uses repr(): shortest round-trip form, e.g. 1e-24 or 1.2345678901234568e+17
print(a / b)
