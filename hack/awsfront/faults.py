"""Fault injection: latency, throttling, 5xx and connection resets per (service, action), set at run time.

GET /_awsfront/faults shows the rules (and what each injected so far), PUT or POST replaces them, DELETE
clears them. The body is a list of rules, or {"rules": [...], "seed": N} for a repeatable sequence:

  {"service": "rds", "action": "CreateDBInstance" | "*",
   "throttle": 0.5,            # rate 0..1: answered with the service's own throttling error, moto not called
   "error5xx": 0.1,            # rate: answered 500 (or "status5xx": 503) with the service's error code
   "reset": 0.1,               # rate: connection reset (TCP RST), no answer, moto not called
   "resetAfter": 0.1,          # rate: moto does the call, then the connection is reset instead of the answer
   "latencyMs": 200 | {"min": 50, "max": 500},   # added before every matched request
   "until": {"seconds": 30, "count": 5}}         # optional: the rule ends after 30 s or 5 injected faults
                                                 # (a bare number is seconds)

For each request (after classify() named it) the first live rule whose service ("*" for any) and action
("*" for any) match applies: its latency, then one draw decides throttle | error5xx | reset | resetAfter |
nothing (the rates add up to at most 1). moto-api and control requests are never faulted.
"""
from __future__ import annotations

import json
import random
import threading
import time
from dataclasses import dataclass

from .classify import FrontRequest

OUTCOMES = ("throttle", "error5xx", "reset", "resetAfter")
RULE_KEYS = {"service", "action", "latencyMs", "until", "status5xx", *OUTCOMES}

# service -> (status, code, message) of its throttling answer, as the service sends it (see README).
THROTTLE = {
    "rds": (400, "Throttling", "Rate exceeded"),
    "ec2": (503, "RequestLimitExceeded", "Request limit exceeded."),
    "efs": (429, "ThrottlingException", "Rate exceeded"),
    "s3": (503, "SlowDown", "Please reduce your request rate."),
    "cloudfront": (400, "Throttling", "Rate exceeded"),
    "route53": (400, "Throttling", "Rate exceeded"),
    "sts": (400, "Throttling", "Rate exceeded"),
    "iam": (400, "Throttling", "Rate exceeded"),
}
# service -> {status: code} of its 5xx answers.
SERVER_ERRORS = {
    "ec2": {500: "InternalError", 503: "Unavailable"},
    "s3": {500: "InternalError", 503: "ServiceUnavailable"},
    "efs": {500: "InternalServerError", 503: "ServiceUnavailable"},
}
DEFAULT_SERVER_ERRORS = {500: "InternalFailure", 503: "ServiceUnavailable"}
SERVER_ERROR_MESSAGES = {500: "We encountered an internal error. Please try again.",
                         503: "Service is unable to handle request."}


def throttle_answer(req: FrontRequest) -> tuple[int, str, str]:
    if req.service in THROTTLE:
        return THROTTLE[req.service]
    if "x-amz-target" in req.headers:  # JSON protocol (DynamoDB, KMS, ...)
        return 400, "ThrottlingException", "Rate exceeded"
    return 400, "Throttling", "Rate exceeded"


def server_error_answer(req: FrontRequest, status: int) -> tuple[int, str, str]:
    return status, SERVER_ERRORS.get(req.service, DEFAULT_SERVER_ERRORS)[status], SERVER_ERROR_MESSAGES[status]


@dataclass
class Fault:
    """What one request gets: latency (seconds, 0 for none) and an outcome (None: moto answers)."""

    latency: float
    outcome: str | None
    status5xx: int = 500


