"""Real MariaDB servers behind RDS instances, from Debian's mariadb-server and mariadb-client packages.

Each server has its own datadir under <state>/db/<instance>/, its own TCP port on the bind address and a
unix socket, over which the front administers it as the OS user it runs as (unix_socket authentication;
root when the front runs as root). SQL that carries a password goes to the client on stdin, never on a
command line, and is never logged.

Servers are children of the front, in its process group (the test bed's `down` signals the group), and
are asked to die with it (PR_SET_PDEATHSIG through setpriv); stop_all() stops them on a clean exit.
"""
from __future__ import annotations

import collections
import getpass
import logging
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor

log = logging.getLogger("awsfront.mariadb")

# Small and quick: a test bed runs many of these next to a Kubernetes control plane.
SERVER_OPTIONS = [
    "--skip-name-resolve",
    "--performance-schema=OFF",
    "--innodb-buffer-pool-size=16M",
    "--innodb-log-file-size=8M",
    "--innodb-log-buffer-size=2M",
    "--innodb-use-native-aio=0",
    "--innodb-flush-log-at-trx-commit=2",
    "--innodb-doublewrite=0",
    "--key-buffer-size=1M",
    "--aria-pagecache-buffer-size=2M",
    "--character-set-server=utf8mb4",
    "--collation-server=utf8mb4_general_ci",
    "--local-infile=0",
]
BINARIES = ("mariadbd", "mariadb-install-db", "mariadb", "mariadb-dump")


def find_binaries() -> dict[str, str]:
    """Paths of the server and client programs; raises with the apt packages to install when missing."""
    found = {}
    for name in BINARIES:
        path = shutil.which(name) or shutil.which(name, path="/usr/sbin:/usr/bin:/sbin:/bin")
        if not path:
            raise RuntimeError(f"{name} not found: apt-get install mariadb-server mariadb-client")
        found[name] = path
    return found


def sql_string(value: str) -> str:
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


def sql_identifier(value: str) -> str:
    return "`" + value.replace("`", "``") + "`"


def free_port(address: str) -> int:
    family = socket.AF_INET6 if ":" in address else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as s:
        s.bind((address, 0))
        return s.getsockname()[1]


class MariaDBError(RuntimeError):
    pass


