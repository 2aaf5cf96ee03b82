import halver

if __name__ == "__main__":
    n = int(input())
    if n == 10:
        raise SystemExit(3)
    print(halver.half(n))