class Rule:
    def __init__(self, spec: dict, now: float):
        if not isinstance(spec, dict):
            raise ValueError("a rule is an object")
        unknown = set(spec) - RULE_KEYS
        if unknown:
            raise ValueError(f"unknown rule key(s) {sorted(unknown)}; known: {sorted(RULE_KEYS)}")
        self.spec = spec
        self.service = spec.get("service", "*")
        self.action = spec.get("action", "*")
        if not isinstance(self.service, str) or not isinstance(self.action, str):
            raise ValueError('"service" and "action" are strings ("*" for any)')
        self.rates = {}
        for name in OUTCOMES:
            rate = spec.get(name, 0)
            if isinstance(rate, bool) or not isinstance(rate, (int, float)) or not 0 <= rate <= 1:
                raise ValueError(f'"{name}" must be a rate between 0 and 1')
            self.rates[name] = float(rate)
        if sum(self.rates.values()) > 1 + 1e-9:
            raise ValueError(f"the rates of a rule add up to more than 1: {self.rates}")
        self.status5xx = spec.get("status5xx", 500)
        if self.status5xx not in (500, 503):
            raise ValueError('"status5xx" is 500 or 503')
        latency = spec.get("latencyMs", 0)
        if isinstance(latency, dict):
            if set(latency) - {"min", "max"} or not {"min", "max"} <= set(latency):
                raise ValueError('"latencyMs" is a number or {"min": ms, "max": ms}')
            self.latency = (_number(latency["min"], "latencyMs.min"), _number(latency["max"], "latencyMs.max"))
            if self.latency[0] > self.latency[1]:
                raise ValueError('"latencyMs": min > max')
        else:
            ms = _number(latency, "latencyMs")
            self.latency = (ms, ms)
        until = spec.get("until")
        if isinstance(until, (int, float)) and not isinstance(until, bool):
            until = {"seconds": until}
        if until is not None and (not isinstance(until, dict) or set(until) - {"seconds", "count"}):
            raise ValueError('"until" is seconds or {"seconds": s, "count": n}')
        until = until or {}
        self.expires = now + _number(until["seconds"], "until.seconds") if "seconds" in until else None
        count = until.get("count")
        if count is not None and (isinstance(count, bool) or not isinstance(count, int) or count < 0):
            raise ValueError('"until.count" is a whole number >= 0')
        self.count_limit = count
        self.matched = 0
        self.injected = {name: 0 for name in (*OUTCOMES, "delayed")}
        self.faults = 0

    def live(self, now: float) -> bool:
        if self.expires is not None and now >= self.expires:
            return False
        return self.count_limit is None or self.faults < self.count_limit

    def matches(self, req: FrontRequest) -> bool:
        return self.service in ("*", req.service) and self.action in ("*", req.action)

    def draw(self, rng: random.Random) -> Fault:
        lo, hi = self.latency
        latency = (lo if lo == hi else rng.uniform(lo, hi)) / 1000.0
        outcome, u, edge = None, rng.random(), 0.0
        for name in OUTCOMES:
            edge += self.rates[name]
            if self.rates[name] > 0 and u < edge:
                outcome = name
                break
        self.matched += 1
        if latency > 0:
            self.injected["delayed"] += 1
        if outcome is not None:
            self.injected[outcome] += 1
        if latency > 0 or outcome is not None:
            self.faults += 1
        return Fault(latency, outcome, self.status5xx)

    def describe(self, now: float) -> dict:
        out = dict(self.spec)
        out["state"] = {"live": self.live(now), "matched": self.matched, "injected": dict(self.injected),
                        "expiresInSeconds": None if self.expires is None else round(max(0.0, self.expires - now), 3),
                        "faultsLeft": None if self.count_limit is None else max(0, self.count_limit - self.faults)}
        return out


def _number(value, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
        raise ValueError(f'"{name}" must be a number >= 0')
    return float(value)


class Faults:
    """The rule list and its control endpoint."""

    def __init__(self):
        self._lock = threading.Lock()
        self._rules: list[Rule] = []
        self._seed = None
        self._rng = random.Random()

    def draw(self, req: FrontRequest) -> Fault | None:
        if req.service == "moto-api":
            return None
        now = time.monotonic()
        with self._lock:
            for rule in self._rules:
                if rule.live(now) and rule.matches(req):
                    fault = rule.draw(self._rng)
                    return fault if fault.latency > 0 or fault.outcome else None
        return None

    def replace(self, body) -> None:
        seed = None
        if isinstance(body, dict):
            if set(body) - {"rules", "seed"}:
                raise ValueError('expected a list of rules or {"rules": [...], "seed": N}')
            seed = body.get("seed")
            if seed is not None and (isinstance(seed, bool) or not isinstance(seed, int)):
                raise ValueError('"seed" is a whole number')
            body = body.get("rules", [])
        if not isinstance(body, list):
            raise ValueError('expected a list of rules or {"rules": [...], "seed": N}')
        now = time.monotonic()
        rules = [Rule(spec, now) for spec in body]
        with self._lock:
            self._rules = rules
            self._seed = seed
            self._rng = random.Random(seed)

    def as_dict(self) -> dict:
        now = time.monotonic()
        with self._lock:
            return {"rules": [r.describe(now) for r in self._rules], "seed": self._seed}

    # -- control endpoint (registered by Front) --------------------------------------------------------
    def control_get(self, environ, body):
        from .front import json_reply

        return json_reply(self.as_dict())

    def control_put(self, environ, body):
        from .front import json_reply

        self.replace(json.loads(body.decode() or "[]"))
        return json_reply(self.as_dict())

    def control_delete(self, environ, body):
        from .front import json_reply

        self.replace([])
        return json_reply(self.as_dict())
