#!/usr/bin/env python3
"""Measures how long a proxy on 127.0.0.1 takes to follow an HTTPRoute change: patches the first rule's
backendRefs to SERVICE, then asks the proxy every 5 ms (at most 60 s) until an answer comes from it, and
prints the time from the patch (kubectl's return) to the first such answer, with the status codes seen.

    switch-latency.py PORT HOST NAMESPACE ROUTE SERVICE EXPECT [RUNS]

EXPECT is what identifies the new backend: a status code (e.g. 503) or a prefix of the body (e.g. green).
With RUNS > 1 it switches back and forth between SERVICE and the route's current backend. Needs kubectl on
PATH and KUBECONFIG (eval "$(hack/local-cluster.sh env)"). Standard library only.
"""
import json
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request


def ask(port, host):
    req = urllib.request.Request(f"http://127.0.0.1:{port}/", headers={"Host": host})
    try:
        with urllib.request.urlopen(req, timeout=2) as r:
            return r.status, r.read().decode(errors="replace")
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode(errors="replace")
    except OSError as e:
        return 0, str(e)


def matches(answer, expect):
    status, body = answer
    return str(status) == expect if expect.isdigit() else body.startswith(expect)


def backend(ns, route):
    out = subprocess.run(["kubectl", "-n", ns, "get", "httproute", route, "-o", "json"], check=True,
                         capture_output=True, text=True).stdout
    return json.loads(out)["spec"]["rules"][0]["backendRefs"][0]["name"]


def switch(port, host, ns, route, service, expect):
    patch = json.dumps([{"op": "replace", "path": "/spec/rules/0/backendRefs",
                         "value": [{"name": service, "port": 80}]}])
    subprocess.run(["kubectl", "-n", ns, "patch", "httproute", route, "--type", "json", "-p", patch],
                   check=True, capture_output=True)
    t0 = time.monotonic()
    seen = {}
    while time.monotonic() - t0 < 60:
        answer = ask(port, host)
        seen[answer[0]] = seen.get(answer[0], 0) + 1
        if matches(answer, expect):
            return time.monotonic() - t0, answer, seen
        time.sleep(0.005)
    return None, None, seen


def main():
    port, host, ns, route, service, expect = sys.argv[1:7]
    runs = int(sys.argv[7]) if len(sys.argv) > 7 else 1
    before = backend(ns, route)
    before_expect = ask(port, host)
    for i in range(runs):
        if i % 2 == 0:
            target, want = service, expect
        else:
            target, want = before, (before_expect[1].split()[0] if before_expect[1] else str(before_expect[0]))
        took, answer, seen = switch(port, host, ns, route, target, want)
        if took is None:
            print(f"switch to {target}: no answer matching {want!r} within 60 s; statuses seen {seen}")
            sys.exit(1)
        print(f"switch to {target}: {took * 1000:.0f} ms until {answer[0]} {answer[1].strip()[:40]!r}; "
              f"statuses seen meanwhile {seen}")
        time.sleep(float(os.environ.get("SWITCH_PAUSE", "3")))  # past Traefik's default throttle (2 s)


if __name__ == "__main__":
    main()
