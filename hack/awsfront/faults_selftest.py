"""Checks the fault proxy and EFS state durations: every fault type through /_awsfront/faults, each
service's throttling and 5xx answers on the wire and as boto3 parses them, resets seen on a raw socket,
the per-fault counters, rule limits, and EFS creating/deleting. In-process on a free port, no databases:
    PYTHONPATH=hack ~/.cache/donation-operator/moto-5.2.5/bin/python hack/awsfront/faults_selftest.py
"""
from __future__ import annotations

import json
import logging
import socket
import sys
import threading
import time
import urllib.request
import xml.etree.ElementTree as ET

import boto3
from botocore.config import Config as BotoConfig
from botocore.exceptions import ClientError
from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app

from awsfront.config import Config
from awsfront.efs import EfsLifecycle
from awsfront.front import Front, make_front_server
from awsfront.rds import RdsLifecycle

REGION = "eu-west-1"
logging.getLogger("werkzeug").setLevel(logging.WARNING)
logging.getLogger("awsfront").setLevel(logging.WARNING)

config = Config({"creating": 0, "modifying": 0, "backing-up": 0, "deleting": 0})
rds_lock, efs_lock = threading.RLock(), threading.RLock()
rds_life = RdsLifecycle(config, rds_lock, None, "/tmp")
rds_life.install()
EfsLifecycle(config, efs_lock, rds_life.scheduler).install()
front = Front(DomainDispatcherApplication(create_backend_app), rds_lock)
front.serialize("efs", efs_lock)
front.control("/config", "GET", config.control_get)
front.control("/config", "POST", config.control_post)
with socket.socket() as s:
    s.bind(("127.0.0.1", 0))
    PORT = s.getsockname()[1]
server = make_front_server("127.0.0.1", PORT, front)
threading.Thread(target=server.serve_forever, daemon=True).start()
ENDPOINT = f"http://127.0.0.1:{PORT}"
failed = False


def check(cond, msg):
    global failed
    failed |= not cond
    print(f"{'ok  ' if cond else 'FAIL'} {msg}", flush=True)


def control(path, method="GET", body=None):
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(ENDPOINT + "/_awsfront" + path, data=data, method=method)
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            return r.status, json.load(r)
    except urllib.error.HTTPError as e:
        return e.code, json.load(e)


def faults(rules, seed=None):
    status, body = control("/faults", "PUT", {"rules": rules, "seed": seed} if seed is not None else rules)
    assert status == 200, body
    control("/requests", "DELETE")


def client(service, attempts=1, mode="standard"):
    return boto3.client(service, region_name=REGION, endpoint_url=ENDPOINT, aws_access_key_id="testing",
                        aws_secret_access_key="testing",
                        config=BotoConfig(retries={"total_max_attempts": attempts, "mode": mode}))


def sdk_error(fn, **kw):
    try:
        fn(**kw)
        return None
    except ClientError as e:
        return e.response["Error"]["Code"], e.response["ResponseMetadata"]["HTTPStatusCode"]


def raw(service, method="GET", path="/", body=b"", extra=None):
    """A request named like the SDK's (credential scope), answered by the front: (status, headers, body)."""
    conn = socket.create_connection(("127.0.0.1", PORT), timeout=10)
    headers = {"Host": f"127.0.0.1:{PORT}", "Content-Length": str(len(body)), "Connection": "close",
               "Authorization": f"AWS4-HMAC-SHA256 Credential=testing/20250101/{REGION}/{service}/aws4_request, "
                                "SignedHeaders=host, Signature=0"}
    headers.update(extra or {})
    conn.sendall(f"{method} {path} HTTP/1.1\r\n".encode() + "".join(f"{k}: {v}\r\n" for k, v in headers.items()).encode()
                 + b"\r\n" + body)
    data = b""
    try:
        while chunk := conn.recv(65536):
            data += chunk
    except ConnectionResetError:
        return "RST", data
    finally:
        conn.close()
    if not data:
        return "EOF", data
    head, _, payload = data.partition(b"\r\n\r\n")
    lines = head.decode().split("\r\n")
    return int(lines[0].split()[1]), {k.lower(): v.strip() for k, _, v in (l.partition(":") for l in lines[1:])}, payload


