"""Route 53 health checks that keep CallerReference promises and cannot be deleted while in use.

moto 5.2.5 creates a new health check for every CreateHealthCheck, even one that repeats a CallerReference,
and deletes a health check that a record set still names. Route 53 answers a repeated CallerReference with
the existing health check when the settings match and HealthCheckAlreadyExists (409) when they do not or
when that health check was deleted; and refuses DeleteHealthCheck with HealthCheckInUse (400) while a
record references it. The operator's crash safety and its deletion order rest on exactly that, so the
front wraps moto's Route 53 backend (moto stays the only state).
"""
from __future__ import annotations

import threading

from moto.route53.exceptions import Route53ClientError
from moto.route53.models import Route53Backend

# What CreateHealthCheck settings Route 53 compares for a repeated CallerReference.
COMPARED = ("type", "fqdn", "ip_address", "port", "resource_path", "search_string", "request_interval",
            "failure_threshold", "enable_sni", "inverted", "disabled", "measure_latency")


class HealthCheckAlreadyExists(Route53ClientError):
    code = "HealthCheckAlreadyExists"

    def __init__(self, reference: str) -> None:
        super().__init__("HealthCheckAlreadyExists",
                         f"A health check with CallerReference {reference} already exists or was deleted, with other settings.")


class HealthCheckInUse(Route53ClientError):
    code = "HealthCheckInUse"

    def __init__(self, health_check_id: str) -> None:
        super().__init__("HealthCheckInUse", f"The health check {health_check_id} is still referenced from a resource record set.")


BOOLEANS = {"enable_sni", "inverted", "disabled", "measure_latency"}


def _settings(args: dict) -> dict:
    defaults = {"port": 80, "request_interval": 30, "failure_threshold": 3}
    out = {}
    for k in COMPARED:
        value = args.get(k) if args.get(k) is not None else defaults.get(k)
        out[k] = bool(value) if k in BOOLEANS else (str(value) if value is not None else None)
    return out


def _existing_settings(hc) -> dict:
    return _settings({"type": hc.type_, "fqdn": hc.fqdn, "ip_address": hc.ip_address, "port": hc.port,
                      "resource_path": hc.resource_path, "search_string": hc.search_string,
                      "request_interval": hc.request_interval, "failure_threshold": hc.failure_threshold,
                      "enable_sni": hc.enable_sni, "inverted": hc.inverted, "disabled": hc.disabled,
                      "measure_latency": hc.measure_latency})


class Route53HealthChecks:
    def __init__(self):
        self.lock = threading.RLock()
        self.deleted_references: dict[str, set[str]] = {}

    def install(self) -> None:
        original_create = Route53Backend.create_health_check
        original_delete = Route53Backend.delete_health_check
        front = self

        def create_health_check(backend, caller_reference, health_check_args):
            with front.lock:
                for hc in backend.health_checks.values():
                    if hc.caller_reference == caller_reference:
                        if _existing_settings(hc) == _settings(health_check_args):
                            return hc
                        raise HealthCheckAlreadyExists(caller_reference)
                if caller_reference in front.deleted_references.get(backend.account_id, set()):
                    raise HealthCheckAlreadyExists(caller_reference)
                return original_create(backend, caller_reference, health_check_args)

        def delete_health_check(backend, health_check_id):
            with front.lock:
                for zone in backend.zones.values():
                    for rrset in zone.rrsets:
                        if rrset.health_check_id == health_check_id:
                            raise HealthCheckInUse(health_check_id)
                hc = backend.health_checks.get(health_check_id)
                if hc is not None:
                    front.deleted_references.setdefault(backend.account_id, set()).add(hc.caller_reference)
                return original_delete(backend, health_check_id)

        Route53Backend.create_health_check = create_health_check
        Route53Backend.delete_health_check = delete_health_check
