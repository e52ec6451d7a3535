# Driven by s3-real-clients.test.ts: boto3 against wasmlet's S3 endpoint. Prints one JSON object with what it saw.
# argv: <endpoint> <secret> <workdir>
import hashlib
import json
import os
import sys
import urllib.error
import urllib.request

import boto3
from boto3.s3.transfer import TransferConfig
from botocore.config import Config
from botocore.exceptions import ClientError

endpoint, secret, workdir = sys.argv[1], sys.argv[2], sys.argv[3]
MiB = 1024 * 1024


def client(key=secret, **config):
    return boto3.client(
        "s3",
        endpoint_url=endpoint,
        aws_access_key_id="wasmlet",
        aws_secret_access_key=key,
        region_name="us-east-1",
        config=Config(retries={"max_attempts": 1, "mode": "standard"}, **config),
    )


def http_status(url):
    try:
        return urllib.request.urlopen(url).status
    except urllib.error.HTTPError as err:
        return err.code


def code_of(call):
    try:
        call()
    except ClientError as err:
        return err.response["Error"]["Code"]
    return None


s3 = client()
seen = {}
s3.create_bucket(Bucket="boto-bucket")
s3.put_object(Bucket="boto-bucket", Key="small.txt", Body=b"small from boto3", ContentType="text/plain", Metadata={"tool": "boto3"})

big_path = os.path.join(workdir, "boto-big.bin")
with open(big_path, "wb") as f:
    f.write(os.urandom(20 * MiB))
s3.upload_file(big_path, "boto-bucket", "dir/big.bin", Config=TransferConfig(multipart_threshold=8 * MiB, multipart_chunksize=8 * MiB))
head = s3.head_object(Bucket="boto-bucket", Key="dir/big.bin")
seen["big_etag"] = head["ETag"]
seen["big_length"] = head["ContentLength"]
down = os.path.join(workdir, "boto-big.out")
s3.download_file("boto-bucket", "dir/big.bin", down)
seen["big_roundtrip"] = open(down, "rb").read() == open(big_path, "rb").read()

part = s3.get_object(Bucket="boto-bucket", Key="small.txt", Range="bytes=0-4")
seen["range"] = [part["ResponseMetadata"]["HTTPStatusCode"], part["ContentRange"], part["Body"].read().decode()]
seen["small_metadata"] = s3.head_object(Bucket="boto-bucket", Key="small.txt")["Metadata"]

keys = []
for page in s3.get_paginator("list_objects_v2").paginate(Bucket="boto-bucket", PaginationConfig={"PageSize": 1}):
    keys += [c["Key"] for c in page.get("Contents", [])]
seen["listed"] = keys
seen["prefixes"] = [p["Prefix"] for p in s3.list_objects_v2(Bucket="boto-bucket", Delimiter="/").get("CommonPrefixes", [])]

# boto3 presigns with SigV2 query auth unless told s3v4: both work, and neither survives a changed query.
url = s3.generate_presigned_url("get_object", Params={"Bucket": "boto-bucket", "Key": "small.txt"}, ExpiresIn=300)
seen["presigned"] = urllib.request.urlopen(url).read().decode()
url4 = client(signature_version="s3v4").generate_presigned_url("get_object", Params={"Bucket": "boto-bucket", "Key": "small.txt"}, ExpiresIn=300)
seen["presigned_v4"] = urllib.request.urlopen(url4).read().decode()
seen["presigned_tampered"] = [http_status(url.replace("small.txt", "dir/big.bin")), http_status(url4.replace("small.txt", "dir/big.bin"))]

# The bad cases.
before = {k: s3.head_object(Bucket="boto-bucket", Key=k)["ETag"] for k in keys}
seen["wrong_secret"] = code_of(lambda: client("definitely-not-the-token").put_object(Bucket="boto-bucket", Key="small.txt", Body=b"evil"))
seen["bad_md5"] = code_of(lambda: s3.put_object(Bucket="boto-bucket", Key="small.txt", Body=b"changed", ContentMD5="AAAAAAAAAAAAAAAAAAAAAA=="))
seen["nul_key"] = code_of(lambda: s3.put_object(Bucket="boto-bucket", Key="nul\x00key", Body=b"x"))
seen["too_large"] = code_of(lambda: s3.put_object(Bucket="boto-bucket", Key="too-large", Body=b"x" * (5 * MiB)))
upload = s3.create_multipart_upload(Bucket="boto-bucket", Key="truncated")["UploadId"]
p1 = s3.upload_part(Bucket="boto-bucket", Key="truncated", UploadId=upload, PartNumber=1, Body=os.urandom(5 * MiB))
missing = hashlib.md5(b"never sent").hexdigest()
seen["missing_part"] = code_of(lambda: s3.complete_multipart_upload(
    Bucket="boto-bucket", Key="truncated", UploadId=upload,
    MultipartUpload={"Parts": [{"PartNumber": 1, "ETag": p1["ETag"]}, {"PartNumber": 2, "ETag": f'"{missing}"'}]}))
s3.abort_multipart_upload(Bucket="boto-bucket", Key="truncated", UploadId=upload)
seen["after_abort"] = code_of(lambda: s3.list_parts(Bucket="boto-bucket", Key="truncated", UploadId=upload))
after = {c["Key"]: c["ETag"] for c in s3.list_objects_v2(Bucket="boto-bucket").get("Contents", [])}
seen["unchanged"] = after == before

deleted = s3.delete_objects(Bucket="boto-bucket", Delete={"Objects": [{"Key": k} for k in keys]})
seen["deleted"] = sorted(d["Key"] for d in deleted.get("Deleted", []))
s3.delete_bucket(Bucket="boto-bucket")
seen["buckets_after"] = [b["Name"] for b in s3.list_buckets()["Buckets"]]
print(json.dumps(seen))