def local(tag):
    return tag.rsplit("}", 1)[-1]


# ---- throttling, per service: status, code, wire shape, and what boto3 makes of it ---------------------
SERVICES = [  # service, boto3 call, raw request (method, path, form body, extra headers), status, code, shape
    ("rds", "describe_db_instances", ("POST", "/", b"Action=DescribeDBInstances&Version=2014-10-31",
                                      {"Content-Type": "application/x-www-form-urlencoded"}), 400, "Throttling",
     "ErrorResponse/Error/Code"),
    ("ec2", "describe_vpcs", ("POST", "/", b"Action=DescribeVpcs&Version=2016-11-15",
                              {"Content-Type": "application/x-www-form-urlencoded"}), 503, "RequestLimitExceeded",
     "Response/Errors/Error/Code"),
    ("efs", "describe_file_systems", ("GET", "/2015-02-01/file-systems", b"", {}), 429, "ThrottlingException", "json"),
    ("s3", "list_buckets", ("GET", "/", b"", {}), 503, "SlowDown", "Error/Code"),
    ("cloudfront", "list_distributions", ("GET", "/2020-05-31/distribution", b"", {}), 400, "Throttling",
     "ErrorResponse/Error/Code"),
    ("route53", "list_hosted_zones", ("GET", "/2013-04-01/hostedzone", b"", {}), 400, "Throttling",
     "ErrorResponse/Error/Code"),
    ("sts", "get_caller_identity", ("POST", "/", b"Action=GetCallerIdentity&Version=2011-06-15",
                                    {"Content-Type": "application/x-www-form-urlencoded"}), 400, "Throttling",
     "ErrorResponse/Error/Code"),
]


def wire_code(status_headers_body, shape):
    status, headers, body = status_headers_body
    if shape == "json":
        return status, json.loads(body)["ErrorCode"], headers.get("x-amzn-errortype"), headers.get("content-type")
    root = ET.fromstring(body)
    path = shape.split("/")
    if local(root.tag) != path[0]:
        return status, f"root <{local(root.tag)}>", None, headers.get("content-type")
    node = root
    for name in path[1:]:
        node = next((c for c in node if local(c.tag) == name), None)
        if node is None:
            return status, f"no {name}", None, headers.get("content-type")
    return status, node.text, None, headers.get("content-type")


faults([{"service": s, "action": "*", "throttle": 1} for s, *_ in SERVICES])
for service, call, (method, path, body, extra), status, code, shape in SERVICES:
    got = sdk_error(getattr(client(service), call))
    check(got == (code, status), f"throttle {service}: boto3 sees {got}")
    wire = wire_code(raw(service, method, path, body, extra), shape)
    want = (status, code, code if shape == "json" else None)
    check(wire[:3] == want, f"throttle {service} on the wire: {wire} ({shape})")
head = raw("s3", "HEAD", "/some-bucket/some-key")
check(head[0] == 503 and head[2] == b"", f"throttle s3 HEAD: {head[0]} with headers only ({len(head[2])} body bytes)")
counts = control("/requests")[1]
check(counts["faultTotals"]["throttled"] == 2 * len(SERVICES) + 1 and counts["faults"]["rds"]["DescribeDBInstances"]["throttled"] == 2,
      f"throttled answers counted per service and action: {counts['faultTotals']}")
check(counts["errors"]["ec2"]["DescribeVpcs"] == 2, "throttled answers also count as errors")

# botocore's own retry logic takes them for throttling: standard mode retries them until it succeeds
# (its backoff, up to 2^attempt seconds, shortened here to keep the test short).
from botocore.retries import standard  # noqa: E402

