"""RDS instances that take time and, optionally, have a real MariaDB behind them.

How: the front wraps moto's RDS action handlers (RDSResponse.create_db_instance, ...). Each wrapper lets
moto do the call, then edits the very objects moto keeps (DBInstance.status, DBSnapshot.status, the
backend's `databases` dict) before moto serialises its answer, and a timer thread moves them on. So moto
stays the only state: every describe, filter and tag call sees the same status, CreateDBInstance already
answers "creating", and refusals are moto's own exceptions rendered in the RDS error format. Rewriting
describe answers instead would leave moto's checks (e.g. "already exists") out of step with what clients see.

States (delays from Config; 0 = moto's instant behaviour):
  CreateDBInstance   creating -> available, after the delay and once the real server (if any) is up;
                     no Endpoint while creating (as RDS); "failed" if the server does not start.
  ModifyDBInstance   modifying -> available (resetting-master-credentials when only the password changes;
                     DeletionProtection, backup/maintenance windows and the like change at once).
  CreateDBSnapshot   instance backing-up, snapshot creating -> available after the delay and the dump.
  DeleteDBInstance   moto removes the instance; the front puts it back as "deleting" until the delay has
                     passed, the final snapshot (if any) is available and the server is stopped and removed.
With strict states (default), calls RDS refuses in a busy state are refused with InvalidDBInstanceState:
ModifyDBInstance unless available/backing-up, CreateDBSnapshot and RebootDBInstance unless available,
DeleteDBInstance of an instance already deleting.
  RebootDBInstance   rebooting -> available; the real server is stopped for the "rebooting" delay, or
                     killed for the "failing-over" delay with ForceFailover (a Multi-AZ failover: every
                     connection drops, the endpoint stays), then started again on the same port.
"""
from __future__ import annotations

import functools
import logging
import os
import threading

from moto.rds.exceptions import RDSClientError
from moto.rds.models import DBInstance
from moto.rds.responses import RDSResponse

from .config import Config
from .mariadb import Manager, Server
from .states import Scheduler, Transition, begin

log = logging.getLogger("awsfront.rds")

REAL_ENGINES = {"mysql", "mariadb"}
MODIFIABLE = {"available", "backing-up", "storage-optimization"}
# ModifyDBInstance parameters that RDS applies without entering "modifying".
INSTANT = {"db_instance_identifier", "apply_immediately", "deletion_protection", "copy_tags_to_snapshot",
           "backup_retention_period", "preferred_backup_window", "preferred_maintenance_window",
           "auto_minor_version_upgrade", "allow_major_version_upgrade"}
NO_ENDPOINT = {"creating", "failed"}
DEFAULT_MAX_CONNECTIONS = 151  # MariaDB's own default, for a group that sets none


def _param(resp, name):
    try:
        return resp.params.get(name)
    except Exception:  # noqa: BLE001
        return None


