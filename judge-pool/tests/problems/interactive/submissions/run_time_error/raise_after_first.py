import sys

print("?", 500000000, flush=True)
answer = sys.stdin.readline()
raise ValueError(f"crash after the first answer ({answer.strip()!r})")
