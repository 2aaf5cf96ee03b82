import sys

# Writes about 100 MiB, far more than the 8 MiB output limit.
line = "Hello World! " * 80 + "\n"
chunk = line * 1000
for _ in range(100 * 1024 * 1024 // len(chunk) + 1):
    sys.stdout.write(chunk)
