n = input()
print("wrong" if n == "1" else n)
