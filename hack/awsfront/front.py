"""The WSGI middleware around moto's own dispatcher.

Every request is named (service, action) by classify(), counted, given the fault its rule draws
(faults.py: latency, the service's throttling error, a 5xx, a connection reset), and passed through the
hooks registered for its (service, action), (service, "*") and ("*", "*"). A hook receives the
FrontRequest and may return a Reply to answer instead of moto; returning None lets the request through.
Paths under /_awsfront/ are the front's own JSON control endpoints.

RDS requests are served one at a time (one lock, also taken by the state timers): moto's RDS backend
iterates and edits plain dicts, and the front edits the same objects from its timer thread. EFS likewise
once serialize("efs", lock) was called.

A connection reset needs the server's help: serve the front with make_front_server() (its request handler
closes the socket with SO_LINGER 0, which sends a TCP RST, after the app raised ConnectionResetError).
"""
from __future__ import annotations

import json
import logging
import socket
import struct
import threading
import time
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Callable, Iterable
from xml.sax.saxutils import escape

from .classify import FrontRequest, classify
from .faults import Fault, Faults, server_error_answer, throttle_answer

log = logging.getLogger("awsfront.faults")

CONTROL_PREFIX = "/_awsfront"


@dataclass
class Reply:
    status: int
    body: bytes
    headers: list[tuple[str, str]] = field(default_factory=list)


Hook = Callable[[FrontRequest], "Reply | None"]

# Protocol of the services the test bed uses, for errors the front itself answers.
QUERY_XML = {"rds", "sts", "iam", "sns", "elasticache", "cloudformation", "autoscaling"}
JSON_REST = {"efs", "lambda"}
# REST-XML services whose errors are wrapped as the query protocol's (S3's are a bare <Error>).
REST_XML_WRAPPED = {"cloudfront", "route53"}


def aws_error(req: FrontRequest, status: int, code: str, message: str) -> Reply:
    """An error in the wire format the SDKs parse for req's service, e.g. for a throttling fault."""
    request_id = str(uuid.uuid4())
    if req.service in JSON_REST or "x-amz-target" in req.headers:
        body = json.dumps({"__type": code, "ErrorCode": code, "message": message, "Message": message}).encode()
        return Reply(status, body, [("Content-Type", "application/json"), ("x-amzn-ErrorType", code),
                                    ("x-amzn-RequestId", request_id)])
    if req.service == "ec2":
        body = (f"<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response><Errors><Error><Code>{escape(code)}</Code>"
                f"<Message>{escape(message)}</Message></Error></Errors><RequestID>{request_id}</RequestID></Response>")
    elif req.service in QUERY_XML or req.service in REST_XML_WRAPPED:
        kind = "Receiver" if status >= 500 else "Sender"
        body = (f"<ErrorResponse><Error><Type>{kind}</Type><Code>{escape(code)}</Code><Message>{escape(message)}"
                f"</Message></Error><RequestId>{request_id}</RequestId></ErrorResponse>")
    else:  # S3 and other REST-XML services
        body = (f"<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>{escape(code)}</Code><Message>{escape(message)}"
                f"</Message><RequestId>{request_id}</RequestId></Error>")
    return Reply(status, body.encode(), [("Content-Type", "text/xml"), ("x-amzn-RequestId", request_id)])


def json_reply(obj, status: int = 200) -> Reply:
    return Reply(status, (json.dumps(obj, indent=2, sort_keys=True) + "\n").encode(),
                 [("Content-Type", "application/json")])


FAULT_COUNTERS = {"throttle": "throttled", "error5xx": "error5xx", "reset": "reset", "resetAfter": "resetAfter",
                  "delayed": "delayed"}


