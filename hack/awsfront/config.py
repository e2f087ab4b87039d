"""Run-time settings of the front: how long RDS instances and EFS file systems and mount targets stay in
each transitional state, and how long a CloudFront distribution stays InProgress.

Set from the command line and environment at start, read and changed at run time through
GET/POST /_awsfront/config. A change applies to transitions that start afterwards.
"""
from __future__ import annotations

import json
import threading

# State -> seconds. 0 makes the transition instant, as bare moto is.
# "rebooting" is RebootDBInstance; "failing-over" the same with ForceFailover, whose outage AWS documents
# as typically 60 to 120 s for a Multi-AZ DB instance (the real database is down all that time).
DEFAULT_DELAYS = {"creating": 3.0, "modifying": 2.0, "backing-up": 2.0, "deleting": 2.0, "rebooting": 5.0,
                  "failing-over": 60.0}
# EFS file systems and mount targets: creating -> available, deleting -> gone. 0 (moto's instant
# behaviour) by default, so the test bed behaves as before unless a test or the command line asks.
DEFAULT_EFS_DELAYS = {"creating": 0.0, "deleting": 0.0}
# Seconds a created or updated CloudFront distribution stays InProgress. 0 = moto's instant Deployed.
DEFAULT_CLOUDFRONT_DEPLOYING = 2.0


class Config:
    def __init__(self, delays: dict[str, float] | None = None, strict_states: bool = True,
                 efs_delays: dict[str, float] | None = None,
                 cloudfront_deploying: float = DEFAULT_CLOUDFRONT_DEPLOYING):
        self._lock = threading.Lock()
        self._delays = dict(DEFAULT_DELAYS)
        self._delays.update(delays or {})
        self._efs_delays = dict(DEFAULT_EFS_DELAYS)
        self._efs_delays.update(efs_delays or {})
        self._strict = strict_states
        self._cloudfront_deploying = cloudfront_deploying

    def cloudfront_deploying(self) -> float:
        with self._lock:
            return self._cloudfront_deploying

    def delay(self, state: str) -> float:
        with self._lock:
            return self._delays[state]

    def efs_delay(self, state: str) -> float:
        with self._lock:
            return self._efs_delays[state]

    @property
    def strict_states(self) -> bool:
        with self._lock:
            return self._strict

    def as_dict(self) -> dict:
        with self._lock:
            return {"rds": {"delays": dict(self._delays), "strictStates": self._strict},
                    "efs": {"delays": dict(self._efs_delays)},
                    "cloudfront": {"deploying": self._cloudfront_deploying}}

    def update(self, changes: dict) -> None:
        """Merges {"rds": {"delays": {state: seconds}, "strictStates": bool}, "efs": {"delays": {state: seconds}},
        "cloudfront": {"deploying": seconds}}; raises ValueError on bad input. strictStates applies to EFS too."""
        if not isinstance(changes, dict) or set(changes) - {"rds", "efs", "cloudfront"}:
            raise ValueError('expected {"rds": {"delays": {...}, "strictStates": true|false}, "efs": {"delays": {...}},'
                             ' "cloudfront": {"deploying": seconds}}')
        cloudfront = changes.get("cloudfront", {})
        if not isinstance(cloudfront, dict) or set(cloudfront) - {"deploying"}:
            raise ValueError('"cloudfront" takes "deploying"')
        deploying = cloudfront.get("deploying", None)
        if deploying is not None and (isinstance(deploying, bool) or not isinstance(deploying, (int, float)) or deploying < 0):
            raise ValueError('"deploying" must be a number >= 0')
        rds = changes.get("rds", {})
        if not isinstance(rds, dict) or set(rds) - {"delays", "strictStates"}:
            raise ValueError('"rds" takes "delays" and "strictStates"')
        efs = changes.get("efs", {})
        if not isinstance(efs, dict) or set(efs) - {"delays"}:
            raise ValueError('"efs" takes "delays"')
        delays = _delays(rds.get("delays", {}), DEFAULT_DELAYS)
        efs_delays = _delays(efs.get("delays", {}), DEFAULT_EFS_DELAYS)
        strict = rds.get("strictStates", None)
        if strict is not None and not isinstance(strict, bool):
            raise ValueError('"strictStates" must be true or false')
        with self._lock:
            self._delays.update(delays)
            self._efs_delays.update(efs_delays)
            if strict is not None:
                self._strict = strict
            if deploying is not None:
                self._cloudfront_deploying = float(deploying)

    def control_get(self, environ, body):
        from .front import json_reply

        return json_reply(self.as_dict())

    def control_post(self, environ, body):
        from .front import json_reply

        self.update(json.loads(body.decode() or "{}"))
        return json_reply(self.as_dict())


def _delays(delays, known: dict[str, float]) -> dict[str, float]:
    if not isinstance(delays, dict):
        raise ValueError('"delays" must be an object of state -> seconds')
    for state, seconds in delays.items():
        if state not in known:
            raise ValueError(f"unknown state {state!r}; known: {sorted(known)}")
        if isinstance(seconds, bool) or not isinstance(seconds, (int, float)) or seconds < 0:
            raise ValueError(f"delay of {state!r} must be a number >= 0")
    return {k: float(v) for k, v in delays.items()}
