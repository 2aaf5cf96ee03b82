#!/usr/bin/env python3
"""Generates the test data of "Big Sum" (deterministic).

Run from the problem directory:  python3 generators/gen.py
Writes data/sample/*.in|ans and data/secret/group{1,2}/*.in|ans.
"""
import os
import random

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, "..", "data")
INT32_MIN, INT32_MAX = -(2**31), 2**31 - 1


def write(name, values, group_max=None):
    n = len(values)
    assert 1 <= n <= 200000
    assert all(-10**9 <= v <= 10**9 for v in values)
    if group_max is not None:
        assert all(abs(v) <= group_max for v in values)
    path = os.path.join(DATA, name)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path + ".in", "w") as f:
        f.write(f"{n}\n{' '.join(map(str, values))}\n")
    with open(path + ".ans", "w") as f:
        f.write(f"{sum(values)}\n")
    return sum(values)


def main():
    rng = random.Random(20240501)

    write("sample/1", [1, 2, 3, 4, 5])

    # Group 1: n <= 10, |a_i| <= 10^8, so every sum fits in 32 bits.
    write("secret/group1/01", [7], 10**8)
    write("secret/group1/02", [10**8] * 10, 10**8)
    write("secret/group1/03", [-5, 3, -10**8, 0, 42, 99999999, -10**8, 17], 10**8)

    # Group 2: the big one (a quadratic solution times out here); its sum
    # fits in 32 bits, small values keep the file small (~400 KB).
    write("secret/group2/01", [rng.randint(0, 9) for _ in range(200000)])

    # Sum far below -2^31.
    v = [rng.randint(-10**9, 10**8) for _ in range(1000)]
    s = write("secret/group2/02", v)
    assert s < INT32_MIN

    # n = 2*10^5 with a few huge values: sum above 2^31 (~600 KB).
    v = [rng.randint(-99, 99) for _ in range(200000)]
    for i in rng.sample(range(200000), 5):
        v[i] = 10**9
    s = write("secret/group2/03", v)
    assert s > INT32_MAX


if __name__ == "__main__":
    main()
