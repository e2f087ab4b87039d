"""End-to-end check of a running front started with --real-databases (selftest.sh starts one).

Usage: python selftest.py http://127.0.0.1:PORT STATE_DIR FRONT_LOG
Uses boto3 from the moto venv and the mariadb command-line client. Prints measured figures as
"FIGURE name value" lines; exits non-zero on the first failed check.
"""
from __future__ import annotations

import http.client
import json
import os
import secrets
import subprocess
import sys
import time
import urllib.request

import boto3
from botocore.config import Config as BotoConfig
from botocore.exceptions import ClientError

ENDPOINT, STATE, FRONT_LOG = sys.argv[1], sys.argv[2], sys.argv[3]
REGION = "eu-west-1"
MASTER = "donations"
PASSWORD = secrets.token_urlsafe(18)
PG, DB, DB2 = "selftest-pg", "selftest-db", "selftest-keep"


def client(service, **kw):
    return boto3.client(service, region_name=REGION, endpoint_url=ENDPOINT, aws_access_key_id="testing",
                        aws_secret_access_key="testing",
                        config=BotoConfig(retries={"total_max_attempts": 1, "mode": "standard"}, **kw))


rds, s3, efs = client("rds"), client("s3"), client("efs")


def ok(msg):
    print(f"ok   {msg}", flush=True)


def fail(msg):
    print(f"FAIL {msg}", flush=True)
    sys.exit(1)


def check(cond, msg):
    ok(msg) if cond else fail(msg)


def figure(name, value):
    print(f"FIGURE {name} {value}", flush=True)


def control(path):
    with urllib.request.urlopen(ENDPOINT + "/_awsfront" + path, timeout=10) as r:
        return json.load(r)


def status(ident):
    try:
        return rds.describe_db_instances(DBInstanceIdentifier=ident)["DBInstances"][0]
    except ClientError as e:
        if e.response["Error"]["Code"] == "DBInstanceNotFound":
            return None
        raise


def watch(ident, until, limit=90):
    """Polls the instance every 0.1 s; returns (states seen in order, last description, seconds)."""
    seen, t0 = [], time.monotonic()
    while time.monotonic() - t0 < limit:
        db = status(ident)
        state = db["DBInstanceStatus"] if db else "gone"
        if not seen or seen[-1] != state:
            seen.append(state)
        if state == until:
            return seen, db, time.monotonic() - t0
        time.sleep(0.1)
    fail(f"{ident} not {until} after {limit}s; states seen {seen}")


def mariadb(host, port, sql, password=PASSWORD, database="donations"):
    return subprocess.run(["mariadb", "--no-defaults", "-h", host, "-P", str(port), "-u", MASTER, f"-p{password}",
                           "-N", "-B", database, "-e", sql], capture_output=True, text=True, timeout=30)


def query(host, port, sql):
    done = mariadb(host, port, sql)
    if done.returncode != 0:
        fail(f"query {sql!r}: {done.stderr.strip()}")
    return done.stdout.strip()


def error_code(fn, **kw):
    try:
        fn(**kw)
    except ClientError as e:
        return e.response["Error"]["Code"]
    return None


# ---- parameter group and instance ------------------------------------------------------------------
rds.create_db_parameter_group(DBParameterGroupName=PG, DBParameterGroupFamily="mysql8.0", Description="selftest")
rds.modify_db_parameter_group(DBParameterGroupName=PG, Parameters=[
    {"ParameterName": "max_connections", "ParameterValue": "37", "ApplyMethod": "immediate"}])
t0 = time.monotonic()
created = rds.create_db_instance(
    DBInstanceIdentifier=DB, Engine="mysql", EngineVersion="8.0.35", DBInstanceClass="db.t3.micro",
    AllocatedStorage=20, MasterUsername=MASTER, MasterUserPassword=PASSWORD, DBName="donations",
    DBParameterGroupName=PG)["DBInstance"]
figure("create_call_seconds", round(time.monotonic() - t0, 3))
check(created["DBInstanceStatus"] == "creating", f"CreateDBInstance answers creating ({created['DBInstanceStatus']})")
check("Endpoint" not in created, "no Endpoint while creating")
check(error_code(rds.modify_db_instance, DBInstanceIdentifier=DB, AllocatedStorage=30, ApplyImmediately=True)
      == "InvalidDBInstanceState", "ModifyDBInstance while creating is refused with InvalidDBInstanceState")
seen, db, _ = watch(DB, "available")
figure("create_to_available_seconds", round(time.monotonic() - t0, 2))
check(seen[0] == "creating" and seen[-1] == "available", f"states creating -> available: {seen}")
host, port = db["Endpoint"]["Address"], db["Endpoint"]["Port"]
check(port != 3306, f"Endpoint points at the real server {host}:{port}")
info = control("/databases")["instances"][DB]
check(info["port"] == port and info["pid"], f"/_awsfront/databases lists pid {info['pid']} on port {info['port']}")
check("password" not in json.dumps(info).lower(), "no password in /_awsfront/databases")
figure("mariadbd_start_seconds", info["startSeconds"])
figure("mariadbd_rss_kib", info["rssKiB"])

