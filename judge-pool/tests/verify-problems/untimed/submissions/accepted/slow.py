# Spends about 0.2 s of CPU per test: the slowest accepted submission.
import time

a, b = map(int, input().split())
end = time.process_time() + 0.2
while time.process_time() < end:
    pass
print(a + b)