standard.ExponentialBackoff.delay_amount = lambda self, context: 0.01
faults([{"service": "rds", "throttle": 0.5}, {"service": "efs", "throttle": 0.5}, {"service": "s3", "throttle": 0.5}],
       seed=7)
t0 = time.monotonic()
ok_calls = 0
for _ in range(8):
    client("rds", attempts=10).describe_db_instances()
    client("efs", attempts=10).describe_file_systems()
    client("s3", attempts=10).list_buckets()
    ok_calls += 3
counts = control("/requests")[1]
check(ok_calls == 24 and all(counts["faults"][s][a]["throttled"] > 0 for s, a in
                             (("rds", "DescribeDBInstances"), ("efs", "DescribeFileSystems"), ("s3", "ListBuckets"))),
      f"50 % throttling: 24 calls of boto3 (standard retries) succeed in {time.monotonic() - t0:.1f}s; "
      f"throttled {counts['faultTotals']['throttled']} of {counts['total']} requests")

# ---- 5xx ----------------------------------------------------------------------------------------------
faults([{"service": "rds", "error5xx": 1}, {"service": "ec2", "error5xx": 1, "status5xx": 503},
        {"service": "efs", "error5xx": 1}, {"service": "s3", "error5xx": 1, "status5xx": 503}])
for service, call, want in (("rds", "describe_db_instances", ("InternalFailure", 500)),
                            ("ec2", "describe_vpcs", ("Unavailable", 503)),
                            ("efs", "describe_file_systems", ("InternalServerError", 500)),
                            ("s3", "list_buckets", ("ServiceUnavailable", 503))):
    got = sdk_error(getattr(client(service), call))
    check(got == want, f"5xx {service}: boto3 sees {got}")
check(control("/requests")[1]["faultTotals"]["error5xx"] == 4, "5xx answers counted")

# ---- connection resets ---------------------------------------------------------------------------------
form = {"Content-Type": "application/x-www-form-urlencoded"}
create_pg = (b"Action=CreateDBParameterGroup&Version=2014-10-31&DBParameterGroupName={}"
             b"&DBParameterGroupFamily=mysql8.0&Description=faults")
faults([{"service": "rds", "action": "CreateDBParameterGroup", "reset": 1}])
got = raw("rds", "POST", "/", create_pg.replace(b"{}", b"reset-before"), form)
check(got[0] == "RST" and got[1] == b"", f"reset: the raw socket gets ECONNRESET and no byte ({got[0]})")
groups = {g["DBParameterGroupName"] for g in client("rds").describe_db_parameter_groups()["DBParameterGroups"]}
check("reset-before" not in groups, "reset: moto never saw the call")
faults([{"service": "rds", "action": "CreateDBParameterGroup", "resetAfter": 1}])
got = raw("rds", "POST", "/", create_pg.replace(b"{}", b"reset-after"), form)
groups = {g["DBParameterGroupName"] for g in client("rds").describe_db_parameter_groups()["DBParameterGroups"]}
check(got[0] == "RST" and "reset-after" in groups, f"resetAfter: {got[0]} on the socket, but moto created the group")
counts = control("/requests")[1]
check(counts["faults"]["rds"]["CreateDBParameterGroup"] == {"resetAfter": 1}, f"resetAfter counted: {counts['faults']}")
# boto3 retries a reset (a connection error) and then succeeds: the second attempt is not reset (count 1).
faults([{"service": "rds", "action": "DescribeDBInstances", "reset": 1, "until": {"count": 1}}])
client("rds", attempts=3).describe_db_instances()
counts = control("/requests")[1]
check(counts["requests"]["rds"]["DescribeDBInstances"] == 2 and counts["faultTotals"]["reset"] == 1,
      f"boto3 retried the reset: {counts['requests']['rds']}")
# the keep-alive connection that saw a reset is gone; the next request on a new one works
check(client("rds").describe_db_instances()["DBInstances"] == [], "after the count of 1, requests pass")