class RdsLifecycle:
    def __init__(self, config: Config, lock: threading.RLock, databases: Manager | None, state_dir: str):
        self.config = config
        self.lock = lock
        self.databases = databases
        self.snapshot_dir = os.path.join(state_dir, "snapshots")
        self.scheduler = Scheduler()
        self._backends: dict[tuple[str, str], object] = {}  # (account, region) -> RDS backend with instances

    # -- installation ------------------------------------------------------------------------------
    def install(self) -> None:
        for action, handler in {
            "create_db_instance": self._create_db_instance,
            "modify_db_instance": self._modify_db_instance,
            "delete_db_instance": self._delete_db_instance,
            "create_db_snapshot": self._create_db_snapshot,
            "reboot_db_instance": self._reboot_db_instance,
            "modify_db_parameter_group": self._modify_db_parameter_group,
            "reset_db_parameter_group": self._modify_db_parameter_group,  # moto 5.2.5 has none; wrapped once it does
        }.items():
            original = getattr(RDSResponse, action, None)
            if original is None:
                continue

            def wrapper(resp, _original=original, _handler=handler):
                return _handler(resp, functools.partial(_original, resp))

            functools.update_wrapper(wrapper, original)
            setattr(RDSResponse, action, wrapper)

        original_address = DBInstance.address

        def address(db):
            return getattr(db, "_awsfront_address", None) or original_address.fget(db)

        def endpoint(db):
            if db.status in NO_ENDPOINT:
                return None
            return {"Address": db.address, "Port": db.port}

        DBInstance.address = property(address)
        DBInstance.endpoint = property(endpoint)

    # -- helpers -----------------------------------------------------------------------------------
    @staticmethod
    def _server(db) -> Server | None:
        return getattr(db, "_awsfront_server", None)

    def _begin(self, db, state: str, seconds: float, target: str | None, deps=None) -> Transition:
        """Puts db in state until a new Transition ends; then target (None: leave it to on_done)."""
        return begin(self, db, "status", state, seconds, target, db.db_instance_identifier, deps)

    def _busy(self, code_message: str):
        return RDSClientError("InvalidDBInstanceState", code_message)

    def _max_connections(self, db) -> int:
        """max_connections of db's parameter group in moto (caller holds the lock)."""
        name = (db.db_parameter_group_name or "").lower()
        group = db.backend.db_parameter_groups.get(name)
        value = group.parameters.get("max_connections", {}).get("ParameterValue") if group else None
        try:
            return int(value) if value not in (None, "") else DEFAULT_MAX_CONNECTIONS
        except ValueError:  # a formula such as {DBInstanceClassMemory/12582880}
            return DEFAULT_MAX_CONNECTIONS

    def _apply_parameters(self, db, server: Server) -> None:
        """Queues: read the group's max_connections now and SET GLOBAL it (jobs run in order)."""

        def job():
            if server.state != "running":
                return
            with self.lock:
                value = self._max_connections(db)
            applied = server.set_max_connections(value)
            log.info("%s: max_connections %s (group %s wants %s)", db.db_instance_identifier, applied,
                     db.db_parameter_group_name, value)

        server.submit(job)

    # -- CreateDBInstance --------------------------------------------------------------------------
    def _create_db_instance(self, resp, original):
        password = _param(resp, "MasterUserPassword")
        result = original()
        db = result.result["DBInstance"]
        self._backends[(db.account_id, db.region)] = resp.backend
        real = self.databases is not None and db.engine in REAL_ENGINES
        delay = self.config.delay("creating")
        if not real and delay <= 0:
            return result
        t = self._begin(db, "creating", delay, "available")
        if real:
            server = self.databases.create(f"{db.account_id}.{db.region}.{db.db_instance_identifier}")
            db._awsfront_server = server
            max_connections = self._max_connections(db)
            master, db_name = db.master_username, db.db_name
            t.add_job()

            def start():
                try:
                    server.start(master, password or "", db_name, max_connections)
                    with self.lock:
                        if server.state == "running":
                            db._awsfront_address = server.host
                            db.port = server.port
                        elif db.status == "creating":
                            t.cancelled = True
                            db.status = "failed"
                finally:
                    t.job_done()

            server.submit(start)
            self._apply_parameters(db, server)  # the group may have changed while it started
        t.start()
        return result

    # -- ModifyDBInstance --------------------------------------------------------------------------
    def _modify_db_instance(self, resp, original):
        ident = _param(resp, "DBInstanceIdentifier")
        db = resp.backend.databases.get(ident)
        if db is not None and self.config.strict_states and db.status not in MODIFIABLE:
            raise self._busy("Database instance is not in available state.")
        given = {k for k in resp.params if resp.params[k] is not None and k not in INSTANT}
        password = _param(resp, "MasterUserPassword")
        result = original()
        db = result.result["DBInstance"]
        server = self._server(db)
        work = []
        if server is not None and password:
            work.append(lambda: server.set_master_password(db.master_username, password))
        if server is not None and "db_parameter_group_name" in given:
            work.append(None)  # parameter change, queued below
        if not given or db.status == "deleting":  # deleting (only without strict states): it stays deleting
            return result
        t = None
        if db.status != "creating":  # creating (only without strict states): it stays creating, the jobs queue
            state = "resetting-master-credentials" if given == {"master_user_password"} else "modifying"
            delay = self.config.delay("modifying")
            if delay <= 0 and not work:
                return result
            t = self._begin(db, state, delay, "available")
        for job in work:
            if job is None:
                self._apply_parameters(db, server)
                continue
            if t is not None:
                t.add_job()

            def run(job=job):
                try:
                    if server.state == "running":
                        job()
                finally:
                    if t is not None:
                        t.job_done()

            server.submit(run)
        if t is not None:
            t.start()
        return result

    # -- RebootDBInstance --------------------------------------------------------------------------
    def _reboot_db_instance(self, resp, original):
        """rebooting -> available. The real server stops at once (a failover kills it: every connection
        drops) and comes back on the same endpoint after the "rebooting" or "failing-over" delay."""
        db = resp.backend.databases.get(_param(resp, "DBInstanceIdentifier"))
        if db is not None and self.config.strict_states and db.status != "available":
            raise self._busy(f"Instance {db.db_instance_identifier} is not in available state.")
        failover = str(_param(resp, "ForceFailover")).lower() == "true"
        result = original()
        db = result.result["DBInstance"]
        server = self._server(db)
        delay = self.config.delay("failing-over" if failover else "rebooting")
        if server is None and delay <= 0:
            return result
        t = self._begin(db, "rebooting", delay, "available")
        if server is not None and server.state == "running":
            t.add_job()
            server.submit(lambda: server.interrupt(crash=failover))

            def back():
                def restart():
                    try:
                        server.restart()
                    finally:
                        t.job_done()

                server.submit(restart)

            self.scheduler.at(t.deadline, back)
        t.start()
        log.info("%s: %s for %.0fs", db.db_instance_identifier, "failing over" if failover else "rebooting", delay)
        return result

    # -- ModifyDBParameterGroup / ResetDBParameterGroup --------------------------------------------
    def _modify_db_parameter_group(self, resp, original):
        result = original()
        if self.databases is not None:
            name = (_param(resp, "DBParameterGroupName") or "").lower()
            for db in list(resp.backend.databases.values()):
                server = self._server(db)
                if server is not None and (db.db_parameter_group_name or "").lower() == name:
                    self._apply_parameters(db, server)
        return result

    # -- snapshots ---------------------------------------------------------------------------------
    def _snapshot_transition(self, db, snapshot) -> Transition:
        """snapshot 'creating' until the backing-up delay passed and the dump (if real) is written."""
        snapshot.status = "creating"

        def done():
            if snapshot.status == "creating":
                snapshot.status = "available"

        t = Transition(self, f"snapshot {snapshot.db_snapshot_identifier}", self.config.delay("backing-up"), done)
        server = self._server(db)
        if server is not None:
            t.add_job()
            path = os.path.join(self.snapshot_dir, snapshot.db_snapshot_identifier.replace("/", "_") + ".sql")

            def dump():
                try:
                    if server.state != "running":
                        raise RuntimeError(f"server is {server.state}")
                    size = server.dump(path)
                    log.info("snapshot %s: %d bytes in %s", snapshot.db_snapshot_identifier, size, path)
                except Exception as e:  # noqa: BLE001
                    log.error("snapshot %s failed: %s", snapshot.db_snapshot_identifier, e)
                    with self.lock:
                        snapshot.status = "failed"
                finally:
                    t.job_done()

            server.submit(dump)
        return t

    def _create_db_snapshot(self, resp, original):
        db = resp.backend.databases.get(_param(resp, "DBInstanceIdentifier"))
        if db is not None and self.config.strict_states and db.status != "available":
            raise self._busy(
                f"Cannot create a snapshot because the database instance {db.db_instance_identifier} "
                "is not currently in the available state.")
        result = original()
        snapshot = result.result["DBSnapshot"]
        if db is None or (self.config.delay("backing-up") <= 0 and self._server(db) is None):
            return result
        snap = self._snapshot_transition(db, snapshot)
        snap.start()
        if db.status != "deleting":  # (only without strict states) a deleting instance stays deleting
            self._begin(db, "backing-up", 0, "available", deps=[snap]).start()
        return result

    # -- DeleteDBInstance --------------------------------------------------------------------------
    def _delete_db_instance(self, resp, original):
        ident = _param(resp, "DBInstanceIdentifier")
        backend = resp.backend
        db = backend.databases.get(ident)
        if db is not None and db.status == "deleting":
            raise self._busy(f"Instance {ident} is already being deleted.")
        final_id = _param(resp, "FinalDBSnapshotIdentifier")
        had_snapshot = final_id in backend.database_snapshots if final_id else True
        result = original()
        db = result.result["DBInstance"]
        server = self._server(db)
        deps = []
        if final_id and not had_snapshot and final_id in backend.database_snapshots:
            snapshot = backend.database_snapshots[final_id]
            if self.config.delay("backing-up") > 0 or server is not None:
                snap = self._snapshot_transition(db, snapshot)
                deps.append(snap)
                snap.start()
        delay = self.config.delay("deleting")
        if delay <= 0 and not deps and server is None:
            return result

        def gone():
            if backend.databases.get(ident) is db:
                del backend.databases[ident]
            log.info("%s: deleted", ident)

        t = self._begin(db, "deleting", delay, None, deps=deps)
        t.on_done = gone
        backend.databases[ident] = db  # moto removed it at once; RDS keeps describing it as deleting
        if server is not None:
            t.add_job()

            def stop():
                try:
                    server.stop(remove=True)
                    self.databases.forget(server)
                finally:
                    t.job_done()

            server.submit(stop)  # after the dump, which was queued first
        t.start()
        return result

    # -- moto's own reset ---------------------------------------------------------------------------
    def before_moto_reset(self, req):
        """POST /moto-api/reset empties moto's backends: stop the servers of the instances it forgets."""
        if req.method == "POST" and self.databases is not None:
            with self.lock:
                for server in self.databases.servers():
                    server.submit(lambda server=server: (server.stop(remove=True), self.databases.forget(server)))
                self._backends.clear()
        return None

    # -- control endpoint --------------------------------------------------------------------------
    def control_databases(self, environ, body):
        from .front import json_reply

        out = {}
        with self.lock:
            for (account, region), backend in list(self._backends.items()):
                for ident, db in list(backend.databases.items()):
                    server = self._server(db)
                    entry = {"account": account, "region": region, "status": db.status, "engine": db.engine,
                             "parameterGroup": db.db_parameter_group_name,
                             "groupMaxConnections": self._max_connections(db)}
                    if server is not None:
                        entry.update(server.info())
                    out[ident] = entry
        if self.databases is not None:  # servers of instances moto no longer has (should be none)
            for server in self.databases.servers():
                if not any(server.name.endswith("." + i) for i in out):
                    out[server.name] = {"orphan": True, **server.info()}
        return json_reply({"realDatabases": self.databases is not None, "instances": out})
