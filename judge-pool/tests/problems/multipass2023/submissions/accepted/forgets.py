# Every pass is a fresh run: a file left by an earlier pass must be gone.
import os

k, v = map(int, input().split())
seen = False
for memo in ("memo.txt", "/tmp/memo.txt"):
    seen = seen or os.path.exists(memo)
    try:
        with open(memo, "w") as f:
            f.write(str(k))
    except OSError:
        pass
print(v if seen else v + 1)
