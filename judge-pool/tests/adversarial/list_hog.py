# list_hog.py -- RESOURCE: appends 64 MiB strings (really written, not lazily
# zero-mapped) to a list forever.  The sandbox must enforce the memory limit.
# Expected: MLE.
hog = []
while True:
    hog.append(b"\x01" * (64 << 20))
