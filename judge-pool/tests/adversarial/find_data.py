# find_data.py -- CONTAINMENT: walks the whole visible filesystem looking for
# the judge's test data: files ending in ".ans", files named "problem.yaml",
# directories named "secret" that contain ".in" files, and (small, non-system)
# files containing the canary string.  The sandbox must expose nothing but the
# system trees, the work dir and /tmp.  /proc and /sys are skipped.
# Bounded: at most 200000 entries, ~0.6 s of CPU and 2 s of wall time (a loaded
# machine: the CI runs other sandboxes beside it), non-system trees first, so it
# fits the limits of `hello`.  (An optional argv[1] root is only for
# testing this script outside the sandbox.)  Prints only paths, never content.
# Expected: AC (Hello World! = nothing found).
import os
import sys
import time

ROOT = sys.argv[1] if len(sys.argv) > 1 else "/"
# Built at run time (not a foldable constant), so neither this file nor its compiled
# bytecode (the judge byte-compiles Python) contains the needle verbatim.
NEEDLE = "_".join(["CODEHUB", "CANARY"]).encode()
SKIP = {"/proc", "/sys"}
SYSTEM = ("/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32")
MAX_ENTRIES = 200_000
CPU_BUDGET = 0.6            # seconds of CPU for the walk
WALL_BUDGET = 2.0           # seconds of wall time for the walk
MAX_SCAN_FILE = 1 << 20     # only content-scan files up to 1 MiB
MAX_SCAN_TOTAL = 64 << 20   # and at most 64 MiB in total

found = []
entries = 0
scanned = 0


def is_system(path):
    return any(path == s or path.startswith(s + "/") for s in SYSTEM)


def scan_content(path, size):
    global scanned
    if size > MAX_SCAN_FILE or scanned + size > MAX_SCAN_TOTAL:
        return False
    try:
        with open(path, "rb") as f:
            data = f.read(MAX_SCAN_FILE)
    except OSError:
        return False
    scanned += len(data)
    return NEEDLE in data


def top_order(name):
    # non-system directories first, system trees (huge, boring) last
    return (is_system("/" + name), name)


def walk():
    global entries
    start = time.process_time()
    wall_start = time.monotonic()
    stack = [ROOT]
    first = True
    while stack:
        d = stack.pop()
        if d in SKIP:
            continue
        try:
            with os.scandir(d) as it:
                ents = list(it)
        except OSError:
            continue
        if first and ROOT == "/":
            ents.sort(key=lambda e: top_order(e.name), reverse=True)  # stack: pop from end
        first = False
        has_in = False
        for e in ents:
            entries += 1
            if (
                entries > MAX_ENTRIES
                or time.process_time() - start > CPU_BUDGET
                or time.monotonic() - wall_start > WALL_BUDGET
            ):
                print(f"note: budget exhausted after {entries} entries", file=sys.stderr)
                return
            name = e.name
            if name.endswith(".ans") or name == "problem.yaml":
                found.append(e.path)
            if name.endswith(".in"):
                has_in = True
            try:
                if e.is_dir(follow_symlinks=False):
                    stack.append(e.path)
                elif e.is_file(follow_symlinks=False) and not is_system(e.path):
                    if scan_content(e.path, e.stat(follow_symlinks=False).st_size):
                        found.append(e.path + " (canary)")
            except OSError:
                pass
        if has_in and os.path.basename(d) == "secret":
            found.append(d + " (secret/*.in)")


walk()
if found:
    for p in found[:20]:
        print("ESCAPED: found", p)
else:
    print("Hello World!")
