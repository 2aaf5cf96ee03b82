x = 0
while True:
    x += 1
print("Hello World!")
