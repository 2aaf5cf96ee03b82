# Wrong for even n: prints a == b.
n = int(input())
print(n // 2, n - n // 2)
