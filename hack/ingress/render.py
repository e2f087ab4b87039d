#!/usr/bin/env python3
"""Renders an nginx configuration from the Ingress objects of a cluster, with ingress-nginx's meaning of
the two annotations the operator writes: `nginx.ingress.kubernetes.io/default-backend` (a Service in the
Ingress's namespace that answers when the backend has no endpoint) and
`nginx.ingress.kubernetes.io/custom-http-errors` (status codes of the backend that the default backend
answers instead). It stands in for ingress-nginx on the test bed's real node; Services are reached on
their ClusterIP through kube-proxy, as from any host of the cluster.

    render.py INGRESSES.json SERVICES.json LISTEN_PORT > nginx.conf

INGRESSES.json and SERVICES.json are `kubectl get ingress,service -A -o json` outputs (one list each).
Standard library only.
"""
import json
import sys

DEFAULT_BACKEND = "nginx.ingress.kubernetes.io/default-backend"
CUSTOM_ERRORS = "nginx.ingress.kubernetes.io/custom-http-errors"


def service_address(services, namespace, name, port=None):
    for s in services:
        if s["metadata"]["namespace"] == namespace and s["metadata"]["name"] == name:
            ip = s["spec"].get("clusterIP")
            ports = s["spec"].get("ports", [])
            if not ip or ip == "None" or not ports:
                return None
            if port is None:
                port = ports[0]["port"]
            return f"{ip}:{port}"
    return None


def render(ingresses, services, listen):
    out = [
        "worker_processes 2;",
        "pid /tmp/donation-ingress-standin.pid;",  # replaced by the caller's state dir
        "error_log stderr warn;",
        "events { worker_connections 4096; }",
        "http {",
        "  access_log off;",
        "  proxy_connect_timeout 2s;",
        "  proxy_read_timeout 30s;",
        "  proxy_http_version 1.1;",
        "  proxy_set_header Connection \"\";",
        f"  server {{ listen 127.0.0.1:{listen} default_server; return 404; }}",
    ]
    for ing in ingresses:
        meta = ing["metadata"]
        ns = meta["namespace"]
        annotations = meta.get("annotations") or {}
        fallback = annotations.get(DEFAULT_BACKEND)
        fallback_addr = service_address(services, ns, fallback) if fallback else None
        errors = [c.strip() for c in annotations.get(CUSTOM_ERRORS, "").split(",") if c.strip()]
        for rule in ing["spec"].get("rules", []):
            host = rule.get("host")
            if not host:
                continue
            out.append("  server {")
            out.append(f"    listen 127.0.0.1:{listen};")
            out.append(f"    server_name {host};")
            for path in rule.get("http", {}).get("paths", []):
                svc = path["backend"]["service"]
                addr = service_address(services, ns, svc["name"], svc.get("port", {}).get("number"))
                location = path.get("path", "/")
                out.append(f"    location {location} {{")
                if addr:
                    out.append(f"      proxy_pass http://{addr};")
                    out.append("      proxy_set_header Host $host;")
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
                out.append("      proxy_intercept_errors off;")
                out.append("    }")
            out.append("  }")
    out.append("}")
    return "\n".join(out) + "\n"


def main():
    ingresses = json.load(open(sys.argv[1]))["items"]
    services = json.load(open(sys.argv[2]))["items"]
    sys.stdout.write(render(ingresses, services, int(sys.argv[3])))


if __name__ == "__main__":
    main()
