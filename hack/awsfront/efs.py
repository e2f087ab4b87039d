"""EFS file systems and mount targets that take time, as RDS instances do in rds.py.

moto makes both `available` at once and forgets them at once on delete. The front wraps moto's EFS
backend methods (not the response handlers: those render their JSON from the backend's objects, so a
state set on the object before they render is what the call answers). moto stays the only state, with the
same shared timers and transitions as RDS (states.py):

  CreateFileSystem    LifeCycleState creating -> available after efs.delays.creating seconds
  CreateMountTarget   creating -> available after efs.delays.creating seconds
  DeleteFileSystem    moto removes it; the front puts it back (and its creation token) as deleting for
                      efs.delays.deleting seconds, then FileSystemNotFound
  DeleteMountTarget   the same: deleting, still counted by the file system (so DeleteFileSystem answers
                      FileSystemInUse meanwhile, as EFS does), then MountTargetNotFound

With strict states (the shared strictStates switch), CreateMountTarget and CreateAccessPoint of a file
system that is not available answer IncorrectFileSystemLifeCycleState (409), as EFS does. Delays are 0 by
default: then nothing changes.
"""
from __future__ import annotations

import functools
import logging
import threading

from moto.efs.exceptions import EFSError
from moto.efs.models import EFSBackend

from .config import Config
from .states import Scheduler, begin

log = logging.getLogger("awsfront.efs")


class IncorrectFileSystemLifeCycleState(EFSError):
    code = 409

    def __init__(self, file_system_id: str, state: str):
        super().__init__("IncorrectFileSystemLifeCycleState",
                         f"File system '{file_system_id}' is {state}, not available.")


class NoFreeAddressesInSubnet(EFSError):
    """AWS's answer when a subnet has no free IP address left for a mount target (moto raises an internal
    error instead, after registering a half-made mount target)."""
    code = 409

    def __init__(self, subnet_id: str):
        super().__init__("NoFreeAddressesInSubnet",
                         f"The specified subnet '{subnet_id}' does not have any available IP addresses.")


class EfsLifecycle:
    def __init__(self, config: Config, lock: threading.RLock, scheduler: Scheduler):
        self.config = config
        self.lock = lock  # the front serves EFS requests under it; the timers take it too
        self.scheduler = scheduler

    def install(self) -> None:
        for name in ("create_file_system", "create_mount_target", "delete_file_system", "delete_mount_target",
                     "create_access_point"):
            original = getattr(EFSBackend, name)
            handler = getattr(self, "_" + name)

            def wrapper(backend, *args, _original=original, _handler=handler, **kwargs):
                return _handler(backend, functools.partial(_original, backend, *args, **kwargs), *args, **kwargs)

            functools.update_wrapper(wrapper, original)
            setattr(EFSBackend, name, wrapper)

    def _require_available(self, backend, file_system_id) -> None:
        fs = backend.file_systems_by_id.get(file_system_id)
        if fs is not None and self.config.strict_states and fs.life_cycle_state != "available":
            raise IncorrectFileSystemLifeCycleState(file_system_id, fs.life_cycle_state)

    def _timed(self, obj, state: str, seconds: float, target: str | None, what: str, on_done=None):
        with self.lock:
            t = begin(self, obj, "life_cycle_state", state, seconds, target, what)
            if on_done is not None:
                t.on_done = on_done
            t.start()

    # -- creation ----------------------------------------------------------------------------------
    def _create_file_system(self, backend, original, *args, **kwargs):
        fs = original()
        delay = self.config.efs_delay("creating")
        if delay > 0:
            self._timed(fs, "creating", delay, "available", fs.file_system_id)
        return fs

    def _create_mount_target(self, backend, original, *args, **kwargs):
        file_system_id = kwargs.get("file_system_id", args[0] if args else None)
        self._require_available(backend, file_system_id)
        try:
            mt = original()
        except (StopIteration, RuntimeError, KeyError):
            fs = backend.file_systems_by_id.get(file_system_id)
            half_made = [k for k, m in getattr(fs, "_mount_targets", {}).items() if not hasattr(m, "ip_address")]
            if not half_made:
                raise
            subnet_id = fs._mount_targets[half_made[0]].subnet_id
            for k in half_made:
                del fs._mount_targets[k]
            raise NoFreeAddressesInSubnet(subnet_id)

        delay = self.config.efs_delay("creating")
        if delay > 0:
            self._timed(mt, "creating", delay, "available", mt.mount_target_id)
        return mt

    def _create_access_point(self, backend, original, *args, **kwargs):
        self._require_available(backend, kwargs.get("file_system_id", args[2] if len(args) > 2 else None))
        return original()

    # -- deletion ----------------------------------------------------------------------------------
    def _delete_file_system(self, backend, original, file_system_id, *args, **kwargs):
        fs = backend.file_systems_by_id.get(file_system_id)
        if fs is not None and fs.life_cycle_state == "deleting":
            return None  # already being deleted: nothing more to do
        original()
        delay = self.config.efs_delay("deleting")
        if fs is None or delay <= 0:
            return None
        backend.file_systems_by_id[file_system_id] = fs  # moto forgot it at once; EFS describes it deleting
        backend.creation_tokens.add(fs.creation_token)

        def gone():
            if backend.file_systems_by_id.get(file_system_id) is fs:
                del backend.file_systems_by_id[file_system_id]
                backend.creation_tokens.discard(fs.creation_token)
            log.info("%s: deleted", file_system_id)

        self._timed(fs, "deleting", delay, None, file_system_id, gone)
        return None

    def _delete_mount_target(self, backend, original, mount_target_id, *args, **kwargs):
        mt = backend.mount_targets_by_id.get(mount_target_id)
        if mt is not None and mt.life_cycle_state == "deleting":
            return None
        original()
        delay = self.config.efs_delay("deleting")
        if mt is None or delay <= 0:
            return None
        # moto removed it from the backend and its file system (and freed its address and interface).
        backend.mount_targets_by_id[mount_target_id] = mt
        mt._file_system._mount_targets[mt._subnet.availability_zone] = mt

        def gone():
            if backend.mount_targets_by_id.get(mount_target_id) is mt:
                del backend.mount_targets_by_id[mount_target_id]
            targets = mt._file_system._mount_targets
            if targets.get(mt._subnet.availability_zone) is mt:
                del targets[mt._subnet.availability_zone]
            log.info("%s: deleted", mount_target_id)

        self._timed(mt, "deleting", delay, None, mount_target_id, gone)
        return None
