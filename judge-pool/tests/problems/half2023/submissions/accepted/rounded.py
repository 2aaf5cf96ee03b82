import halver

if __name__ == "__main__":
    print(f"{halver.half(int(input())):.7f}")
