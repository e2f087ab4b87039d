#!/usr/bin/env python3
"""Renders an nginx configuration from the Ingress objects of a cluster, with ingress-nginx's meaning of
the two annotations the operator writes: `nginx.ingress.kubernetes.io/default-backend` (a Service in the
Ingress's namespace that answers when the backend has no endpoint) and
`nginx.ingress.kubernetes.io/custom-http-errors` (status codes of the backend that the default backend
answers instead). It stands in for ingress-nginx on the test bed's real nodes and, as ingress-nginx does,
sends requests straight to the Service's ready endpoints (from its EndpointSlices), passing a request
whose connection failed or timed out to the next endpoint (`proxy_next_upstream error timeout`, up to 3
tries, with ingress-nginx's 5 s connect time-out): a request that never reached a pod (one on a dead node)
goes to another pod, for POSTs too, since nginx retries a non-idempotent request only when it was not
sent. A Service without a ready endpoint answers 503, which the default backend then answers.

    render.py INGRESSES.json SERVICES.json ENDPOINTSLICES.json LISTEN_PORT > nginx.conf

The JSON files are `kubectl get ingress|service|endpointslice -A -o json` outputs (one list each).
Standard library only.
"""
import json
import sys

DEFAULT_BACKEND = "nginx.ingress.kubernetes.io/default-backend"
# ingress-nginx's per-Ingress proxy settings that the stand-in honours: annotation -> nginx directive.
PROXY_ANNOTATIONS = {
    "nginx.ingress.kubernetes.io/proxy-connect-timeout": ("proxy_connect_timeout", "s"),
    "nginx.ingress.kubernetes.io/proxy-next-upstream": ("proxy_next_upstream", ""),
    "nginx.ingress.kubernetes.io/proxy-next-upstream-tries": ("proxy_next_upstream_tries", ""),
    "nginx.ingress.kubernetes.io/proxy-next-upstream-timeout": ("proxy_next_upstream_timeout", "s"),
}
CUSTOM_ERRORS = "nginx.ingress.kubernetes.io/custom-http-errors"


def service_port(services, namespace, name, port=None):
    """The Service's port (the first one when not named by number) and its targetPort, or None."""
    for s in services:
        if s["metadata"]["namespace"] == namespace and s["metadata"]["name"] == name:
            for p in s["spec"].get("ports", []):
                if port is None or p["port"] == port:
                    return p
    return None


def ready_endpoints(slices, namespace, name, service_port_spec):
    """ip:port of every ready endpoint of the Service (ready unset counts as ready, as the API says)."""
    out = []
    for sl in slices:
        meta = sl["metadata"]
        if meta["namespace"] != namespace or (meta.get("labels") or {}).get("kubernetes.io/service-name") != name:
            continue
        port = None
        for p in sl.get("ports") or []:
            if p.get("name", "") == service_port_spec.get("name", "") or len(sl.get("ports") or []) == 1:
                port = p.get("port")
        if port is None:
            continue
        for e in sl.get("endpoints") or []:
            if (e.get("conditions") or {}).get("ready", True) is False:
                continue
            out.extend(f"{a}:{port}" for a in e.get("addresses", []))
    return sorted(set(out))


def upstream(ups, upstreams, slices, services, namespace, name, port=None):
    """The upstream block's name for the Service's ready endpoints, or None when it has none."""
    spec = service_port(services, namespace, name, port)
    if spec is None:
        return None
    servers = ready_endpoints(slices, namespace, name, spec)
    if not servers:
        return None
    key = f"{namespace}_{name}_{spec['port']}".replace("-", "_").replace(".", "_")
    if key not in upstreams:
        upstreams.add(key)
        ups.append(f"  upstream {key} {{")
        ups.extend(f"    server {addr} max_fails=0;" for addr in servers)
        ups.append("  }")
    return key


def render(ingresses, services, slices, listen):
    upstreams, ups = set(), []
    head = [
        "worker_processes 2;",
        "pid /tmp/donation-ingress-standin.pid;",  # replaced by the caller's state dir
        "error_log stderr warn;",
        "events { worker_connections 4096; }",
        "http {",
        "  access_log off;",
        "  proxy_connect_timeout 5s;",
        "  proxy_read_timeout 60s;",
        "  proxy_next_upstream error timeout;",
        "  proxy_next_upstream_tries 3;",
        "  proxy_http_version 1.1;",
        "  proxy_set_header Connection \"\";",
        f"  server {{ listen 127.0.0.1:{listen} default_server; return 404; }}",
    ]
    out = []
    for ing in ingresses:
        meta = ing["metadata"]
        ns = meta["namespace"]
        annotations = meta.get("annotations") or {}
        fallback = annotations.get(DEFAULT_BACKEND)
        fallback_addr = upstream(ups, upstreams, slices, services, ns, fallback) if fallback else None
        errors = [c.strip() for c in annotations.get(CUSTOM_ERRORS, "").split(",") if c.strip()]
        proxy = [f"      {d} {annotations[a]}{unit};" for a, (d, unit) in PROXY_ANNOTATIONS.items() if a in annotations]
        for rule in ing["spec"].get("rules", []):
            host = rule.get("host")
            if not host:
                continue
            out.append("  server {")
            out.append(f"    listen 127.0.0.1:{listen};")
            out.append(f"    server_name {host};")
            for path in rule.get("http", {}).get("paths", []):
                svc = path["backend"]["service"]
                addr = upstream(ups, upstreams, slices, services, ns, svc["name"], svc.get("port", {}).get("number"))
                location = path.get("path", "/")
                out.append(f"    location {location} {{")
                if addr:
                    out.append(f"      proxy_pass http://{addr};")
                    out.append("      proxy_set_header Host $host;")
                    out.extend(proxy)
                else:
                    out.append("      return 503;")
                if fallback_addr:
                    # ingress-nginx: the default backend answers the listed codes, and any failure to
                    # reach the backend (no endpoint: 503, refused or timed out: 502/504).
                    codes = sorted(set(errors) | {"502", "503", "504"})
                    out.append("      proxy_intercept_errors on;")
                    out.append(f"      error_page {' '.join(codes)} = @fallback;")
                out.append("    }")
            if fallback_addr:
                out.append("    location @fallback {")
                out.append(f"      proxy_pass http://{fallback_addr};")
                out.append("      proxy_set_header Host $host;")
                out.extend(proxy)
                out.append("      proxy_intercept_errors off;")
                out.append("    }")
            out.append("  }")
    return "\n".join(head + ups + out + ["}"]) + "\n"


def main():
    ingresses = json.load(open(sys.argv[1]))["items"]
    services = json.load(open(sys.argv[2]))["items"]
    slices = json.load(open(sys.argv[3]))["items"]
    sys.stdout.write(render(ingresses, services, slices, int(sys.argv[4])))


if __name__ == "__main__":
    main()
