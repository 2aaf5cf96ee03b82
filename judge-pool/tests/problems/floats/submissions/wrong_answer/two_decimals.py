a, b = map(float, input().split())
# Only two decimals: 1/3 -> 0.33, off by 3.3e-3 (absolute and relative error > 1e-6)
print(f"{a / b:.2f}")
