#!/usr/bin/env python3
"""Sign-in bursts against a fresh `codehub serve`: registers 20 users, then signs them
all in at once, three times, printing the server's RSS after each burst (argon2 takes
19 MiB per hash; docs/benchmarks.md, the soak). Usage: signin-burst.py PATH/TO/codehub"""
import json, subprocess, sys, threading, time, urllib.request, tempfile, os, re
binary = sys.argv[1]
d = tempfile.mkdtemp()
p = subprocess.Popen([binary, "serve", "--listen", "127.0.0.1:0", "--data-dir", d, "--rate-burst", "1000"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=dict(os.environ, RUST_LOG="warn"))
base = None
for line in p.stdout:
    m = re.match(r"codehub: listening on (\S+)", line)
    if m:
        base = m.group(1); break
def post(path, body):
    req = urllib.request.Request(base + path, data=json.dumps(body).encode(), headers={"content-type": "application/json"})
    return json.load(urllib.request.urlopen(req, timeout=120))
def rss():
    for l in open(f"/proc/{p.pid}/status"):
        if l.startswith("VmRSS"): return int(l.split()[1])
N = 20
for i in range(N):
    post("/api/auth/register", {"username": f"user{i}", "password": "load test password"})
time.sleep(1)
before = rss()
for rnd in range(3):
    ts = [threading.Thread(target=post, args=("/api/auth/login", {"username": f"user{i}", "password": "load test password"})) for i in range(N)]
    t0 = time.time()
    [t.start() for t in ts]; [t.join() for t in ts]
    print(f"round {rnd}: {N} logins in {time.time()-t0:.2f}s, RSS {rss()} KiB (before {before})")
p.kill()