# ---- latency --------------------------------------------------------------------------------------------
sts, ec2 = client("sts"), client("ec2")
sts.get_caller_identity()
ec2.describe_vpcs()  # warm: moto's first EC2 call builds its backend
faults([{"service": "sts", "latencyMs": 300}, {"service": "ec2", "latencyMs": {"min": 100, "max": 200}}])
t0 = time.monotonic()
sts.get_caller_identity()
took = time.monotonic() - t0
check(took >= 0.3, f"latencyMs 300: GetCallerIdentity took {took:.2f}s")
t0 = time.monotonic()
ec2.describe_vpcs()
took = time.monotonic() - t0
check(0.1 <= took < 1.5, f"latencyMs 100..200: DescribeVpcs took {took:.2f}s")
counts = control("/requests")[1]
check(counts["faultTotals"]["delayed"] == 2 and counts["faults"]["sts"]["GetCallerIdentity"] == {"delayed": 1},
      "delayed answers counted")

# ---- rule limits, order, control endpoint ---------------------------------------------------------------
faults([{"service": "rds", "action": "DescribeDBInstances", "throttle": 1, "until": {"count": 2}},
        {"service": "rds", "action": "*", "error5xx": 1}])
codes = [sdk_error(client("rds").describe_db_instances) for _ in range(3)]
check(codes == [("Throttling", 400)] * 2 + [("InternalFailure", 500)],
      f"until count 2, then the next matching rule: {codes}")
check(sdk_error(client("rds").describe_db_subnet_groups) == ("InternalFailure", 500), "action * matches other actions")
faults([{"service": "*", "action": "GetCallerIdentity", "throttle": 1, "until": 0.3}])
first = sdk_error(client("sts").get_caller_identity)
time.sleep(0.35)
second = sdk_error(client("sts").get_caller_identity)
check(first == ("Throttling", 400) and second is None, f"until 0.3 s: {first}, then {second}")
state = control("/faults")[1]["rules"][0]["state"]
check(state["live"] is False and state["injected"]["throttle"] == 1 and state["matched"] == 1,
      f"GET /_awsfront/faults shows each rule's state: {state}")
for bad in ([{"service": "rds", "throttle": 1.5}], [{"service": "rds", "throttle": 0.6, "reset": 0.6}],
            [{"service": "rds", "latencyMs": {"min": 5}}], [{"service": "rds", "oops": 1}], {"rules": 3}):
    status, body = control("/faults", "PUT", bad)
    check(status == 400 and "error" in body, f"refused with 400: {json.dumps(bad)} ({body['error']})")
status, body = control("/faults", "DELETE")
check(status == 200 and body["rules"] == [], "DELETE clears the rules")
check(client("rds").describe_db_instances()["DBInstances"] == [], "no rules: requests reach moto")
faults([{"service": "*", "action": "*", "throttle": 1}])
moto_api = urllib.request.urlopen(ENDPOINT + "/moto-api/", timeout=10).status
check(moto_api == 200 and control("/requests")[0] == 200, "service * spares /moto-api/ and /_awsfront/")
control("/faults", "DELETE")

# ---- EFS state durations ---------------------------------------------------------------------------------
status, cfg = control("/config")
check(cfg["efs"]["delays"] == {"creating": 0.0, "deleting": 0.0} and "rds" in cfg, f"/_awsfront/config: efs {cfg['efs']}")
efs = client("efs")
fs = efs.create_file_system(CreationToken="instant")
check(fs["LifeCycleState"] == "available", "EFS delays 0: available at once (moto's behaviour)")
efs.delete_file_system(FileSystemId=fs["FileSystemId"])
check(sdk_error(efs.describe_file_systems, FileSystemId=fs["FileSystemId"]) == ("FileSystemNotFound", 404),
      "EFS delays 0: gone at once")
