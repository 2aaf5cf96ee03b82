n = input()
print("half" if int(n) % 2 == 0 else n)
