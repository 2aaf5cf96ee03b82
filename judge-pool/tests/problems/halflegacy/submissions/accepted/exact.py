import halver

if __name__ == "__main__":
    print(halver.half(int(input())))