class RequestCounters:
    """Requests and error answers (status >= 400, moto's, a hook's or a fault's) by service and action, and
    the faults injected: throttled, error5xx, reset (no answer, moto not called), resetAfter (moto did the
    call, the client got a reset) and delayed."""

    def __init__(self):
        self._lock = threading.Lock()
        self._requests: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
        self._errors: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
        self._faults: dict[str, dict[str, dict[str, int]]] = defaultdict(lambda: defaultdict(lambda: defaultdict(int)))

    def count(self, service: str, action: str) -> None:
        with self._lock:
            self._requests[service][action] += 1

    def error(self, service: str, action: str) -> None:
        with self._lock:
            self._errors[service][action] += 1

    def fault(self, service: str, action: str, kind: str) -> None:
        with self._lock:
            self._faults[service][action][FAULT_COUNTERS[kind]] += 1

    def snapshot(self) -> dict:
        with self._lock:
            requests = {s: dict(a) for s, a in self._requests.items()}
            errors = {s: dict(a) for s, a in self._errors.items()}
            faults = {s: {a: dict(k) for a, k in acts.items()} for s, acts in self._faults.items()}
        totals = {name: 0 for name in FAULT_COUNTERS.values()}
        for acts in faults.values():
            for kinds in acts.values():
                for name, n in kinds.items():
                    totals[name] += n
        return {"total": sum(sum(a.values()) for a in requests.values()), "requests": requests, "errors": errors,
                "faults": faults, "faultTotals": totals}

    def reset(self) -> None:
        with self._lock:
            self._requests.clear()
            self._errors.clear()
            self._faults.clear()


class Front:
    """WSGI app: control endpoints, then hooks, then moto."""

    def __init__(self, moto_app, rds_lock: threading.RLock | None = None):
        self.moto_app = moto_app
        self.rds_lock = rds_lock or threading.RLock()
        self._service_locks: dict[str, threading.RLock] = {"rds": self.rds_lock}
        self.counters = RequestCounters()
        self.faults = Faults()
        self._hooks: dict[tuple[str, str], list[Hook]] = defaultdict(list)
        # path under /_awsfront -> {method: handler(environ, body) -> Reply}
        self._control: dict[str, dict[str, Callable[[dict, bytes], Reply]]] = {}
        self.control("/requests", "GET", lambda env, body: json_reply(self.counters.snapshot()))
        self.control("/requests", "DELETE", self._reset_counters)
        self.control("/faults", "GET", self.faults.control_get)
        self.control("/faults", "PUT", self.faults.control_put)
        self.control("/faults", "POST", self.faults.control_put)
        self.control("/faults", "DELETE", self.faults.control_delete)
        self.control("", "GET", lambda env, body: json_reply({"endpoints": sorted(CONTROL_PREFIX + p for p in self._control)}))

    def _reset_counters(self, environ, body) -> Reply:
        self.counters.reset()
        return json_reply(self.counters.snapshot())

    def hook(self, service: str, action: str, fn: Hook) -> None:
        """Runs fn before moto for (service, action); "*" matches any. Hooks run in registration order."""
        self._hooks[(service, action)].append(fn)

    def serialize(self, service: str, lock: threading.RLock) -> None:
        """Serves service's requests one at a time under lock (which its state timers take too)."""
        self._service_locks[service] = lock

    def control(self, path: str, method: str, handler: Callable[[dict, bytes], Reply]) -> None:
        self._control.setdefault(path, {})[method] = handler

    def _hooks_for(self, req: FrontRequest) -> Iterable[Hook]:
        for key in ((req.service, req.action), (req.service, "*"), ("*", "*")):
            yield from self._hooks.get(key, ())

    def __call__(self, environ, start_response):
        path = environ.get("PATH_INFO", "")
        if path == CONTROL_PREFIX or path.startswith(CONTROL_PREFIX + "/"):
            return self._serve_control(environ, start_response, path[len(CONTROL_PREFIX):].rstrip("/"))
        req = classify(environ)
        self.counters.count(req.service, req.action)
        fault = self.faults.draw(req)
        if fault is not None:
            reply = self._inject(environ, req, fault)
            if reply is not None:
                if req.method == "HEAD":  # as S3 answers a HEAD: status and headers only
                    reply.body = b""
                self.counters.error(req.service, req.action)
                return self._send(start_response, reply)
        for fn in self._hooks_for(req):
            reply = fn(req)
            if reply is not None:
                if reply.status >= 400:
                    self.counters.error(req.service, req.action)
                return self._send(start_response, reply)

        def counting_start_response(status, headers, exc_info=None):
            if int(status.split(" ", 1)[0]) >= 400:
                self.counters.error(req.service, req.action)
            return start_response(status, headers, exc_info)

        if fault is not None and fault.outcome == "resetAfter":
            # moto does the call (its effects stay), then the client gets a reset instead of the answer.
            self._call_moto(req, environ, lambda status, headers, exc_info=None: None)
            self.counters.fault(req.service, req.action, "resetAfter")
            log.info("reset after moto: %s %s", req.service, req.action)
            reset_connection(environ)
        return self._call_moto(req, environ, counting_start_response)

    def _call_moto(self, req: FrontRequest, environ, start_response):
        lock = self._service_locks.get(req.service)
        if lock is None:
            return self.moto_app(environ, start_response)
        with lock:
            # Rendered inside the lock: the body reflects the state this request saw.
            result = self.moto_app(environ, start_response)
            try:
                return [b"".join(result)]
            finally:
                if hasattr(result, "close"):
                    result.close()

    def _inject(self, environ, req: FrontRequest, fault: Fault) -> Reply | None:
        """Sleeps the fault's latency; answers its throttle or 5xx, raises for a reset, None to go on."""
        if fault.latency > 0:
            time.sleep(fault.latency)
            self.counters.fault(req.service, req.action, "delayed")
        if fault.outcome == "throttle":
            self.counters.fault(req.service, req.action, "throttle")
            return aws_error(req, *throttle_answer(req))
        if fault.outcome == "error5xx":
            self.counters.fault(req.service, req.action, "error5xx")
            return aws_error(req, *server_error_answer(req, fault.status5xx))
        if fault.outcome == "reset":
            self.counters.fault(req.service, req.action, "reset")
            log.info("reset: %s %s", req.service, req.action)
            reset_connection(environ)
        return None

    def _serve_control(self, environ, start_response, sub: str):
        method = environ.get("REQUEST_METHOD", "GET").upper()
        handlers = self._control.get(sub)
        if handlers is None:
            return self._send(start_response, json_reply({"error": f"no such endpoint {CONTROL_PREFIX}{sub}"}, 404))
        handler = handlers.get(method)
        if handler is None:
            return self._send(start_response, json_reply({"error": f"{method} not allowed", "allowed": sorted(handlers)}, 405))
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        body = environ["wsgi.input"].read(length) if length > 0 else b""
        try:
            reply = handler(environ, body)
        except (ValueError, KeyError, TypeError) as e:
            reply = json_reply({"error": str(e)}, 400)
        return self._send(start_response, reply)

    @staticmethod
    def _send(start_response, reply: Reply):
        reasons = {200: "OK", 400: "Bad Request", 404: "Not Found", 405: "Method Not Allowed",
                   429: "Too Many Requests", 500: "Internal Server Error", 503: "Service Unavailable"}
        headers = list(reply.headers) + [("Content-Length", str(len(reply.body)))]
        start_response(f"{reply.status} {reasons.get(reply.status, 'Status')}", headers)
        return [reply.body]


