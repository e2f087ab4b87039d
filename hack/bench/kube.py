"""A small Kubernetes REST client on the standard library: one keep-alive connection per thread,
server-side apply, list and watch. Enough for the benchmark's own requests, and cheap enough that the
floor client is not slowed by its library."""
import http.client
import json
import re
import ssl
import threading
import time
import urllib.parse

# Where each kind the operator writes lives in the API: (path prefix, plural, namespaced).
KINDS = {
    "Secret": ("/api/v1", "secrets", True),
    "ConfigMap": ("/api/v1", "configmaps", True),
    "Service": ("/api/v1", "services", True),
    "PersistentVolumeClaim": ("/api/v1", "persistentvolumeclaims", True),
    "PersistentVolume": ("/api/v1", "persistentvolumes", False),
    "Namespace": ("/api/v1", "namespaces", False),
    "Deployment": ("/apis/apps/v1", "deployments", True),
    "DaemonSet": ("/apis/apps/v1", "daemonsets", True),
    "PodDisruptionBudget": ("/apis/policy/v1", "poddisruptionbudgets", True),
    "HorizontalPodAutoscaler": ("/apis/autoscaling/v2", "horizontalpodautoscalers", True),
    "Ingress": ("/apis/networking.k8s.io/v1", "ingresses", True),
    "NetworkPolicy": ("/apis/networking.k8s.io/v1", "networkpolicies", True),
    "PriorityClass": ("/apis/scheduling.k8s.io/v1", "priorityclasses", False),
    "CharityCampaign": ("/apis/donations.dev/v1alpha1", "charitycampaigns", True),
}


class ApiError(Exception):
    def __init__(self, status, body, what):
        super().__init__(f"{what}: HTTP {status}: {body[:300]!r}")
        self.status = status


def path_of(kind, namespace=None, name=None):
    prefix, plural, namespaced = KINDS[kind]
    p = prefix
    if namespaced and namespace:
        p += f"/namespaces/{namespace}"
    p += f"/{plural}"
    if name:
        p += f"/{name}"
    return p


class Kube:
    """Requests as one identity: a client certificate or a bearer token."""

    def __init__(self, server, ca, cert=None, key=None, token=None, agent="donation-bench"):
        u = urllib.parse.urlparse(server)
        self.host, self.port = u.hostname, u.port or 443
        self.ctx = ssl.create_default_context(cafile=ca)
        if cert:
            self.ctx.load_cert_chain(cert, key)
        self.headers = {"User-Agent": agent, "Accept": "application/json"}
        if token:
            self.headers["Authorization"] = "Bearer " + token
        self.local = threading.local()

    @classmethod
    def from_kubeconfig(cls, path, agent="donation-bench"):
        """The test bed's kubeconfigs: a server, a CA file, and a certificate and key or a token."""
        text = open(path).read()

        def field(name):
            m = re.search(rf"^\s*{name}:\s*(\S+)\s*$", text, re.M)
            return m.group(1) if m else None

        return cls(field("server"), field("certificate-authority"), field("client-certificate"),
                   field("client-key"), field("token"), agent)

    def _conn(self):
        c = getattr(self.local, "conn", None)
        if c is None:
            c = http.client.HTTPSConnection(self.host, self.port, context=self.ctx, timeout=120)
            self.local.conn = c
        return c

    def request(self, method, path, body=None, content_type="application/json", ok=(200, 201)):
        """JSON in, JSON out; retries a dropped connection, 429 (priority and fairness) and 5xx."""
        data = body if body is None or isinstance(body, bytes) else json.dumps(body).encode()
        headers = dict(self.headers)
        if data is not None:
            headers["Content-Type"] = content_type
        for attempt in range(8):
            c = self._conn()
            try:
                c.request(method, path, body=data, headers=headers)
                r = c.getresponse()
                payload = r.read()
            except (OSError, http.client.HTTPException):
                c.close()
                self.local.conn = None
                time.sleep(0.2 * (attempt + 1))
                continue
            if (r.status == 429 or r.status >= 500) and attempt < 7:
                time.sleep(float(r.getheader("Retry-After") or 0.5))
                continue
            if r.status not in ok:
                raise ApiError(r.status, payload.decode("utf-8", "replace"), f"{method} {path}")
            return r.status, (json.loads(payload) if payload else None)
        raise ApiError(0, b"", f"{method} {path}: no answer")

    def get(self, path):
        return self.request("GET", path)[1]

    def create(self, kind, obj, ok=(200, 201, 409)):
        ns = obj["metadata"].get("namespace")
        return self.request("POST", path_of(kind, ns), obj, ok=ok)[0]

    def apply(self, obj, manager):
        """Server-side apply, as the operator writes its objects."""
        md = obj["metadata"]
        p = path_of(obj["kind"], md.get("namespace"), md["name"]) + f"?fieldManager={manager}&force=true"
        return self.request("PATCH", p, obj, content_type="application/apply-patch+yaml")[1]

    def list(self, path, **params):
        q = urllib.parse.urlencode(params)
        return self.get(path + ("?" + q if q else ""))

    def watch(self, path, on_event, params=None):
        """Starts a thread that lists, then watches from that list's resourceVersion, calling
        on_event(type, object, when) for each listed item (as ADDED) and each event; re-lists when the
        watch ends. Returns the Watch; stop() ends it."""
        w = Watch(self, path, on_event, params or {})
        w.thread.start()
        return w


class Watch:
    def __init__(self, kube, path, on_event, params):
        self.kube, self.path, self.on_event, self.params = kube, path, on_event, params
        self.stopped = threading.Event()
        self.listed = threading.Event()
        self.conn = None
        self.thread = threading.Thread(target=self._run, daemon=True)

    def stop(self):
        self.stopped.set()
        c = self.conn
        if c is not None and c.sock is not None:
            try:
                c.sock.shutdown(2)
            except OSError:
                pass

    def _run(self):
        k = self.kube
        while not self.stopped.is_set():
            try:
                listed = k.list(self.path, **self.params)
            except ApiError:
                time.sleep(1)
                continue
            now = time.time()
            for item in listed.get("items", []):
                self.on_event("ADDED", item, now)
            self.listed.set()
            q = urllib.parse.urlencode({**self.params, "watch": "1", "allowWatchBookmarks": "true",
                                        "resourceVersion": listed["metadata"]["resourceVersion"],
                                        "timeoutSeconds": "1800"})
            self.conn = c = http.client.HTTPSConnection(k.host, k.port, context=k.ctx)
            try:
                c.request("GET", f"{self.path}?{q}", headers=k.headers)
                r = c.getresponse()
                if r.status != 200:
                    r.read()
                    continue
                while not self.stopped.is_set():
                    line = r.readline()
                    if not line:
                        break
                    e = json.loads(line)
                    if e["type"] == "ERROR":
                        break
                    if e["type"] != "BOOKMARK":
                        self.on_event(e["type"], e["object"], time.time())
            except (OSError, http.client.HTTPException, ValueError):
                pass
            finally:
                c.close()
