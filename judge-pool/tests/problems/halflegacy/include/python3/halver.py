"""Included with every Python submission (include/python3/)."""


def half(n):
    return n / 2
