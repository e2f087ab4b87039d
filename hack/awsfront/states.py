"""Timed states shared by the RDS and EFS lifecycles: one timer thread and transitions that end when
their deadline passed, their jobs are done and the transitions they depend on ended.

A lifecycle (RdsLifecycle, EfsLifecycle) has a `lock` (the one its service's requests are served under)
and a `scheduler`; begin() puts an object in a state and cancels the transition it was in.
"""
from __future__ import annotations

import heapq
import logging
import threading
import time
from typing import Callable

log = logging.getLogger("awsfront.states")


class Scheduler:
    """One thread that runs callbacks at given monotonic times."""

    def __init__(self):
        self._heap: list[tuple[float, int, Callable[[], None]]] = []
        self._cond = threading.Condition()
        self._seq = 0
        threading.Thread(target=self._run, name="awsfront-timers", daemon=True).start()

    def at(self, when: float, fn: Callable[[], None]) -> None:
        with self._cond:
            self._seq += 1
            heapq.heappush(self._heap, (when, self._seq, fn))
            self._cond.notify()

    def _run(self) -> None:
        while True:
            with self._cond:
                while not self._heap or self._heap[0][0] > time.monotonic():
                    self._cond.wait(None if not self._heap else max(0.0, self._heap[0][0] - time.monotonic()))
                _, _, fn = heapq.heappop(self._heap)
            try:
                fn()
            except Exception:  # noqa: BLE001 - a failing callback must not stop the timers
                log.exception("timer callback failed")


class Transition:
    """A state that ends when its deadline passed, its jobs are done and its dependencies ended."""

    def __init__(self, lifecycle: "Lifecycle", what: str, seconds: float, on_done: Callable[[], None],
                 deps: list["Transition"] | None = None):
        self.lifecycle = lifecycle
        self.what = what
        self.deadline = time.monotonic() + seconds
        self.on_done = on_done
        self.jobs = 0
        self.deps = deps or []
        self.dependents: list[Transition] = []
        for d in self.deps:
            d.dependents.append(self)
        self.done = False
        self.cancelled = False

    def start(self) -> None:
        self.lifecycle.scheduler.at(self.deadline, self.check)
        if self.deadline <= time.monotonic():
            self.check()

    def add_job(self) -> None:
        self.jobs += 1

    def job_done(self) -> None:
        with self.lifecycle.lock:
            self.jobs -= 1
        self.check()

    def check(self) -> None:
        with self.lifecycle.lock:
            if self.done or self.cancelled or self.jobs > 0 or time.monotonic() < self.deadline:
                return
            if any(not d.done for d in self.deps):
                return
            self.done = True
            self.on_done()
        for d in self.dependents:
            d.check()


def begin(lifecycle, obj, attr: str, state: str, seconds: float, target: str | None, what: str,
          deps: list[Transition] | None = None) -> Transition:
    """Sets obj.<attr> = state until the returned Transition ends, then target if obj is still in state
    (None: leave it to on_done). A transition obj was in is cancelled. Caller holds lifecycle.lock and
    calls start()."""
    current = getattr(obj, "_awsfront_transition", None)
    if current is not None:
        current.cancelled = True
    setattr(obj, attr, state)

    def done():
        if target is not None and getattr(obj, attr) == state:
            setattr(obj, attr, target)

    t = Transition(lifecycle, f"{what} {state}", seconds, done, deps)
    obj._awsfront_transition = t
    return t
