import sys
data = sys.stdin.read().split()
total = 0
for x in data[1:]:
    total += int(x)
print(total)
