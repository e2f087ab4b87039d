"""The benchmark's campaigns: their manifests, creating them all at once, watching them become Ready,
and the operator's objects of one converged campaign, dumped as the floor client's template."""
import base64
import copy
import hashlib
import re
import threading
import time
from concurrent.futures import ThreadPoolExecutor

from .cluster import OPERATOR_NAMESPACE
from .kube import KINDS, path_of

# samples/local/charitycampaign.yaml with one site pod instead of two (minReplicas 1, maxReplicas 2):
# 3 kwok pods a campaign (1 site, 2 fallback), so 1000 campaigns stay within what 3 kwok nodes, the
# scheduler and the controller manager handle on 2 cores. Everything else the operator makes is the same.
MIN_REPLICAS, MAX_REPLICAS = 1, 2


def namespace_of(i, namespaces):
    return f"bench-{i % namespaces:02d}"


def name_of(i):
    return f"c{i:04d}"


def host_of(ns, name):
    return f"{name}.{ns}.bench.local"


def manifest(i, namespaces):
    ns, name = namespace_of(i, namespaces), name_of(i)
    return {
        "apiVersion": "donations.dev/v1alpha1", "kind": "CharityCampaign",
        "metadata": {"name": name, "namespace": ns},
        "spec": {
            "className": "local",
            "site": {"host": host_of(ns, name)},
            "scaling": {"minReplicas": MIN_REPLICAS, "maxReplicas": MAX_REPLICAS, "workersPerPod": 10},
            "database": {"storageGiB": 20},
            "fallback": {
                "title": "Song requests are very popular right now",
                "message": "Our donation site is taking a breather. Your song request is safe with us - please try again in a minute.",
                "donateInstructions": "Or text SONG to 4333 to donate 5 euros.",
            },
        },
    }


def create_all(kube, n, namespaces, threads):
    """Creates the N campaigns with `threads` requests in flight; returns {key: time the create returned}."""
    created = {}

    def one(i):
        m = manifest(i, namespaces)
        kube.create("CharityCampaign", m, ok=(201,))
        created[f"{m['metadata']['namespace']}/{m['metadata']['name']}"] = time.time()

    with ThreadPoolExecutor(threads) as pool:
        list(pool.map(one, range(n)))
    return created


class ReadyWatch:
    """Every campaign's first status (observedGeneration) and first Ready=True, as seen from outside
    through a watch, and how often a Ready campaign stopped being Ready."""

    def __init__(self, kube):
        self.lock = threading.Lock()
        self.first_status, self.ready, self.now_ready = {}, {}, set()
        self.lost = 0
        self.changed = threading.Condition(self.lock)
        self.watch = kube.watch(path_of("CharityCampaign"), self.on_event)
        self.watch.listed.wait(30)

    def on_event(self, kind, obj, when):
        key = f"{obj['metadata']['namespace']}/{obj['metadata']['name']}"
        status = obj.get("status") or {}
        ready = any(c.get("type") == "Ready" and c.get("status") == "True" for c in status.get("conditions", []))
        with self.lock:
            if status.get("observedGeneration") is not None:
                self.first_status.setdefault(key, when)
            if ready:
                self.ready.setdefault(key, when)
                self.now_ready.add(key)
            elif key in self.now_ready:
                self.now_ready.discard(key)
                self.lost += 1
            self.changed.notify_all()

    def wait_ready(self, n, timeout, progress=None):
        deadline = time.time() + timeout
        with self.lock:
            while len(self.ready) < n:
                left = deadline - time.time()
                if left <= 0:
                    return False
                self.changed.wait(min(left, 10))
                if progress:
                    progress(len(self.ready))
        return True

    def stop(self):
        self.watch.stop()


# --- the template: the operator's objects of one converged campaign ---

DUMPED = ["Secret", "ConfigMap", "PersistentVolume", "PersistentVolumeClaim", "Service", "Deployment",
          "PodDisruptionBudget", "HorizontalPodAutoscaler", "Ingress", "NetworkPolicy"]
SHARED = ["PriorityClass", "DaemonSet"]  # one per cluster (or per image), not per campaign
DROP_ANNOTATIONS = re.compile(r"^(deployment\.kubernetes\.io/|deprecated\.daemonset\.|pv\.kubernetes\.io/|"
                              r"kubectl\.kubernetes\.io/|volume\.kubernetes\.io/)")


