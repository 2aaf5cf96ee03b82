import sys
data = sys.stdin.read().split()
print("sum:", sum(map(int, data[1:])))