status, cfg = control("/config", "POST", {"efs": {"delays": {"creating": 0.6, "deleting": 0.6}}})
check(status == 200 and cfg["efs"]["delays"] == {"creating": 0.6, "deleting": 0.6}, "EFS delays set at run time")
ec2 = client("ec2")
vpc = ec2.create_vpc(CidrBlock="10.7.0.0/16")["Vpc"]["VpcId"]
subnet = ec2.create_subnet(VpcId=vpc, CidrBlock="10.7.1.0/24", AvailabilityZone=REGION + "a")["Subnet"]["SubnetId"]
t0 = time.monotonic()
fs_id = efs.create_file_system(CreationToken="slow")["FileSystemId"]
described = efs.describe_file_systems(FileSystemId=fs_id)["FileSystems"][0]["LifeCycleState"]
refused = sdk_error(efs.create_mount_target, FileSystemId=fs_id, SubnetId=subnet)
check(described == "creating" and refused == ("IncorrectFileSystemLifeCycleState", 409),
      f"file system creating; CreateMountTarget meanwhile {refused}")


def wait_state(fn, want, limit=5):
    seen = []
    t = time.monotonic()
    while time.monotonic() - t < limit:
        try:
            state = fn()
        except ClientError as e:
            state = e.response["Error"]["Code"]
        if not seen or seen[-1] != state:
            seen.append(state)
        if state == want:
            return seen, time.monotonic() - t
        time.sleep(0.05)
    return seen, None


seen, _ = wait_state(lambda: efs.describe_file_systems(FileSystemId=fs_id)["FileSystems"][0]["LifeCycleState"], "available")
took = time.monotonic() - t0
check(seen == ["creating", "available"] and 0.55 <= took < 2, f"file system {seen} in {took:.2f}s")
mt = efs.create_mount_target(FileSystemId=fs_id, SubnetId=subnet)
check(mt["LifeCycleState"] == "creating", "CreateMountTarget answers creating")
seen, _ = wait_state(lambda: efs.describe_mount_targets(MountTargetId=mt["MountTargetId"])["MountTargets"][0]["LifeCycleState"],
                     "available")
check(seen == ["creating", "available"], f"mount target {seen}")
efs.delete_mount_target(MountTargetId=mt["MountTargetId"])
state = efs.describe_mount_targets(FileSystemId=fs_id)["MountTargets"][0]["LifeCycleState"]
in_use = sdk_error(efs.delete_file_system, FileSystemId=fs_id)
check(state == "deleting" and in_use == ("FileSystemInUse", 409), f"mount target deleting; DeleteFileSystem {in_use}")
seen, _ = wait_state(lambda: efs.describe_mount_targets(MountTargetId=mt["MountTargetId"])["MountTargets"][0]["LifeCycleState"],
                     "MountTargetNotFound")
check(seen == ["deleting", "MountTargetNotFound"], f"mount target {seen}")
t0 = time.monotonic()
efs.delete_file_system(FileSystemId=fs_id)
state = efs.describe_file_systems(FileSystemId=fs_id)["FileSystems"][0]["LifeCycleState"]
again = sdk_error(efs.create_file_system, CreationToken="slow")
check(state == "deleting" and again == ("FileSystemAlreadyExists", 409), f"file system deleting; same token {again}")
seen, _ = wait_state(lambda: efs.describe_file_systems(FileSystemId=fs_id)["FileSystems"][0]["LifeCycleState"],
                     "FileSystemNotFound")
took = time.monotonic() - t0
check(seen == ["deleting", "FileSystemNotFound"] and 0.55 <= took < 2, f"file system {seen} in {took:.2f}s")
check(efs.create_file_system(CreationToken="slow")["LifeCycleState"] == "creating", "its token is free again")
control("/config", "POST", {"efs": {"delays": {"creating": 0, "deleting": 0}}})

server.shutdown()
print("faults_selftest passed" if not failed else "faults_selftest FAILED", flush=True)
sys.exit(1 if failed else 0)