def clean(obj):
    """The object as a client would write it: no status, no server-set metadata, no allocated IPs."""
    o = copy.deepcopy(obj)
    o.pop("status", None)
    md = o["metadata"]
    keep = {k: md[k] for k in ("name", "namespace", "labels", "annotations") if k in md}
    if "annotations" in keep:
        keep["annotations"] = {k: v for k, v in keep["annotations"].items() if not DROP_ANNOTATIONS.match(k)}
    o["metadata"] = keep
    spec = o.get("spec", {})
    if o["kind"] == "Service":
        for k in ("clusterIP", "clusterIPs"):
            spec.pop(k, None)
    if o["kind"] == "PersistentVolume" and "claimRef" in spec:
        spec["claimRef"] = {k: spec["claimRef"][k] for k in ("apiVersion", "kind", "name", "namespace")}
    return o


def dump_template(kube, campaign):
    """The operator's objects of one converged campaign, cleaned, plus the facts the floor needs to
    rename them for another campaign."""
    md, status = campaign["metadata"], campaign["status"]
    ns, name = md["namespace"], md["name"]
    selector = f"app.kubernetes.io/managed-by=donation-operator,app.kubernetes.io/instance={name}"
    objects = []
    for kind in DUMPED:
        kobj = kind
        items = kube.list(path_of(kind, None if not KINDS[kind][2] else ns), labelSelector=selector)["items"]
        for it in items:
            it.setdefault("kind", kobj)
            it.setdefault("apiVersion", api_version(kind))
            objects.append(clean(it))
    shared = []
    for kind in SHARED:
        p = path_of(kind, OPERATOR_NAMESPACE if KINDS[kind][2] else None)
        for it in kube.list(p, labelSelector="app.kubernetes.io/managed-by=donation-operator")["items"]:
            it.setdefault("kind", kind)
            it.setdefault("apiVersion", api_version(kind))
            shared.append(clean(it))
    return {
        "namespace": ns, "name": name, "uid": md["uid"], "host": campaign["spec"]["site"]["host"],
        "database": status["database"]["identifier"], "bucket": status["fallbackBucket"],
        "fileSystemId": status["storage"]["fileSystemId"], "accessPointId": status["storage"]["accessPointId"],
        "maxConnections": status["connectionBudget"]["configuredMaxConnections"],
        "objects": objects, "shared": shared,
    }


def api_version(kind):
    prefix = KINDS[kind][0]
    return "v1" if prefix == "/api/v1" else prefix[len("/apis/"):]


# --- names, as CampaignNames computes them ---

def short_hash(value, n):
    return hashlib.sha256(value.encode()).hexdigest()[:n]


def sanitize(s):
    return re.sub(r"-{2,}", "-", re.sub(r"[^a-z0-9]+", "-", s.lower()))


def names(ns, name, uid, bucket_prefix="donation-local"):
    suffix = "-" + short_hash(uid, 8)
    base = sanitize(f"dc-{ns}-{name}")
    return {
        "database": base[: 63 - len(suffix)].strip("-") + suffix,
        "volume": "donation-" + short_hash(f"{ns}/{name}/{uid}", 16),
        "bucket": (bucket_prefix + "-" + short_hash(uid, 16))[:63],
        "fileSystemToken": "donation-" + uid,
        "accessPointToken": "donation-ap-" + uid,
        "uploads": f"/campaigns/{ns}/{name}",
    }


def renamer(template, ns, name, uid, fs_id, ap_id):
    """Rewrites the template's objects for another campaign: every name, id and host in one pass."""
    t = template
    tn = names(t["namespace"], t["name"], t["uid"])
    new = names(ns, name, uid)
    pairs = {
        t["database"]: new["database"], tn["volume"]: new["volume"], t["bucket"]: new["bucket"],
        t["fileSystemId"]: fs_id, t["accessPointId"]: ap_id, t["host"]: host_of(ns, name),
        t["uid"]: uid, t["namespace"]: ns, t["name"]: name,
    }
    pattern = re.compile("|".join(re.escape(k) for k in sorted(pairs, key=len, reverse=True)))

    def text(s):
        return pattern.sub(lambda m: pairs[m.group(0)], s)

    def walk(v, secret_data=False):
        if isinstance(v, dict):
            return {text(k): walk(x, secret_data) for k, x in v.items()}
        if isinstance(v, list):
            return [walk(x, secret_data) for x in v]
        if isinstance(v, str):
            if secret_data:
                return base64.b64encode(text(base64.b64decode(v).decode()).encode()).decode()
            return text(v)
        return v

    def rename(obj):
        out = {k: walk(v) for k, v in obj.items() if k != "data" or obj["kind"] != "Secret"}
        if obj["kind"] == "Secret" and "data" in obj:
            out["data"] = {k: walk(v, True) for k, v in obj["data"].items()}
        return out

    return rename
