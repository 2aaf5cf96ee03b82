if __name__ == "__main__":
    print(int(input()) // 2)
