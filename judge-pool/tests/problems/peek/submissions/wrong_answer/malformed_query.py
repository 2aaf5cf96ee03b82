import sys

# Sends a malformed query; the interactor rejects it (WA) and stops answering,
# so the read below gets end of input and the program dies (ValueError). The
# verdict is WA however the judge happens to see the two sides end.
n = int(sys.stdin.readline())
print("READ 2.5", flush=True)
print("value", int(sys.stdin.readline()))