RESET_KEY = "awsfront.reset"


def reset_connection(environ) -> None:
    """Ends this request with a TCP reset and no answer: SO_LINGER 0 on the socket, then an exception that
    werkzeug treats as a dropped connection; FrontRequestHandler closes the socket, which sends the RST."""
    sock = environ.get("werkzeug.socket")
    if sock is not None:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    environ[RESET_KEY] = True
    raise ConnectionResetError("awsfront: injected connection reset")


def make_front_server(host: str, port: int, app):
    """werkzeug's threaded server with moto's request handler, able to reset connections."""
    from moto.moto_server.werkzeug_app import MotoRequestHandler
    from werkzeug.serving import make_server

    class FrontRequestHandler(MotoRequestHandler):
        _reset = False

        def connection_dropped(self, error, environ=None):
            if environ is not None and environ.get(RESET_KEY):
                self._reset = True
                self.close_connection = True  # no next request on this connection
            super().connection_dropped(error, environ)

        def finish(self):
            super().finish()  # closes the socket's file objects, so close() below really closes it
            if self._reset:
                # With SO_LINGER 0 this close sends RST, before the server's shutdown(SHUT_WR) could send
                # a FIN (that call then fails on the closed socket, which socketserver ignores).
                self.connection.close()

    return make_server(host, port, app, threaded=True, request_handler=FrontRequestHandler)
