a, b = map(float, input().split())
# b"x" * n allocates and writes n bytes, so the memory is really touched.
chunks = []
while True:
    chunks.append(b"x" * (1 << 20))
print(a / b)
