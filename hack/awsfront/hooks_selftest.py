"""Checks the hook API the fault injection will use: a hook per (service, action) answers instead of moto
with aws_error(), in each wire protocol of the test bed's services, and the SDK parses the error.
Runs in-process on a free port: PYTHONPATH=hack python hack/awsfront/hooks_selftest.py
"""
import logging
import socket
import sys
import threading

import boto3
from botocore.config import Config
from moto.moto_server.werkzeug_app import DomainDispatcherApplication, MotoRequestHandler, create_backend_app
from werkzeug.serving import make_server

from awsfront.front import Front, aws_error

CASES = [  # service, boto3 call, injected code, HTTP status
    ("rds", "describe_db_instances", "DescribeDBInstances", "Throttling", 400),
    ("ec2", "describe_vpcs", "DescribeVpcs", "RequestLimitExceeded", 503),
    ("efs", "describe_file_systems", "DescribeFileSystems", "ThrottlingException", 429),
    ("s3", "list_buckets", "ListBuckets", "SlowDown", 503),
    ("sts", "get_caller_identity", "GetCallerIdentity", "InternalFailure", 500),
]

logging.getLogger("werkzeug").setLevel(logging.WARNING)
front = Front(DomainDispatcherApplication(create_backend_app))
for service, _, action, code, status in CASES:
    front.hook(service, action, lambda req, c=code, s=status: aws_error(req, s, c, "injected by a hook"))
with socket.socket() as s:
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
server = make_server("127.0.0.1", port, front, threaded=True, request_handler=MotoRequestHandler)
threading.Thread(target=server.serve_forever, daemon=True).start()
kw = dict(region_name="eu-west-1", endpoint_url=f"http://127.0.0.1:{port}", aws_access_key_id="testing",
          aws_secret_access_key="testing", config=Config(retries={"total_max_attempts": 1, "mode": "standard"}))
failed = False
for service, call, action, code, status in CASES:
    try:
        getattr(boto3.client(service, **kw), call)()
        got = None
    except Exception as e:  # noqa: BLE001
        got = (getattr(e, "response", {}).get("Error", {}).get("Code"),
               getattr(e, "response", {}).get("ResponseMetadata", {}).get("HTTPStatusCode"))
    ok = got == (code, status)
    failed |= not ok
    print(f"{'ok  ' if ok else 'FAIL'} hook on {service}/{action}: the SDK sees {got}")
# Other actions of the same services still reach moto.
subnet_groups = boto3.client("rds", **kw).describe_db_subnet_groups()["DBSubnetGroups"]
errors = front.counters.snapshot()["errors"]
ok = subnet_groups == [] and all(errors[s][a] == 1 for s, _, a, _, _ in CASES)
failed |= not ok
print(f"{'ok  ' if ok else 'FAIL'} unhooked calls reach moto; injected errors counted once each: {errors}")
server.shutdown()
sys.exit(1 if failed else 0)
