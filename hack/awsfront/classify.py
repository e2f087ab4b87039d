"""Names each request by AWS service and action, the way hooks, counters and (later) faults key them.

- service: the SigV4 signing name from the Authorization header's credential scope, normalised to the
  name boto3 uses ("elasticfilesystem" -> "efs"); unsigned STS calls (AssumeRoleWithWebIdentity) are "sts".
- action: "Action" of the query protocols (RDS, EC2, STS, IAM), the X-Amz-Target operation of the JSON
  protocol, and for the REST protocols (S3, EFS) the operation whose HTTP method, URI template, literal
  query keys and required query/header members fit the request, read from botocore's service model.
"""
from __future__ import annotations

import io
import re
import threading
from dataclasses import dataclass, field
from urllib.parse import parse_qs, unquote

# Signing names whose boto3 service name differs.
SIGNING_TO_SERVICE = {
    "elasticfilesystem": "efs",
    "monitoring": "cloudwatch",
    "email": "ses",
    "states": "stepfunctions",
    "execute-api": "apigateway",
    "elasticloadbalancing": "elbv2",
    "cognito-identity": "cognito-identity",
}
UNSIGNED_ACTIONS = {"AssumeRoleWithWebIdentity": "sts", "AssumeRoleWithSAML": "sts"}

_CREDENTIAL = re.compile(r"Credential=([^/,\s]+)/\d{8}/([^/]+)/([^/]+)/aws4_request")


@dataclass
class FrontRequest:
    """What the front knows of one request before moto sees it."""

    method: str
    path: str
    query: dict[str, list[str]]
    service: str
    action: str
    region: str | None
    access_key: str | None
    headers: dict[str, str] = field(repr=False)
    form: dict[str, list[str]] = field(default_factory=dict, repr=False)

    def param(self, name: str) -> str | None:
        """A query-protocol parameter (form body first, then the query string)."""
        for source in (self.form, self.query):
            if name in source:
                return source[name][0]
        return None


def _headers(environ) -> dict[str, str]:
    out = {}
    for key, value in environ.items():
        if key.startswith("HTTP_"):
            out[key[5:].replace("_", "-").lower()] = value
    if "CONTENT_TYPE" in environ:
        out["content-type"] = environ["CONTENT_TYPE"]
    if "CONTENT_LENGTH" in environ:
        out["content-length"] = environ["CONTENT_LENGTH"]
    return out


def _read_form(environ) -> dict[str, list[str]]:
    """Reads a form-encoded body and puts it back for moto, as moto's own dispatcher does."""
    if not environ.get("CONTENT_TYPE", "").startswith("application/x-www-form-urlencoded"):
        return {}
    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return {}
    if length <= 0:
        return {}
    body = environ["wsgi.input"].read(length)
    environ["wsgi.input"] = io.BytesIO(body)
    return parse_qs(body.decode("utf-8", "replace"), keep_blank_values=True)


def classify(environ) -> FrontRequest:
    path = environ.get("PATH_INFO", "") or "/"
    if isinstance(path, bytes):
        path = path.decode("utf-8", "replace")
    query = parse_qs(environ.get("QUERY_STRING", ""), keep_blank_values=True)
    headers = _headers(environ)
    method = environ.get("REQUEST_METHOD", "GET").upper()
    service, region, access_key = "unknown", None, None
    match = _CREDENTIAL.search(headers.get("authorization", ""))
    if match:
        access_key, region, signing = match.group(1), match.group(2), match.group(3).lower()
        service = SIGNING_TO_SERVICE.get(signing, signing)
    form = _read_form(environ)
    req = FrontRequest(method, path, query, service, "", region, access_key, headers, form)
    if path.startswith("/moto-api"):
        req.service, req.action = "moto-api", path
        return req
    target = headers.get("x-amz-target")
    action = req.param("Action")
    if service == "unknown" and action in UNSIGNED_ACTIONS:
        req.service = UNSIGNED_ACTIONS[action]
    if action:
        req.action = action
    elif target:
        req.action = target.rsplit(".", 1)[-1]
    else:
        req.action = RestOperations.get(req.service).match(req) or f"{method} {path}"
    return req


class RestOperations:
    """Operation lookup for one REST-protocol service from botocore's model (loaded once, lazily)."""

    _cache: dict[str, "RestOperations"] = {}
    _lock = threading.Lock()

    def __init__(self, service: str):
        self.service = service
        self.ops: list[tuple[str, re.Pattern, list[tuple[str, str | None]], list[str], int, str]] = []
        try:
            import botocore.session

            model = botocore.session.get_session().get_service_model(service)
        except Exception:  # unknown service: requests keep "METHOD /path" as their action
            return
        if not model.protocol.startswith("rest"):
            return
        for name in model.operation_names:
            op = model.operation_model(name)
            uri = op.http.get("requestUri", "/")
            path_part, _, query_part = uri.partition("?")
            literal_query: list[tuple[str, str | None]] = []
            for item in filter(None, query_part.split("&")):
                key, eq, value = item.partition("=")
                literal_query.append((key, value if eq else None))
            required_query, required_headers = [], []
            shape = op.input_shape
            if shape is not None:
                for member in shape.required_members:
                    ser = shape.members[member].serialization
                    if ser.get("location") == "querystring":
                        required_query.append((ser.get("name", member), None))
                    elif ser.get("location") == "header":
                        required_headers.append(ser.get("name", member).lower())
            regex, literal_len = self._path_regex(path_part)
            self.ops.append(
                (op.http.get("method", "GET").upper(), regex, literal_query + required_query, required_headers,
                 literal_len, name))

    @staticmethod
    def _path_regex(template: str) -> tuple[re.Pattern, int]:
        out, literal, pos = [], 0, 0
        for m in re.finditer(r"\{([^}]+)\}", template):
            text = template[pos:m.start()]
            out.append(re.escape(text))
            literal += len(text)
            out.append(".+" if m.group(1).endswith("+") else "[^/]+")
            pos = m.end()
        out.append(re.escape(template[pos:]))
        literal += len(template[pos:])
        return re.compile("^" + "".join(out).rstrip("/") + "/?$"), literal

    @classmethod
    def get(cls, service: str) -> "RestOperations":
        with cls._lock:
            if service not in cls._cache:
                cls._cache[service] = RestOperations(service)
            return cls._cache[service]

    def match(self, req: FrontRequest) -> str | None:
        if not self.ops:
            return None
        path = unquote(req.path)
        if self.service == "s3":
            bucket = _virtual_host_bucket(req.headers.get("host", ""))
            if bucket:
                path = "/" + bucket + (path if path != "/" else "")
        best, best_score = None, None
        for method, regex, query_reqs, header_reqs, literal_len, name in self.ops:
            if method != req.method or not regex.match(path):
                continue
            if any(key not in req.query or (value is not None and req.query[key][0] != value) for key, value in query_reqs):
                continue
            if any(h not in req.headers for h in header_reqs):
                continue
            score = (len(query_reqs) + len(header_reqs), literal_len)
            if best_score is None or score > best_score:
                best, best_score = name, score
        return best


def _virtual_host_bucket(host: str) -> str | None:
    host = host.rsplit(":", 1)[0] if not host.startswith("[") else host
    m = re.match(r"^(.+?)\.s3[.-]", host)
    if m:
        return m.group(1)
    if host.endswith(".localhost"):
        return host[: -len(".localhost")]
    return None
