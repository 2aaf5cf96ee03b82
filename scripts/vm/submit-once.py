"""The README's path, end to end, against a running `codehub serve` on 127.0.0.1:PORT:
register a user, submit the README's Python answer to the demo contest, wait for the
verdict. Exit 0 on AC. Used inside the cgroup v2 VM by scripts/vm/test-cgroup-v2."""
import json
import sys
import time
import urllib.request

base = f"http://127.0.0.1:{sys.argv[1]}"


def call(method, path, body=None, token=None):
    headers = {"content-type": "application/json"}
    if token:
        headers["authorization"] = f"Bearer {token}"
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(base + path, data=data, method=method, headers=headers)
    with urllib.request.urlopen(req, timeout=30) as r:
        return json.load(r)


for _ in range(180):
    try:
        urllib.request.urlopen(base + "/healthz", timeout=2)
        break
    except Exception:
        time.sleep(1)
else:
    sys.exit("the server did not come up")
token = call("POST", "/api/auth/register", {"username": "alice", "password": "correct horse"})[
    "access_token"
]
answer = "print(sum(map(int,input().split())))"
sub = call(
    "POST",
    "/api/submissions",
    {"contest_id": 1, "problem_id": 2, "files": [{"name": "a.py", "contents": answer}]},
    token,
)
for _ in range(300):
    s = call("GET", f"/api/submissions/{sub['id']}", token=token)
    if s.get("verdict"):
        print(f"submission {sub['id']}: {s['verdict']}")
        sys.exit(0 if s["verdict"] == "AC" else 1)
    time.sleep(1)
sys.exit("no verdict in 300 s")
