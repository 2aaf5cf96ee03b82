# The default output validator compares tokens case-insensitively (unless the
# problem sets `case_sensitive` in validator_flags, which this one does not),
# so this lower-case variant is ACCEPTED.  Extra whitespace is also ignored.
print("hello   world!")