# ---- a real database with the master user ----------------------------------------------------------
query(host, port, "CREATE TABLE gifts (id INT PRIMARY KEY, donor VARCHAR(64)); "
                  "INSERT INTO gifts VALUES (1, 'selftest-row-4f2a')")
check(query(host, port, "SELECT donor FROM gifts WHERE id = 1") == "selftest-row-4f2a", "table and row written as master")
check(query(host, port, "SELECT @@max_connections") == "37", "max_connections is the group's 37")

rds.modify_db_parameter_group(DBParameterGroupName=PG, Parameters=[
    {"ParameterName": "max_connections", "ParameterValue": "41", "ApplyMethod": "immediate"}])
t1 = time.monotonic()
while query(host, port, "SELECT @@max_connections") != "41":
    if time.monotonic() - t1 > 10:
        fail("max_connections 41 not applied after 10s")
    time.sleep(0.1)
figure("parameter_apply_seconds", round(time.monotonic() - t1, 2))
ok("ModifyDBParameterGroup max_connections=41 applied to the server")

# ---- connections until refused ---------------------------------------------------------------------
clients, refusal = [], None
try:
    for _ in range(80):
        p = subprocess.Popen(["mariadb", "--no-defaults", "-h", host, "-P", str(port), "-u", MASTER, f"-p{PASSWORD}",
                              "-N", "-B", "--unbuffered", "-e", "SELECT 'up'; SELECT SLEEP(120)"],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        if p.stdout.readline().strip() == "up":
            clients.append(p)
            continue
        refusal = p.stderr.read().strip()
        p.wait()
        break
finally:
    for p in clients:
        p.kill()
        p.wait()
figure("connections_accepted", len(clients))
check(refusal is not None and "Too many connections" in refusal,
      f"connection {len(clients) + 1} refused: {refusal}")
# The master has ALL PRIVILEGES but SUPER and CONNECTION ADMIN (as on RDS), so exactly max_connections.
check(len(clients) == 41, f"{len(clients)} connections accepted with max_connections 41")
t3 = time.monotonic()
while mariadb(host, port, "SELECT 1").returncode != 0:  # the server notices the killed clients within seconds
    if time.monotonic() - t3 > 30:
        fail("connections not released 30s after the clients were killed")
    time.sleep(0.2)
figure("connections_released_seconds", round(time.monotonic() - t3, 2))

# ---- password change ---------------------------------------------------------------------------------
new_password = secrets.token_urlsafe(18)
rds.modify_db_instance(DBInstanceIdentifier=DB, MasterUserPassword=new_password, ApplyImmediately=True)
check(status(DB)["DBInstanceStatus"] == "resetting-master-credentials", "password change: resetting-master-credentials")
watch(DB, "available")
check(mariadb(host, port, "SELECT 1", password=new_password).returncode == 0, "new master password works")
check(mariadb(host, port, "SELECT 1").returncode != 0, "old master password refused")
PASSWORDS = [PASSWORD, new_password]
PASSWORD = new_password

# ---- modifying ---------------------------------------------------------------------------------------
rds.modify_db_instance(DBInstanceIdentifier=DB, DBInstanceClass="db.t3.small", ApplyImmediately=True)
seen, db, took = watch(DB, "available")
check(seen[0] == "modifying", f"ModifyDBInstance: {seen} in {took:.1f}s")
rds.modify_db_instance(DBInstanceIdentifier=DB, DeletionProtection=True, ApplyImmediately=True)
check(status(DB)["DBInstanceStatus"] == "available", "DeletionProtection changes without modifying")
check(error_code(rds.delete_db_instance, DBInstanceIdentifier=DB, SkipFinalSnapshot=True) == "InvalidParameterCombination",
      "deletion protection still refuses DeleteDBInstance")
rds.modify_db_instance(DBInstanceIdentifier=DB, DeletionProtection=False, ApplyImmediately=True)

# ---- manual snapshot ---------------------------------------------------------------------------------
snap = rds.create_db_snapshot(DBInstanceIdentifier=DB, DBSnapshotIdentifier="selftest-manual")["DBSnapshot"]
check(snap["Status"] == "creating", "CreateDBSnapshot answers creating")
check(status(DB)["DBInstanceStatus"] == "backing-up", "instance backing-up during the snapshot")
check(error_code(rds.create_db_snapshot, DBInstanceIdentifier=DB, DBSnapshotIdentifier="selftest-twice")
      == "InvalidDBInstanceState", "second snapshot while backing-up refused")
seen, _, _ = watch(DB, "available")
snap = rds.describe_db_snapshots(DBSnapshotIdentifier="selftest-manual")["DBSnapshots"][0]
check(snap["Status"] == "available", "manual snapshot available")
check("selftest-row-4f2a" in open(os.path.join(STATE, "snapshots", "selftest-manual.sql")).read(),
      "manual snapshot dump holds the row")

# ---- a second instance, left running for the shutdown check -------------------------------------------
rds.create_db_instance(DBInstanceIdentifier=DB2, Engine="mariadb", EngineVersion="10.11.9", DBInstanceClass="db.t3.micro",
                       AllocatedStorage=20, MasterUsername=MASTER, MasterUserPassword=PASSWORD)
watch(DB2, "available")
ok(f"second instance {DB2} available (left running)")

# ---- delete with a final snapshot --------------------------------------------------------------------
pid = control("/databases")["instances"][DB]["pid"]
t2 = time.monotonic()
deleted = rds.delete_db_instance(DBInstanceIdentifier=DB, FinalDBSnapshotIdentifier="selftest-final",
                                 SkipFinalSnapshot=False)["DBInstance"]
check(deleted["DBInstanceStatus"] == "deleting", "DeleteDBInstance answers deleting")
check(error_code(rds.delete_db_instance, DBInstanceIdentifier=DB, SkipFinalSnapshot=True) == "InvalidDBInstanceState",
      "second DeleteDBInstance refused while deleting")
check(error_code(rds.create_db_instance, DBInstanceIdentifier=DB, Engine="mysql", DBInstanceClass="db.t3.micro",
                 MasterUsername=MASTER, MasterUserPassword=PASSWORD) == "DBInstanceAlreadyExists",
      "the identifier stays taken while deleting")
seen, _, _ = watch(DB, "gone")
figure("delete_to_gone_seconds", round(time.monotonic() - t2, 2))
check(seen == ["deleting", "gone"], f"states deleting -> gone (DBInstanceNotFound): {seen}")
final = rds.describe_db_snapshots(DBSnapshotIdentifier="selftest-final")["DBSnapshots"][0]
check(final["Status"] == "available", "final snapshot available once the instance is gone")
dump = open(os.path.join(STATE, "snapshots", "selftest-final.sql")).read()
check("selftest-row-4f2a" in dump and "CREATE TABLE `gifts`" in dump, "final snapshot dump holds the table and row")
check(not os.path.exists(f"/proc/{pid}"), f"mariadbd {pid} stopped")
check(not any(n.endswith("." + DB) for n in os.listdir(os.path.join(STATE, "db"))), "its datadir removed")

# ---- other services through the front ----------------------------------------------------------------
s3.create_bucket(Bucket="selftest-bucket", CreateBucketConfiguration={"LocationConstraint": REGION})
s3.put_object(Bucket="selftest-bucket", Key="a/b.txt", Body=b"hello from the front")
check(s3.get_object(Bucket="selftest-bucket", Key="a/b.txt")["Body"].read() == b"hello from the front",
      "S3 put/get, path style")
host_port = ENDPOINT.split("//", 1)[1]
conn = http.client.HTTPConnection(host_port, timeout=10)
# Signed as boto3 would sign it (moto answers 403 to an unsigned GET, with or without the front).
conn.request("GET", "/a/b.txt", headers={
    "Host": "selftest-bucket.s3.amazonaws.com",
    "Authorization": f"AWS4-HMAC-SHA256 Credential=testing/20250101/{REGION}/s3/aws4_request, "
                     "SignedHeaders=host, Signature=0"})
r = conn.getresponse()
check(r.status == 200 and r.read() == b"hello from the front", "S3 get, virtual-host style")
fs = efs.create_file_system(CreationToken="selftest", PerformanceMode="generalPurpose", Encrypted=True)
check(fs["LifeCycleState"] in ("creating", "available"), f"EFS CreateFileSystem {fs['FileSystemId']}")
check(any(f["FileSystemId"] == fs["FileSystemId"] for f in efs.describe_file_systems()["FileSystems"]),
      "EFS DescribeFileSystems")
check(client("sts").get_caller_identity()["Account"] == "123456789012", "STS GetCallerIdentity")
vpc = client("ec2").create_vpc(CidrBlock="10.9.0.0/16")["Vpc"]["VpcId"]
check(vpc.startswith("vpc-"), "EC2 CreateVpc")

counts = control("/requests")
req = counts["requests"]
check(req["rds"]["CreateDBInstance"] == 3, f"counter rds/CreateDBInstance = {req['rds']['CreateDBInstance']}")
check(req["s3"].get("PutObject") == 1 and req["s3"].get("GetObject") == 2 and req["s3"].get("CreateBucket") == 1,
      f"counters for S3 by operation {req['s3']}")
check(req["efs"].get("CreateFileSystem") == 1 and req["efs"].get("DescribeFileSystems") == 1, f"counters for EFS {req['efs']}")
check(counts["errors"]["rds"].get("ModifyDBInstance", 0) >= 1, f"errors counted {counts['errors']['rds']}")
log_text = open(FRONT_LOG, errors="replace").read()
check(not any(p in log_text for p in PASSWORDS), "no master password in the front's log")
print("selftest passed", flush=True)
