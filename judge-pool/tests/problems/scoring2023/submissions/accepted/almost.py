n = input()
print(n if n == "1" else "almost")