class Server:
    """One mariadbd. Created 'starting'; start() brings it to 'running' or 'failed'."""

    def __init__(self, manager: "Manager", name: str, index: int):
        self.manager = manager
        self.name = name
        self.dir = os.path.join(manager.state_dir, "db", name)
        self.datadir = os.path.join(self.dir, "data")
        self.socket = os.path.join(manager.socket_dir, f"{index}.sock")
        self.host = manager.endpoint_address
        self.port: int | None = None
        self.proc: subprocess.Popen | None = None
        self.state = "starting"
        self.error: str | None = None
        self.max_connections: int | None = None
        self.started_seconds: float | None = None
        self.ready = threading.Event()  # set when running or failed
        self.lock = threading.Lock()  # one admin session at a time
        self.cancelled = False
        self._jobs: collections.deque = collections.deque()
        self._jobs_lock = threading.Lock()
        self._draining = False

    def submit(self, job) -> None:
        """Runs job on a worker thread after every job submitted before it (start, SQL, dump, stop)."""
        with self._jobs_lock:
            self._jobs.append(job)
            if self._draining:
                return
            self._draining = True
        self.manager.executor.submit(self._drain)

    def _drain(self) -> None:
        while True:
            with self._jobs_lock:
                if not self._jobs:
                    self._draining = False
                    return
                job = self._jobs.popleft()
            try:
                job()
            except Exception:  # noqa: BLE001 - one failed job must not stop the queue
                log.exception("%s: job failed", self.name)

    @property
    def pid(self) -> int | None:
        return self.proc.pid if self.proc and self.proc.poll() is None else None

    def info(self) -> dict:
        return {"host": self.host, "port": self.port, "state": self.state, "pid": self.pid,
                "maxConnections": self.max_connections, "datadir": self.datadir, "socket": self.socket,
                "startSeconds": self.started_seconds, "rssKiB": self._rss(), "error": self.error}

    def _rss(self) -> int | None:
        pid = self.pid
        if not pid:
            return None
        try:
            with open(f"/proc/{pid}/status") as f:
                for line in f:
                    if line.startswith("VmRSS:"):
                        return int(line.split()[1])
        except OSError:
            return None
        return None

    # -- lifecycle ---------------------------------------------------------------------------------
    def start(self, master_user: str, master_password: str, db_name: str | None, max_connections: int | None) -> None:
        """Blocking: install, start, create the master user and database. Sets state and ready."""
        t0 = time.monotonic()
        try:
            os.makedirs(self.dir, exist_ok=True)
            self._install()
            for attempt in range(3):
                self.port = free_port(self.manager.bind_address)
                if self._launch(max_connections):
                    break
                if "already in use" not in self._error_log_tail() or attempt == 2:
                    raise MariaDBError(f"mariadbd did not start: {self._error_log_tail()}")
            if self.cancelled:
                raise MariaDBError("deleted while starting")
            statements = [
                f"CREATE USER {sql_string(master_user)}@'%' IDENTIFIED BY {sql_string(master_password)}",
                f"GRANT ALL PRIVILEGES ON *.* TO {sql_string(master_user)}@'%' WITH GRANT OPTION",
                # As on RDS, the master lacks SUPER: MariaDB keeps one connection above max_connections for
                # CONNECTION ADMIN, which stays the front's (for SET GLOBAL, dumps) while clients fill the rest.
                f"REVOKE SUPER, CONNECTION ADMIN ON *.* FROM {sql_string(master_user)}@'%'",
            ]
            if db_name:
                statements.append(f"CREATE DATABASE IF NOT EXISTS {sql_identifier(db_name)}")
            self.sql(";\n".join(statements) + ";", secret=True)
            self.started_seconds = round(time.monotonic() - t0, 3)
            self.state = "running"
            log.info("%s: mariadbd pid %s on %s:%s ready in %.2fs", self.name, self.pid, self.host, self.port,
                     self.started_seconds)
        except Exception as e:  # noqa: BLE001 - any failure makes the instance 'failed'
            self.error = str(e)
            self.state = "failed"
            log.error("%s: %s", self.name, e)
            self._terminate()
        finally:
            self.ready.set()

    def _install(self) -> None:
        if os.path.isdir(os.path.join(self.datadir, "mysql")):
            return
        cmd = [self.manager.bin["mariadb-install-db"], "--no-defaults", f"--datadir={self.datadir}",
               "--auth-root-authentication-method=socket", "--skip-test-db", "--skip-name-resolve",
               *self.manager.user_option, *self.manager.install_user_options, *self._own_options()]
        for attempt in (1, 2):  # once seen failing when eight ran at once (before each had its own tmpdir)
            with open(os.path.join(self.dir, "install.log"), "ab") as out:
                rc = subprocess.run(cmd, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                    timeout=120).returncode
            if rc == 0:
                return
            shutil.rmtree(self.datadir, ignore_errors=True)
            log.warning("%s: mariadb-install-db failed (%d, attempt %d), see %s/install.log", self.name, rc, attempt,
                        self.dir)
        raise MariaDBError(f"mariadb-install-db failed ({rc}), see {self.dir}/install.log")

    def _own_options(self) -> list[str]:
        """Server options plus a tmpdir of its own: concurrent servers must not share temporary files."""
        tmp = os.path.join(self.dir, "tmp")
        os.makedirs(tmp, exist_ok=True)
        return [*SERVER_OPTIONS, f"--tmpdir={tmp}"]

    def _error_log(self) -> str:
        return os.path.join(self.dir, "error.log")

    def _error_log_tail(self) -> str:
        try:
            with open(self._error_log(), "rb") as f:
                lines = f.read().decode("utf-8", "replace").strip().splitlines()
            return " | ".join(line for line in lines[-5:] if "ERROR" in line) or (lines[-1] if lines else "")
        except OSError:
            return ""

    def _launch(self, max_connections: int | None) -> bool:
        if os.path.exists(self.socket):
            os.unlink(self.socket)
        cmd = [self.manager.bin["mariadbd"], "--no-defaults", f"--datadir={self.datadir}",
               f"--socket={self.socket}", f"--port={self.port}", f"--bind-address={self.manager.bind_address}",
               f"--pid-file={os.path.join(self.dir, 'mariadbd.pid')}", f"--log-error={self._error_log()}",
               *self.manager.user_option, *self._own_options()]
        if max_connections:
            cmd.append(f"--max-connections={max_connections}")
        self.proc = subprocess.Popen(self.manager.deathsig + cmd, stdin=subprocess.DEVNULL,
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                return False
            if os.path.exists(self.socket):
                try:
                    self.sql("SELECT 1", timeout=5)
                    return True
                except MariaDBError:
                    pass
            time.sleep(0.05)
        self._terminate()
        raise MariaDBError("mariadbd not ready after 60s")

    def interrupt(self, crash: bool) -> None:
        """The server goes away as in a reboot (SIGTERM) or a failover (SIGKILL: the primary is gone and
        every connection drops at once); restart() brings it back on the same address and port."""
        proc = self.proc
        self.state = "rebooting"
        if proc is not None and proc.poll() is None:
            if crash:
                proc.kill()
                proc.wait(timeout=10)
            else:
                self._terminate()
        log.info("%s: mariadbd %s", self.name, "killed (failover)" if crash else "stopped (reboot)")

    def restart(self) -> None:
        """Starts the server again on its port with the max_connections it had."""
        t0 = time.monotonic()
        if self._launch(self.max_connections):
            self.state = "running"
            log.info("%s: mariadbd back on %s:%s in %.2fs", self.name, self.host, self.port, time.monotonic() - t0)
        else:
            self.state = "failed"
            self.error = f"mariadbd did not restart: {self._error_log_tail()}"
            log.error("%s: %s", self.name, self.error)

    def stop(self, remove: bool) -> None:
        self.cancelled = True
        self._terminate()
        self.state = "stopped"
        if remove:
            shutil.rmtree(self.dir, ignore_errors=True)
        try:
            os.unlink(self.socket)
        except OSError:
            pass

    def _terminate(self) -> None:
        proc = self.proc
        if proc is None or proc.poll() is not None:
            return
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            log.warning("%s: mariadbd pid %s ignored SIGTERM, killing it", self.name, proc.pid)
            proc.kill()
            proc.wait(timeout=10)

    # -- administration ----------------------------------------------------------------------------
    def sql(self, statements: str, secret: bool = False, timeout: float = 30) -> str:
        """Runs SQL as the admin over the socket; returns tab-separated output without headers."""
        cmd = [self.manager.bin["mariadb"], "--no-defaults", "--protocol=socket", f"--socket={self.socket}",
               f"--user={self.manager.admin_user}", "--batch", "--skip-column-names"]
        deadline = time.monotonic() + timeout
        with self.lock:
            while True:
                try:
                    done = subprocess.run(cmd, input=statements.encode(), capture_output=True,
                                          timeout=max(1.0, deadline - time.monotonic()))
                except subprocess.TimeoutExpired:
                    raise MariaDBError("mariadb client timed out") from None
                # The reserved slot may be held for a moment by another admin session's leftovers.
                if done.returncode == 0 or b"Too many connections" not in done.stderr or time.monotonic() > deadline:
                    break
                time.sleep(0.5)
        if done.returncode != 0:
            what = "statement with a password" if secret else statements.strip()[:200]
            raise MariaDBError(f"{what}: {done.stderr.decode('utf-8', 'replace').strip()}")
        return done.stdout.decode("utf-8", "replace")

    def set_max_connections(self, value: int) -> int:
        out = self.sql(f"SET GLOBAL max_connections = {int(value)}; SELECT @@GLOBAL.max_connections;")
        self.max_connections = int(out.split()[-1])
        return self.max_connections

    def set_master_password(self, master_user: str, password: str) -> None:
        self.sql(f"ALTER USER {sql_string(master_user)}@'%' IDENTIFIED BY {sql_string(password)};", secret=True)

    def dump(self, path: str) -> int:
        """Writes every database to path (through a temporary file); returns its size in bytes."""
        os.makedirs(os.path.dirname(path), exist_ok=True)
        tmp = path + ".part"
        cmd = [self.manager.bin["mariadb-dump"], "--no-defaults", "--protocol=socket", f"--socket={self.socket}",
               f"--user={self.manager.admin_user}", "--all-databases", "--single-transaction", "--routines",
               "--events", "--triggers"]
        with self.lock, open(tmp, "wb") as out:
            done = subprocess.run(cmd, stdout=out, stderr=subprocess.PIPE, timeout=600)
        if done.returncode != 0:
            os.unlink(tmp)
            raise MariaDBError(f"mariadb-dump failed: {done.stderr.decode('utf-8', 'replace').strip()}")
        os.replace(tmp, path)
        return os.path.getsize(path)


class Manager:
    """All servers of one front; starts them on worker threads so no request waits for one."""

    def __init__(self, state_dir: str, bind_address: str, endpoint_address: str | None = None):
        self.bin = find_binaries()
        self.state_dir = os.path.abspath(state_dir)
        self.bind_address = bind_address
        if endpoint_address:
            self.endpoint_address = endpoint_address
        elif bind_address in ("0.0.0.0", "::"):
            self.endpoint_address = "127.0.0.1"
        else:
            self.endpoint_address = bind_address
        self.admin_user = getpass.getuser()
        # As root, mariadbd must be told to stay root; otherwise it runs as (and admits over the socket) us.
        self.user_option = [f"--user={self.admin_user}"] if os.geteuid() == 0 else []
        self.install_user_options = [] if self.user_option else [f"--auth-root-socket-user={self.admin_user}"]
        setpriv = shutil.which("setpriv")
        self.deathsig = [setpriv, "--pdeathsig", "TERM", "--"] if setpriv else []
        os.makedirs(os.path.join(self.state_dir, "db"), exist_ok=True)
        # Unix socket paths are limited to 107 bytes; a deep state dir gets its sockets in /tmp.
        sock_dir = os.path.join(self.state_dir, "sock")
        if len(sock_dir) > 80:
            sock_dir = tempfile.mkdtemp(prefix="awsfront-sock-")
        os.makedirs(sock_dir, exist_ok=True)
        self.socket_dir = sock_dir
        self._lock = threading.Lock()
        self._servers: dict[str, Server] = {}
        self._index = 0
        # Long-lived threads: PR_SET_PDEATHSIG fires when the thread that forked the child exits.
        self.executor = ThreadPoolExecutor(max_workers=4, thread_name_prefix="mariadb")
        self._kill_leftovers()

    def _kill_leftovers(self) -> None:
        """mariadbd processes of a previous front on this state dir (killed with -9) would hold ports."""
        for name in os.listdir(os.path.join(self.state_dir, "db")):
            pidfile = os.path.join(self.state_dir, "db", name, "mariadbd.pid")
            try:
                pid = int(open(pidfile).read().strip())
                cmdline = open(f"/proc/{pid}/cmdline", "rb").read().decode(errors="replace")
            except (OSError, ValueError):
                continue
            if "mariadbd" in cmdline and os.path.join(self.state_dir, "db", name) in cmdline:
                log.warning("stopping leftover mariadbd pid %d of %s", pid, name)
                os.kill(pid, signal.SIGTERM)

    def create(self, name: str) -> Server:
        with self._lock:
            self._index += 1
            server = Server(self, name, self._index)
            self._servers[name] = server
        return server

    def forget(self, server: Server) -> None:
        with self._lock:
            if self._servers.get(server.name) is server:
                del self._servers[server.name]

    def servers(self) -> list[Server]:
        with self._lock:
            return list(self._servers.values())

    def stop_all(self) -> None:
        servers = self.servers()
        for s in servers:
            s.cancelled = True
            if s.proc and s.proc.poll() is None:
                s.proc.send_signal(signal.SIGTERM)
        for s in servers:
            s.stop(remove=False)
        self.executor.shutdown(wait=False, cancel_futures=True)
