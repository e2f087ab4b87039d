"""Checks the front's CloudFront and Route 53 behaviour that the operator's failover relies on, with boto3
against an in-process front on a free port: PYTHONPATH=hack python hack/awsfront/failover_selftest.py
"""
import logging
import socket
import sys
import threading
import time

import boto3
from botocore.config import Config
from moto.moto_server.werkzeug_app import DomainDispatcherApplication, MotoRequestHandler, create_backend_app
from werkzeug.serving import make_server

from awsfront.cloudfront import CloudFrontDeployments
from awsfront.config import Config as FrontConfig
from awsfront.front import Front
from awsfront.route53 import Route53HealthChecks

logging.getLogger("werkzeug").setLevel(logging.WARNING)
CloudFrontDeployments(FrontConfig(cloudfront_deploying=0.5)).install()
Route53HealthChecks().install()
front = Front(DomainDispatcherApplication(create_backend_app))
with socket.socket() as s:
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
server = make_server("127.0.0.1", port, front, threaded=True, request_handler=MotoRequestHandler)
threading.Thread(target=server.serve_forever, daemon=True).start()
kw = dict(region_name="us-east-1", endpoint_url=f"http://127.0.0.1:{port}", aws_access_key_id="testing",
          aws_secret_access_key="testing", config=Config(retries={"total_max_attempts": 1, "mode": "standard"}))
failed = False


def check(ok, what):
    global failed
    failed |= not ok
    print(f"{'ok  ' if ok else 'FAIL'} {what}")


def code(call):
    try:
        call()
        return None
    except Exception as e:  # noqa: BLE001
        return getattr(e, "response", {}).get("Error", {}).get("Code")


cf = boto3.client("cloudfront", **kw)
origin = lambda i, d, p: {"Id": i, "DomainName": d, "CustomOriginConfig": {"HTTPPort": 80, "HTTPSPort": 443, "OriginProtocolPolicy": p}}
config = {
    "CallerReference": "selftest", "Comment": "selftest", "Enabled": True,
    "Origins": {"Quantity": 2, "Items": [origin("lb", "lb.example.com", "https-only"),
                                         origin("site", "b.s3-website-eu-west-1.amazonaws.com", "http-only")]},
    "OriginGroups": {"Quantity": 1, "Items": [{"Id": "group", "FailoverCriteria": {"StatusCodes": {"Quantity": 4, "Items": [500, 502, 503, 504]}},
                                               "Members": {"Quantity": 2, "Items": [{"OriginId": "lb"}, {"OriginId": "site"}]}}]},
    "DefaultCacheBehavior": {"TargetOriginId": "group", "ViewerProtocolPolicy": "redirect-to-https",
                             "CachePolicyId": "4135ea2d-6df8-44a3-9df3-4b5a84be39ad"},
}
created = cf.create_distribution_with_tags(DistributionConfigWithTags={"DistributionConfig": config, "Tags": {"Items": []}})
dist_id, etag = created["Distribution"]["Id"], created["ETag"]
check(created["Distribution"]["Status"] == "InProgress", "a new distribution is InProgress")
check(created["Distribution"]["DistributionConfig"]["DefaultCacheBehavior"]["TargetOriginId"] == "group",
      "a behaviour may target an origin group")
check(code(lambda: cf.create_distribution_with_tags(DistributionConfigWithTags={"DistributionConfig": config, "Tags": {"Items": []}}))
      == "DistributionAlreadyExists", "a repeated CallerReference is DistributionAlreadyExists")
current = cf.get_distribution_config(Id=dist_id)
disabled = dict(current["DistributionConfig"], Enabled=False)
check(code(lambda: cf.update_distribution(Id=dist_id, IfMatch="stale", DistributionConfig=disabled)) == "PreconditionFailed",
      "a stale If-Match is PreconditionFailed")
updated = cf.update_distribution(Id=dist_id, IfMatch=current["ETag"], DistributionConfig=disabled)
check(updated["ETag"] != current["ETag"], "an update gives a new ETag")
check(code(lambda: cf.delete_distribution(Id=dist_id, IfMatch=updated["ETag"])) == "DistributionNotDisabled",
      "deleting before the disabled distribution is Deployed is DistributionNotDisabled")
time.sleep(0.7)
check(cf.get_distribution(Id=dist_id)["Distribution"]["Status"] == "Deployed", "Deployed after the deploying delay")
check(code(lambda: cf.delete_distribution(Id=dist_id, IfMatch=updated["ETag"])) is None, "a disabled, deployed distribution is deleted")

r53 = boto3.client("route53", **kw)
zone = r53.create_hosted_zone(Name="selftest.example.org", CallerReference="selftest")["HostedZone"]["Id"]
hc_config = {"Type": "HTTPS", "FullyQualifiedDomainName": "a.selftest.example.org", "ResourcePath": "/", "Port": 443,
             "RequestInterval": 30, "FailureThreshold": 3, "EnableSNI": True}
first = r53.create_health_check(CallerReference="hc-1", HealthCheckConfig=hc_config)["HealthCheck"]["Id"]
again = r53.create_health_check(CallerReference="hc-1", HealthCheckConfig=hc_config)["HealthCheck"]["Id"]
check(first == again, "a repeated CallerReference with the same settings returns the same health check")
check(code(lambda: r53.create_health_check(CallerReference="hc-1", HealthCheckConfig=dict(hc_config, RequestInterval=10)))
      == "HealthCheckAlreadyExists", "a repeated CallerReference with other settings is HealthCheckAlreadyExists")
record = {"Name": "a.selftest.example.org", "Type": "A", "SetIdentifier": "p", "Failover": "PRIMARY", "HealthCheckId": first,
          "AliasTarget": {"HostedZoneId": "Z32O12XQLNTSW2", "DNSName": "lb.example.com", "EvaluateTargetHealth": False}}
r53.change_resource_record_sets(HostedZoneId=zone, ChangeBatch={"Changes": [{"Action": "UPSERT", "ResourceRecordSet": record}]})
check(code(lambda: r53.delete_health_check(HealthCheckId=first)) == "HealthCheckInUse", "a health check a record names is HealthCheckInUse")
r53.change_resource_record_sets(HostedZoneId=zone, ChangeBatch={"Changes": [{"Action": "DELETE", "ResourceRecordSet": record}]})
check(code(lambda: r53.delete_health_check(HealthCheckId=first)) is None, "deleted once no record names it")
check(code(lambda: r53.create_health_check(CallerReference="hc-1", HealthCheckConfig=hc_config)) == "HealthCheckAlreadyExists",
      "the CallerReference of a deleted health check is HealthCheckAlreadyExists")
server.shutdown()
sys.exit(1 if failed else 0)
