"""The WSGI middleware around moto's own dispatcher.

Every request is named (service, action) by classify(), counted, and passed through the hooks registered
for its (service, action), (service, "*") and ("*", "*"). A hook receives the FrontRequest and may return
a Reply to answer instead of moto (the place for latency, throttling and 5xx injection); returning None
lets the request through. Paths under /_awsfront/ are the front's own JSON control endpoints.

RDS requests are served one at a time (one lock, also taken by the state timers): moto's RDS backend
iterates and edits plain dicts, and the front edits the same objects from its timer thread.
"""
from __future__ import annotations

import json
import threading
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Callable, Iterable
from xml.sax.saxutils import escape

from .classify import FrontRequest, classify

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
    elif req.service in QUERY_XML:
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


class RequestCounters:
    """Requests and error answers (status >= 400, moto's or a hook's) by service and action."""

    def __init__(self):
        self._lock = threading.Lock()
        self._requests: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
        self._errors: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))

    def count(self, service: str, action: str) -> None:
        with self._lock:
            self._requests[service][action] += 1

    def error(self, service: str, action: str) -> None:
        with self._lock:
            self._errors[service][action] += 1

    def snapshot(self) -> dict:
        with self._lock:
            requests = {s: dict(a) for s, a in self._requests.items()}
            errors = {s: dict(a) for s, a in self._errors.items()}
        return {"total": sum(sum(a.values()) for a in requests.values()), "requests": requests, "errors": errors}

    def reset(self) -> None:
        with self._lock:
            self._requests.clear()
            self._errors.clear()


class Front:
    """WSGI app: control endpoints, then hooks, then moto."""

    def __init__(self, moto_app, rds_lock: threading.RLock | None = None):
        self.moto_app = moto_app
        self.rds_lock = rds_lock or threading.RLock()
        self.counters = RequestCounters()
        self._hooks: dict[tuple[str, str], list[Hook]] = defaultdict(list)
        # path under /_awsfront -> {method: handler(environ, body) -> Reply}
        self._control: dict[str, dict[str, Callable[[dict, bytes], Reply]]] = {}
        self.control("/requests", "GET", lambda env, body: json_reply(self.counters.snapshot()))
        self.control("/requests", "DELETE", self._reset_counters)
        self.control("", "GET", lambda env, body: json_reply({"endpoints": sorted(CONTROL_PREFIX + p for p in self._control)}))

    def _reset_counters(self, environ, body) -> Reply:
        self.counters.reset()
        return json_reply(self.counters.snapshot())

    def hook(self, service: str, action: str, fn: Hook) -> None:
        """Runs fn before moto for (service, action); "*" matches any. Hooks run in registration order."""
        self._hooks[(service, action)].append(fn)

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

        if req.service == "rds":
            with self.rds_lock:
                # Rendered inside the lock: the body reflects the state this request saw.
                result = self.moto_app(environ, counting_start_response)
                try:
                    return [b"".join(result)]
                finally:
                    if hasattr(result, "close"):
                        result.close()
        return self.moto_app(environ, counting_start_response)

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
        reasons = {200: "OK", 400: "Bad Request", 404: "Not Found", 405: "Method Not Allowed"}
        headers = list(reply.headers) + [("Content-Length", str(len(reply.body)))]
        start_response(f"{reply.status} {reasons.get(reply.status, 'Status')}", headers)
        return [reply.body]
