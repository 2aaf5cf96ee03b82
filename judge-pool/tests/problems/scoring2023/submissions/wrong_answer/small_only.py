n = input()
print(n if int(n) < 4 else "wrong")
