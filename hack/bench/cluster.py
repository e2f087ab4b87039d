"""The test bed for one benchmark run: hack/local-cluster.sh with the benchmark's sizing, in a state
directory of its own (so a test bed the developer runs in .local-cluster/ is left alone), the AWS
front's counters, the audit log, and what the operator needs before it starts."""
import json
import os
import subprocess
import time
import urllib.request

import yaml

from .kube import Kube

OPERATOR_NAMESPACE = "donation-operator"
OPERATOR_SA = "donation-operator"
OPERATOR_USER = f"system:serviceaccount:{OPERATOR_NAMESPACE}:{OPERATOR_SA}"
RELEASE = "bench"  # the chart's release name: RBAC objects and the Lease are named after it
WRITES = {"create", "update", "patch", "delete", "deletecollection"}


def log(msg):
    print(time.strftime("[%H:%M:%S] ") + msg, flush=True)


class Cluster:
    def __init__(self, repo, state_dir, sizing):
        self.repo, self.state_dir, self.sizing = repo, state_dir, sizing
        self.env = {}

    def script(self, *args, check=True):
        env = dict(os.environ, LOCAL_CLUSTER_DIR=self.state_dir, **self.sizing)
        with open(os.path.join(os.path.dirname(self.state_dir), "local-cluster.log"), "a") as out:
            return subprocess.run([os.path.join(self.repo, "hack/local-cluster.sh"), *args], env=env,
                                  stdout=out, stderr=subprocess.STDOUT, check=check)

    def up(self):
        t0 = time.time()
        self.script("up")
        self.env = read_env(os.path.join(self.state_dir, "env"))
        self.admin = Kube.from_kubeconfig(self.kubeconfig("admin"), agent="bench-admin")
        log(f"test bed up in {time.time() - t0:.0f}s ({self.state_dir})")

    def down(self):
        self.script("down", check=False)

    def kubeconfig(self, user):
        return os.path.join(self.state_dir, f"{user}.kubeconfig")

    def pid(self, component):
        with open(os.path.join(self.state_dir, "pids", component)) as f:
            return int(f.read())

    @property
    def aws(self):
        return self.env["AWS_ENDPOINT_URL"].rstrip("/")

    def kubectl(self, *args, stdin=None):
        return subprocess.run([os.path.join(self.env["TOOLS_BIN"], "kubectl"), "--kubeconfig",
                               self.kubeconfig("admin"), *args], input=stdin, capture_output=True,
                              text=True, check=True).stdout

    # --- what the operator (or the floor, with the same identity) needs ---

    def install(self, namespaces, crds=True):
        """CRDs and the local CampaignClass, the operator's namespace, the chart's ServiceAccount and RBAC,
        and the campaigns' namespaces (Pod Security restricted, as in samples/local)."""
        if crds:
            self.kubectl("apply", "--server-side", "--force-conflicts", "-f", os.path.join(self.repo, "crds"))
            self.kubectl("wait", "--for=condition=Established", "--timeout=60s",
                         "crd/charitycampaigns.donations.dev", "crd/campaignclasses.donations.dev")
            cls = render(open(os.path.join(self.repo, "samples/local/campaignclass.yaml")).read(), self.env)
            self.kubectl("apply", "--server-side", "-f", "-", stdin=cls)
        for ns in [OPERATOR_NAMESPACE, *namespaces]:
            self.admin.apply({"apiVersion": "v1", "kind": "Namespace", "metadata": {
                "name": ns, "labels": {"pod-security.kubernetes.io/enforce": "restricted"}}}, "bench")
        chart = subprocess.run([os.path.join(self.env["TOOLS_BIN"], "helm"), "template", RELEASE,
                                os.path.join(self.repo, "helm/donation-operator"), "--namespace",
                                OPERATOR_NAMESPACE, "--skip-crds"], capture_output=True, text=True,
                               check=True).stdout
        rbac = [d for d in yaml.safe_load_all(chart) if d and d["kind"] in
                ("ServiceAccount", "Role", "RoleBinding", "ClusterRole", "ClusterRoleBinding")]
        self.kubectl("apply", "--server-side", "-f", "-", stdin=yaml.safe_dump_all(rbac))

    def create_only(self):
        """Resources the chart's ClusterRole lets the operator create but not patch."""
        role = self.admin.get(f"/apis/rbac.authorization.k8s.io/v1/clusterroles/{RELEASE}-donation-operator")
        verbs = {}
        for rule in role["rules"]:
            for res in rule.get("resources", []):
                verbs.setdefault(res, set()).update(rule.get("verbs", []))
        return {r for r, v in verbs.items() if "create" in v and "patch" not in v}

    def operator_kubeconfig(self):
        """A kubeconfig with a token of the chart's ServiceAccount: the operator's RBAC and its place in
        API priority and fairness, as in its pod."""
        _, tr = self.admin.request(
            "POST", f"/api/v1/namespaces/{OPERATOR_NAMESPACE}/serviceaccounts/{OPERATOR_SA}/token",
            {"apiVersion": "authentication.k8s.io/v1", "kind": "TokenRequest",
             "spec": {"expirationSeconds": 24 * 3600}})
        text = open(self.kubeconfig("admin")).read()
        lines = [ln for ln in text.splitlines() if "client-certificate:" not in ln]
        text = "\n".join(ln if "client-key:" not in ln else "    token: " + tr["status"]["token"] for ln in lines)
        path = self.kubeconfig("bench-operator")
        with open(path, "w") as f:
            f.write(text + "\n")
        return path

    # --- the AWS front's counters ---

    def aws_counters(self):
        with urllib.request.urlopen(self.aws + "/_awsfront/requests") as r:
            return json.load(r)

    def aws_reset(self):
        urllib.request.urlopen(urllib.request.Request(self.aws + "/_awsfront/requests", method="DELETE")).read()

    # --- the audit log ---

    @property
    def audit_path(self):
        return os.path.join(self.state_dir, "logs", "audit.log")

    def audit_mark(self):
        return os.path.getsize(self.audit_path)

    def audit_since(self, mark, user=None, needles=None):
        """Completed requests since the mark, optionally of one user or only records that contain one of
        the needles (bytes: a cheap filter before parsing), as dicts with epoch seconds."""
        with open(self.audit_path, "rb") as f:
            f.seek(mark)
            for line in f:
                if user is not None and user.encode() not in line:
                    continue
                if needles and not any(x in line for x in needles):
                    continue
                try:
                    e = json.loads(line)
                except ValueError:
                    continue  # a line the API server is still writing
                if e.get("stage") != "ResponseComplete":
                    continue
                u = e.get("impersonatedUser") or e["user"]
                if user is not None and u.get("username") != user:
                    continue
                ref = e.get("objectRef", {})
                yield {"user": u.get("username"), "verb": e["verb"], "resource": ref.get("resource", ""),
                       "subresource": ref.get("subresource", ""), "namespace": ref.get("namespace", ""),
                       "name": ref.get("name", ""), "code": e.get("responseStatus", {}).get("code", 0),
                       "received": epoch(e["requestReceivedTimestamp"]), "done": epoch(e["stageTimestamp"])}


def epoch(ts):
    """RFC 3339 with microseconds, as the audit log writes it, to epoch seconds."""
    from datetime import datetime
    return datetime.fromisoformat(ts.replace("Z", "+00:00")).timestamp()


def read_env(path):
    env = {}
    for line in open(path):
        if line.startswith("export ") and "=" in line:
            k, v = line[len("export "):].strip().split("=", 1)
            env[k] = v
    # PATH=$TOOLS_BIN:$PATH: keep the tools' directory
    env["TOOLS_BIN"] = env.get("PATH", "").split(":")[0]
    return env


def render(text, env):
    import re
    return re.sub(r"\$\{(LOCAL_[A-Z_]+)\}", lambda m: env[m.group(1)], text)


def resource_of(r):
    return r["resource"] + ("/" + r["subresource"] if r["subresource"] else "")
