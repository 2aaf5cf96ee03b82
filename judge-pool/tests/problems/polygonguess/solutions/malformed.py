# Asks malformed queries: the interactor rejects it at once.
n = int(input())
print("! 1", flush=True)
