# network.py -- CONTAINMENT: Python variant of network_socket.c.  Only
# loopback is contacted: TCP 127.0.0.1:39872 (the test listens there and fails
# if anything connects), TCP [::1]:39872, UDP 127.0.0.1:39872 (UDP success is
# not proof of an escape; reported on stderr only).  No DNS lookups.
# Expected: AC (Hello World! = no connection succeeded).
import socket
import sys

PORT = 39872
escaped = False

for family, addr in ((socket.AF_INET, "127.0.0.1"), (socket.AF_INET6, "::1")):
    try:
        with socket.socket(family, socket.SOCK_STREAM) as s:
            s.settimeout(2)
            s.connect((addr, PORT))
            print(f"ESCAPED: TCP connect to {addr} succeeded")
            escaped = True
    except OSError:
        pass

try:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.sendto(b"codehub-adv", ("127.0.0.1", PORT))
        print("note: UDP sendto 127.0.0.1 accepted (not counted)", file=sys.stderr)
except OSError:
    pass

if not escaped:
    print("Hello World!")
