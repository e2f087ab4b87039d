"""Creates the AWS networking that a CampaignClass points at, inside the moto emulator.

Real clusters have a VPC, subnets and security groups made by ops; moto starts empty and gives every
resource a random id, so the local test bed makes them here and prints their ids as shell exports.
Runs with the moto venv's Python (boto3 comes with moto).
"""
import ipaddress
import os
import sys

import boto3

region = os.environ.get("AWS_REGION", "eu-west-1")
endpoint = os.environ["AWS_ENDPOINT_URL"]
ec2 = boto3.client("ec2", region_name=region, endpoint_url=endpoint)
rds = boto3.client("rds", region_name=region, endpoint_url=endpoint)

vpc = ec2.create_vpc(CidrBlock="10.42.0.0/16")["Vpc"]["VpcId"]
# Every campaign's file system takes one IP address in each subnet (its mount target), as in AWS: a /24
# holds 251 campaigns. LOCAL_SUBNET_PREFIX=20 (the benchmark) holds 4,091.
prefix = int(os.environ.get("LOCAL_SUBNET_PREFIX", "24"))
cidrs = list(ipaddress.ip_network("10.42.0.0/16").subnets(new_prefix=prefix))
subnets = []
for i, zone in enumerate("abc"):
    subnet = ec2.create_subnet(VpcId=vpc, CidrBlock=str(cidrs[i]), AvailabilityZone=f"{region}{zone}")
    subnets.append(subnet["Subnet"]["SubnetId"])
efs_sg = ec2.create_security_group(GroupName="donation-local-efs", Description="NFS from nodes", VpcId=vpc)["GroupId"]
db_sg = ec2.create_security_group(GroupName="donation-local-db", Description="MySQL from nodes", VpcId=vpc)["GroupId"]
rds.create_db_subnet_group(
    DBSubnetGroupName="donation-local", DBSubnetGroupDescription="local test bed", SubnetIds=subnets
)

out = {
    "LOCAL_VPC_ID": vpc,
    "LOCAL_SUBNET_A": subnets[0],
    "LOCAL_SUBNET_B": subnets[1],
    "LOCAL_SUBNET_C": subnets[2],
    "LOCAL_EFS_SECURITY_GROUP": efs_sg,
    "LOCAL_DB_SECURITY_GROUP": db_sg,
    "LOCAL_DB_SUBNET_GROUP": "donation-local",
}
for key, value in out.items():
    sys.stdout.write(f"export {key}={value}\n")
