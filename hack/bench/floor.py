"""The floor: a plain parallel client that makes what the operator makes for N campaigns, without the
operator, on the same API server and AWS front, with the same identity (the chart's ServiceAccount) and
the same parallelism (one worker per reconcile thread). Per campaign, in one worker: the EFS file system,
its mount targets and access point; the DB parameter group (max_connections) and instance; the S3 bucket
with its page; then the operator's Kubernetes objects, dumped from a converged campaign and renamed.
A campaign counts as done when all that is written, its DB instance is available and its Deployments
are available: what Ready means for the operator, minus the operator."""
import base64
import json
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

import boto3
from botocore.config import Config

from .campaigns import name_of, namespace_of, names, renamer
from .kube import KINDS, path_of

MANAGER = "bench-floor"
APPLY_ORDER = ["Secret", "ConfigMap", "PersistentVolume", "PersistentVolumeClaim", "Service", "Deployment",
               "PodDisruptionBudget", "HorizontalPodAutoscaler", "Ingress", "NetworkPolicy"]


class Floor:
    def __init__(self, cluster, kube, template, threads, create_only):
        self.cluster, self.kube, self.t, self.threads = cluster, kube, template, threads
        # What the operator may create but not patch (its create-only Secrets and ConfigMaps) is created
        # with POST; everything else is written with server-side apply, as the operator does.
        self.create_only = create_only
        env = cluster.env
        self.region = env["AWS_REGION"]
        cfg = Config(max_pool_connections=threads + 4, retries={"mode": "standard", "max_attempts": 10},
                     s3={"addressing_style": "path"})
        kw = dict(region_name=self.region, endpoint_url=cluster.aws, config=cfg,
                  aws_access_key_id=env["AWS_ACCESS_KEY_ID"], aws_secret_access_key=env["AWS_SECRET_ACCESS_KEY"])
        self.efs, self.rds, self.s3 = boto3.client("efs", **kw), boto3.client("rds", **kw), boto3.client("s3", **kw)
        self.subnets = [env["LOCAL_SUBNET_A"], env["LOCAL_SUBNET_B"], env["LOCAL_SUBNET_C"]]
        self.efs_sg, self.db_sg, self.db_subnets = env["LOCAL_EFS_SECURITY_GROUP"], env["LOCAL_DB_SECURITY_GROUP"], env["LOCAL_DB_SUBNET_GROUP"]
        objects = sorted(template["objects"], key=lambda o: APPLY_ORDER.index(o["kind"]))
        self.objects = objects
        db_secret = next(o for o in objects if o["kind"] == "Secret" and o["metadata"]["name"].endswith("-db"))
        self.password = base64.b64decode(db_secret["data"]["password"]).decode()
        page = next(o for o in objects if o["kind"] == "ConfigMap" and "index.html" in o.get("data", {}))
        self.page = page["data"]["index.html"]
        self.lock = threading.Lock()
        self.written, self.db_available, self.db_seen, self.deploys = {}, set(), {}, {}

    def tags(self, key):
        return {"donations.dev/campaign": key, "app.kubernetes.io/managed-by": "donation-operator"}

    def one(self, i, namespaces):
        ns, name = namespace_of(i, namespaces), name_of(i)
        key = f"{ns}/{name}"
        uid = str(uuid.uuid4())
        n = names(ns, name, uid)
        tags = self.tags(key)
        kv = [{"Key": k, "Value": v} for k, v in tags.items()]
        # EFS
        fs = self.efs.create_file_system(CreationToken=n["fileSystemToken"], Encrypted=True,
                                         PerformanceMode="generalPurpose", ThroughputMode="elastic", Tags=kv)
        fs_id = fs["FileSystemId"]
        for subnet in self.subnets:
            self.retry_busy(lambda: self.efs.create_mount_target(FileSystemId=fs_id, SubnetId=subnet, SecurityGroups=[self.efs_sg]))
        ap = self.retry_busy(lambda: self.efs.create_access_point(
            ClientToken=n["accessPointToken"], FileSystemId=fs_id, PosixUser={"Uid": 33, "Gid": 33},
            RootDirectory={"Path": n["uploads"], "CreationInfo": {"OwnerUid": 33, "OwnerGid": 33, "Permissions": "0755"}},
            Tags=kv))
        # RDS
        group = n["database"] + "-params"
        self.rds.create_db_parameter_group(DBParameterGroupName=group, DBParameterGroupFamily="mysql8.0",
                                           Description="donation-operator: " + key, Tags=kv)
        self.rds.modify_db_parameter_group(DBParameterGroupName=group, Parameters=[{
            "ParameterName": "max_connections", "ParameterValue": str(self.t["maxConnections"]), "ApplyMethod": "immediate"}])
        self.rds.create_db_instance(
            DBInstanceIdentifier=n["database"], Engine="mysql", EngineVersion="8.0", DBInstanceClass="db.t4g.medium",
            AllocatedStorage=20, MaxAllocatedStorage=40, MultiAZ=False, DBParameterGroupName=group,
            DBSubnetGroupName=self.db_subnets, VpcSecurityGroupIds=[self.db_sg], DBName="wordpress",
            MasterUsername="wpadmin", MasterUserPassword=self.password, StorageEncrypted=True,
            DeletionProtection=True, PubliclyAccessible=False, BackupRetentionPeriod=7, CopyTagsToSnapshot=True, Tags=kv)
        # S3
        bucket = n["bucket"]
        self.s3.create_bucket(Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": self.region})
        self.s3.put_bucket_tagging(Bucket=bucket, Tagging={"TagSet": kv})
        self.s3.put_public_access_block(Bucket=bucket, PublicAccessBlockConfiguration={
            "BlockPublicAcls": True, "IgnorePublicAcls": True, "BlockPublicPolicy": False, "RestrictPublicBuckets": False})
        self.s3.put_bucket_website(Bucket=bucket, WebsiteConfiguration={
            "IndexDocument": {"Suffix": "index.html"}, "ErrorDocument": {"Key": "index.html"}})
        self.s3.put_bucket_policy(Bucket=bucket, Policy=json.dumps({"Version": "2012-10-17", "Statement": [{
            "Sid": "PublicReadPage", "Effect": "Allow", "Principal": "*", "Action": "s3:GetObject",
            "Resource": f"arn:aws:s3:::{bucket}/index.html"}]}))
        self.s3.put_object(Bucket=bucket, Key="index.html", Body=self.page.encode(), ContentType="text/html; charset=utf-8",
                           CacheControl="max-age=60")
        # Kubernetes
        rename = renamer(self.t, ns, name, uid, fs_id, ap["AccessPointId"])
        for obj in self.objects:
            if KINDS[obj["kind"]][1] in self.create_only:
                self.kube.create(obj["kind"], rename(obj), ok=(201,))
            else:
                self.kube.apply(rename(obj), MANAGER)
        with self.lock:
            self.written[key] = (time.time(), n["database"])

    def retry_busy(self, call):
        """A mount target or access point of a file system still `creating` (AWSFRONT_EFS_DELAY_CREATING)."""
        for _ in range(600):
            try:
                return call()
            except self.efs.exceptions.IncorrectFileSystemLifeCycleState:
                time.sleep(0.5)
        return call()

    def run(self, n, namespaces, timeout):
        """Returns {campaign: seconds from the start to done}, and the time everything was written."""
        for obj in self.t["shared"]:
            self.kube.apply(obj, MANAGER)
        watch = self.kube.watch(path_of("Deployment"), self.on_deployment,
                                {"labelSelector": "app.kubernetes.io/managed-by=donation-operator"})
        watch.listed.wait(30)
        stop = threading.Event()
        poller = threading.Thread(target=self.poll_databases, args=(stop,), daemon=True)
        t0 = time.time()
        poller.start()
        with ThreadPoolExecutor(self.threads) as pool:
            for f in [pool.submit(self.one, i, namespaces) for i in range(n)]:
                f.result()
        written_all = time.time()
        done = {}
        deadline = t0 + timeout
        while len(done) < n and time.time() < deadline:
            with self.lock:
                for key, (when, db) in self.written.items():
                    if key in done or db not in self.db_available:
                        continue
                    ns, name = key.split("/")
                    avail = [self.deploys.get(f"{ns}/{name}-{c}") for c in ("site", "fallback")]
                    if all(avail):
                        done[key] = max([when, self.db_seen[db], *avail]) - t0
            time.sleep(0.5)
        stop.set()
        watch.stop()
        return t0, written_all - t0, done

    def on_deployment(self, kind, d, when):
        key = f"{d['metadata']['namespace']}/{d['metadata']['name']}"
        spec, st = d.get("spec", {}), d.get("status", {})
        ok = (st.get("observedGeneration", 0) >= d["metadata"].get("generation", 1)
              and st.get("availableReplicas", 0) >= spec.get("replicas", 1))
        with self.lock:
            if ok:
                self.deploys.setdefault(key, when)

    def poll_databases(self, stop):
        """Every half second, DescribeDBInstances of the instances written and not yet seen available,
        100 ids a call (a filter, so the answers stay small): which are available and since when."""
        while not stop.is_set():
            now = time.time()
            with self.lock:
                pending = [db for _, db in self.written.values() if db not in self.db_available]
            for i in range(0, len(pending), 100):
                page = self.rds.describe_db_instances(Filters=[{"Name": "db-instance-id", "Values": pending[i:i + 100]}])
                for db in page["DBInstances"]:
                    if db["DBInstanceStatus"] == "available":
                        with self.lock:
                            self.db_seen.setdefault(db["DBInstanceIdentifier"], now)
                            self.db_available.add(db["DBInstanceIdentifier"])
            stop.wait(0.5)
