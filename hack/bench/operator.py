"""The packaged operator (target/quarkus-app) as a process, as it runs in its pod: prod profile, a token of
the chart's ServiceAccount, the AWS front as every AWS endpoint. Also what is read from outside it: /proc
(CPU, RSS), jcmd (heap after a full GC), /q/health and /q/metrics."""
import json
import os
import re
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request

from .cluster import OPERATOR_NAMESPACE, RELEASE

CLK_TCK = os.sysconf("SC_CLK_TCK")


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


class Operator:
    running = set()  # stopped on the way out, whatever happened

    def __init__(self, cluster, kubeconfig, log_path, java_opts, settings, identity):
        self.port = free_port()
        env = dict(os.environ)
        for k in ("AWS_PROFILE", "AWS_ENDPOINT_URL"):
            env.pop(k, None)
        env.update({
            "KUBECONFIG": kubeconfig,
            "AWS_ACCESS_KEY_ID": cluster.env["AWS_ACCESS_KEY_ID"],
            "AWS_SECRET_ACCESS_KEY": cluster.env["AWS_SECRET_ACCESS_KEY"],
            "AWS_REGION": cluster.env["AWS_REGION"],
            "DONATION_AWS_ENDPOINT_OVERRIDE": cluster.aws,
            "DONATION_OPERATOR_NAMESPACE": OPERATOR_NAMESPACE,
            "DONATION_LEADER_ELECTION_LEASE_NAME": f"{RELEASE}-donation-operator",
            "DONATION_LEADER_ELECTION_IDENTITY": identity,
            "QUARKUS_HTTP_HOST": "127.0.0.1",
            "QUARKUS_HTTP_PORT": str(self.port),
        })
        env.update(settings)
        jar = os.path.join(cluster.repo, "target/quarkus-app/quarkus-run.jar")
        self.log_path = log_path
        self.started_at = time.time()
        with open(log_path, "w") as out:
            self.proc = subprocess.Popen(["java", *java_opts, "-jar", jar], cwd=cluster.repo, env=env,
                                         stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
        self.pid = self.proc.pid
        Operator.running.add(self)

    # --- from outside ---

    def url(self, path):
        return f"http://127.0.0.1:{self.port}{path}"

    def health(self, which):
        """'UP', 'DOWN' or None while the HTTP port does not answer."""
        try:
            with urllib.request.urlopen(self.url(f"/q/health/{which}"), timeout=2) as r:
                return json.load(r).get("status")
        except urllib.error.HTTPError as e:
            return json.load(e).get("status") if e.code == 503 else None
        except (OSError, ValueError):
            return None

    def metrics(self):
        """/q/metrics as {name: [(labels, value)]}."""
        with urllib.request.urlopen(self.url("/q/metrics"), timeout=10) as r:
            text = r.read().decode()
        out = {}
        for line in text.splitlines():
            if not line or line.startswith("#"):
                continue
            m = re.match(r"^([a-zA-Z_:][\w:]*)(\{[^}]*\})?\s+(\S+)", line)
            if m:
                labels = dict(re.findall(r'(\w+)="([^"]*)"', m.group(2) or ""))
                out.setdefault(m.group(1), []).append((labels, float(m.group(3))))
        return out

    def cpu_seconds(self):
        """User and system CPU of the process (all its threads) so far."""
        with open(f"/proc/{self.pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / CLK_TCK

    def rss_mib(self):
        with open(f"/proc/{self.pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
        return float("nan")

    def heap_after_gc_mib(self):
        """Heap in use right after a full collection (jcmd GC.run, then GC.heap_info)."""
        subprocess.run(["jcmd", str(self.pid), "GC.run"], capture_output=True, check=True, timeout=60)
        info = subprocess.run(["jcmd", str(self.pid), "GC.heap_info"], capture_output=True, text=True,
                              check=True, timeout=60).stdout
        m = re.search(r"heap\s+total\s+(\d+)K, used\s+(\d+)K", info)
        return (int(m.group(2)) / 1024, int(m.group(1)) / 1024) if m else (float("nan"), float("nan"))

    def alive(self):
        return self.proc.poll() is None

    def wait_ready(self, timeout):
        deadline = time.time() + timeout
        while time.time() < deadline:
            if not self.alive():
                raise RuntimeError(f"the operator exited ({self.proc.returncode}); see {self.log_path}")
            if self.health("ready") == "UP":
                return time.time()
            time.sleep(0.1)
        raise RuntimeError(f"the operator was not ready after {timeout}s; see {self.log_path}")

    def stop(self):
        """SIGTERM, as kubelet does; the Lease is handed back. SIGKILL after 60 s."""
        if self.alive():
            os.kill(self.pid, signal.SIGTERM)
            try:
                self.proc.wait(60)
            except subprocess.TimeoutExpired:
                os.kill(self.pid, signal.SIGKILL)
                self.proc.wait(10)
        Operator.running.discard(self)


def metric_sum(metrics, name, **labels):
    return sum(v for l, v in metrics.get(name, []) if all(l.get(k) == x for k, x in labels.items()))
