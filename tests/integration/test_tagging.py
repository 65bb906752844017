"""S3 object tagging against kumod: PutObjectTagging / GetObjectTagging /
DeleteObjectTagging, tags given at write time (x-amz-tagging on PutObject,
CreateMultipartUpload and CopyObject with its tagging directive), x-amz-tagging-count,
the error codes S3 answers, the ObjectTagging events, and the aws CLI; and bucket
tagging (PutBucketTagging / GetBucketTagging / DeleteBucketTagging)."""

import base64
import hashlib
import json
import xml.etree.ElementTree as ET

import pytest
import requests
from botocore.exceptions import ClientError

import s3raw
from conftest import _new_server, _tmp_root, unique_bucket
from kumo_cli import run_cli


def error_of(excinfo):
    err = excinfo.value.response
    return err["Error"]["Code"], err["ResponseMetadata"]["HTTPStatusCode"]


def tags_of(s3, bucket, key):
    return s3.get_object_tagging(Bucket=bucket, Key=key)["TagSet"]


def tag_set(**tags):
    return [{"Key": k, "Value": v} for k, v in tags.items()]


def events_of(server, bucket):
    res = run_cli(server, "events", "ls", "--bucket", bucket, "--limit", "1000", "--json")
    assert res.returncode == 0, res.stderr
    return json.loads(res.stdout)["events"]


# ---- PutObjectTagging / GetObjectTagging / DeleteObjectTagging ------------------------
def test_put_get_delete_tagging(s3, bucket):
    put = s3.put_object(Bucket=bucket, Key="doc.txt", Body=b"hello", ContentType="text/plain",
                        Metadata={"color": "red"})
    assert tags_of(s3, bucket, "doc.txt") == []  # untagged: an empty TagSet, not an error
    head = s3.head_object(Bucket=bucket, Key="doc.txt")
    assert "x-amz-tagging-count" not in head["ResponseMetadata"]["HTTPHeaders"]

    resp = s3.put_object_tagging(Bucket=bucket, Key="doc.txt", Tagging={"TagSet": [
        {"Key": "project", "Value": "kumo"}, {"Key": "env", "Value": ""},
        {"Key": "path", "Value": "a/b c:d=e+f-g_h.i@j"}]})
    assert resp["ResponseMetadata"]["HTTPStatusCode"] == 200
    # Returned in key order.
    assert tags_of(s3, bucket, "doc.txt") == tag_set(
        env="", path="a/b c:d=e+f-g_h.i@j", project="kumo")

    # The object itself is unchanged: bytes, ETag, Last-Modified, metadata.
    head2 = s3.head_object(Bucket=bucket, Key="doc.txt")
    assert head2["ETag"] == put["ETag"]
    assert head2["LastModified"] == head["LastModified"]
    assert head2["ContentType"] == "text/plain"
    assert head2["Metadata"] == {"color": "red"}
    assert s3.get_object(Bucket=bucket, Key="doc.txt")["Body"].read() == b"hello"

    # Put replaces the whole set.
    s3.put_object_tagging(Bucket=bucket, Key="doc.txt",
                          Tagging={"TagSet": tag_set(only="one")})
    assert tags_of(s3, bucket, "doc.txt") == tag_set(only="one")

    resp = s3.delete_object_tagging(Bucket=bucket, Key="doc.txt")
    assert resp["ResponseMetadata"]["HTTPStatusCode"] == 204
    assert tags_of(s3, bucket, "doc.txt") == []
    assert s3.get_object(Bucket=bucket, Key="doc.txt")["Body"].read() == b"hello"

    # An empty TagSet removes the tags too.
    s3.put_object_tagging(Bucket=bucket, Key="doc.txt", Tagging={"TagSet": tag_set(a="1")})
    s3.put_object_tagging(Bucket=bucket, Key="doc.txt", Tagging={"TagSet": []})
    assert tags_of(s3, bucket, "doc.txt") == []


def test_unicode_tags_and_limits_at_the_edge(s3, bucket):
    s3.put_object(Bucket=bucket, Key="k", Body=b"x")
    tags = [{"Key": f"k{i}-" + "a" * 120, "Value": "v" * 256} for i in range(10)]
    s3.put_object_tagging(Bucket=bucket, Key="k", Tagging={"TagSet": tags})
    assert tags_of(s3, bucket, "k") == sorted(tags, key=lambda t: t["Key"])
    s3.put_object_tagging(Bucket=bucket, Key="k",
                          Tagging={"TagSet": tag_set(Größe="日本語 テキスト")})
    assert tags_of(s3, bucket, "k") == tag_set(Größe="日本語 テキスト")


def test_overwrite_drops_tags(s3, bucket):
    s3.put_object(Bucket=bucket, Key="k", Body=b"1", Tagging="a=1")
    s3.put_object(Bucket=bucket, Key="k", Body=b"2")
    assert tags_of(s3, bucket, "k") == []


# ---- tags at write time ---------------------------------------------------------------
def test_put_object_with_tagging_header_and_count(s3, bucket):
    s3.put_object(Bucket=bucket, Key="t.bin", Body=b"data",
                  Tagging="project=kumo&team=storage%20core&flag")
    assert tags_of(s3, bucket, "t.bin") == tag_set(flag="", project="kumo", team="storage core")
    head = s3.head_object(Bucket=bucket, Key="t.bin")
    assert head["ResponseMetadata"]["HTTPHeaders"]["x-amz-tagging-count"] == "3"
    get = s3.get_object(Bucket=bucket, Key="t.bin")
    assert get["TagCount"] == 3
    assert get["Body"].read() == b"data"


def test_post_object_form_tagging_field(s3, bucket):
    tagging = ("<Tagging><TagSet><Tag><Key>source</Key><Value>browser</Value></Tag>"
               "</TagSet></Tagging>")
    presigned = s3.generate_presigned_post(bucket, "form.txt", Fields={"tagging": tagging},
                                           Conditions=[{"tagging": tagging}], ExpiresIn=300)
    r = requests.post(presigned["url"], data=presigned["fields"],
                      files={"file": ("form.txt", b"from a form")}, timeout=60)
    assert r.status_code == 204, r.text
    assert tags_of(s3, bucket, "form.txt") == tag_set(source="browser")
    bad = "<Tagging><TagSet><Tag><Key>a</Key></Tag></TagSet></Tagging>"
    presigned = s3.generate_presigned_post(bucket, "bad.txt", Fields={"tagging": bad},
                                           Conditions=[{"tagging": bad}], ExpiresIn=300)
    r = requests.post(presigned["url"], data=presigned["fields"],
                      files={"file": ("bad.txt", b"x")}, timeout=60)
    assert r.status_code == 400, r.text
    assert ET.fromstring(r.content).findtext("Code") == "MalformedXML"


def test_copy_object_tagging_directive(s3, bucket):
    s3.put_object(Bucket=bucket, Key="src", Body=b"payload", Tagging="a=1&b=2")
    # COPY is the default, and the x-amz-tagging header is then ignored.
    s3.copy_object(Bucket=bucket, Key="copy-default", CopySource={"Bucket": bucket, "Key": "src"})
    assert tags_of(s3, bucket, "copy-default") == tag_set(a="1", b="2")
    s3.copy_object(Bucket=bucket, Key="copy-copy", CopySource={"Bucket": bucket, "Key": "src"},
                   TaggingDirective="COPY", Tagging="ignored=yes")
    assert tags_of(s3, bucket, "copy-copy") == tag_set(a="1", b="2")
    # REPLACE takes the header's tags, or none.
    s3.copy_object(Bucket=bucket, Key="copy-replace",
                   CopySource={"Bucket": bucket, "Key": "src"},
                   TaggingDirective="REPLACE", Tagging="c=3")
    assert tags_of(s3, bucket, "copy-replace") == tag_set(c="3")
    s3.copy_object(Bucket=bucket, Key="copy-none", CopySource={"Bucket": bucket, "Key": "src"},
                   TaggingDirective="REPLACE")
    assert tags_of(s3, bucket, "copy-none") == []
    assert s3.get_object(Bucket=bucket, Key="copy-replace")["Body"].read() == b"payload"
    # Tags and metadata are independent: a metadata REPLACE still copies the tags.
    s3.copy_object(Bucket=bucket, Key="copy-meta", CopySource={"Bucket": bucket, "Key": "src"},
                   MetadataDirective="REPLACE", Metadata={"m": "1"})
    assert tags_of(s3, bucket, "copy-meta") == tag_set(a="1", b="2")
    with pytest.raises(ClientError) as e:
        s3.copy_object(Bucket=bucket, Key="x", CopySource={"Bucket": bucket, "Key": "src"},
                       TaggingDirective="REPLACE", Tagging="k=1&k=2")
    assert error_of(e) == ("InvalidArgument", 400)


def test_multipart_upload_with_tagging(s3, bucket):
    up = s3.create_multipart_upload(Bucket=bucket, Key="mp.bin", Tagging="stage=raw&owner=me")
    parts = []
    for n, chunk in enumerate([b"a" * (5 << 20), b"b" * 100], start=1):
        p = s3.upload_part(Bucket=bucket, Key="mp.bin", UploadId=up["UploadId"], PartNumber=n,
                           Body=chunk)
        parts.append({"PartNumber": n, "ETag": p["ETag"]})
    # Not applied before completion.
    with pytest.raises(ClientError) as e:
        s3.get_object_tagging(Bucket=bucket, Key="mp.bin")
    assert error_of(e) == ("NoSuchKey", 404)
    s3.complete_multipart_upload(Bucket=bucket, Key="mp.bin", UploadId=up["UploadId"],
                                 MultipartUpload={"Parts": parts})
    assert tags_of(s3, bucket, "mp.bin") == tag_set(owner="me", stage="raw")
    head = s3.head_object(Bucket=bucket, Key="mp.bin")
    assert head["ResponseMetadata"]["HTTPHeaders"]["x-amz-tagging-count"] == "2"
    assert head["ContentLength"] == (5 << 20) + 100

    with pytest.raises(ClientError) as e:
        s3.create_multipart_upload(Bucket=bucket, Key="bad.bin", Tagging="a=%ZZ")
    assert error_of(e) == ("InvalidArgument", 400)


# ---- errors ---------------------------------------------------------------------------
def test_invalid_tags_are_rejected_with_s3_codes(s3, bucket):
    s3.put_object(Bucket=bucket, Key="k", Body=b"x", Tagging="keep=me")

    def put_tags(tags):
        with pytest.raises(ClientError) as e:
            s3.put_object_tagging(Bucket=bucket, Key="k", Tagging={"TagSet": tags})
        return error_of(e)

    # More than 10 tags: S3 answers 400 BadRequest "Object tags cannot be greater than 10".
    assert put_tags([{"Key": f"k{i}", "Value": "v"} for i in range(11)]) == ("BadRequest", 400)
    assert put_tags([{"Key": "dup", "Value": "1"}, {"Key": "dup", "Value": "2"}]) == \
        ("InvalidTag", 400)
    assert put_tags(tag_set(**{"k" * 129: "v"})) == ("InvalidTag", 400)
    assert put_tags(tag_set(k="v" * 257)) == ("InvalidTag", 400)
    assert put_tags(tag_set(**{"bad!": "v"})) == ("InvalidTag", 400)
    assert put_tags(tag_set(**{"aws:reserved": "v"})) == ("InvalidTag", 400)
    # A rejected request changes nothing.
    assert tags_of(s3, bucket, "k") == tag_set(keep="me")

    # The same limits on the x-amz-tagging header of PutObject.
    def put_object(tagging):
        with pytest.raises(ClientError) as e:
            s3.put_object(Bucket=bucket, Key="new", Body=b"x", Tagging=tagging)
        return error_of(e)

    assert put_object("&".join(f"k{i}=v" for i in range(11))) == ("BadRequest", 400)
    assert put_object("k" * 129 + "=v") == ("InvalidTag", 400)
    assert put_object("a=1&a=2") == ("InvalidArgument", 400)
    with pytest.raises(ClientError) as e:
        s3.head_object(Bucket=bucket, Key="new")
    assert error_of(e) == ("404", 404)


def test_malformed_tagging_xml_and_empty_key(kumo, s3, bucket):
    s3.put_object(Bucket=bucket, Key="k", Body=b"x", Tagging="keep=me")

    def send(body):  # boto3 sends well-formed documents only
        md5 = base64.b64encode(hashlib.md5(body).digest()).decode()
        resp = s3raw.signed_request(kumo, "PUT", f"/{bucket}/k", body=body, query="tagging=",
                                    headers={"Content-MD5": md5,
                                             "Content-Type": "application/xml"})
        assert resp is not None, "no response"
        return resp.code, resp.status

    assert send(b"<Tagging><TagSet><Tag><Key>a</Key>") == ("MalformedXML", 400)
    assert send(b"not xml at all") == ("MalformedXML", 400)
    assert send(b"") == ("MalformedXML", 400)
    assert send(b"<Tagging/>") == ("MalformedXML", 400)
    assert send(b"<Tagging><TagSet><Tag><Key>a</Key></Tag></TagSet></Tagging>") == \
        ("MalformedXML", 400)
    # An empty key (boto3 refuses to send one) is a valid document with an invalid tag.
    assert send(b"<Tagging><TagSet><Tag><Key></Key><Value>v</Value></Tag></TagSet>"
                b"</Tagging>") == ("InvalidTag", 400)
    assert tags_of(s3, bucket, "k") == tag_set(keep="me")
    # Positive control: the same path with a valid document.
    assert send(b"<Tagging><TagSet><Tag><Key>a</Key><Value>1</Value></Tag></TagSet>"
                b"</Tagging>") == (None, 200)
    assert tags_of(s3, bucket, "k") == tag_set(a="1")


def test_missing_object_is_no_such_key(s3, bucket):
    for call in (lambda: s3.get_object_tagging(Bucket=bucket, Key="absent"),
                 lambda: s3.put_object_tagging(Bucket=bucket, Key="absent",
                                               Tagging={"TagSet": tag_set(a="1")}),
                 lambda: s3.delete_object_tagging(Bucket=bucket, Key="absent")):
        with pytest.raises(ClientError) as e:
            call()
        assert error_of(e) == ("NoSuchKey", 404)
    with pytest.raises(ClientError) as e:
        s3.get_object_tagging(Bucket=unique_bucket("nobucket"), Key="k")
    assert error_of(e) == ("NoSuchBucket", 404)


# ---- events ---------------------------------------------------------------------------
def test_tagging_changes_record_events(kumo, s3, bucket):
    s3.put_object(Bucket=bucket, Key="ev.txt", Body=b"hello")
    s3.put_object_tagging(Bucket=bucket, Key="ev.txt", Tagging={"TagSet": tag_set(a="1")})
    s3.delete_object_tagging(Bucket=bucket, Key="ev.txt")
    with pytest.raises(ClientError):  # rejected: no event
        s3.put_object_tagging(Bucket=bucket, Key="ev.txt",
                              Tagging={"TagSet": tag_set(**{"bad!": "v"})})
    names = [(e["name"], e["key"]) for e in events_of(kumo, bucket)]
    assert names == [("ObjectCreated:Put", "ev.txt"), ("ObjectTagging:Put", "ev.txt"),
                     ("ObjectTagging:Delete", "ev.txt")]


def test_notification_configuration_accepts_tagging_events(request):
    server = _new_server(request, _tmp_root("kumo-it-tagging-"), extra_env={
        "KUMO_NOTIFY_WEBHOOK_ENDPOINT_TAGS": "http://127.0.0.1:9/hook"})
    s3 = server.client()
    b = unique_bucket("tagev")
    s3.create_bucket(Bucket=b)
    arn = "arn:kumo:sqs::tags:webhook"
    for events in (["s3:ObjectTagging:*"], ["s3:ObjectTagging:Put", "s3:ObjectTagging:Delete"]):
        s3.put_bucket_notification_configuration(Bucket=b, NotificationConfiguration={
            "QueueConfigurations": [{"Id": "tags", "QueueArn": arn, "Events": events}]})
        got = s3.get_bucket_notification_configuration(Bucket=b)
        assert got["QueueConfigurations"][0]["Events"] == events
    with pytest.raises(ClientError) as e:
        s3.put_bucket_notification_configuration(Bucket=b, NotificationConfiguration={
            "QueueConfigurations": [{"QueueArn": arn, "Events": ["s3:ObjectTagging:Nope"]}]})
    assert error_of(e) == ("InvalidArgument", 400)


# ---- aws CLI --------------------------------------------------------------------------
def test_aws_cli_put_and_get_object_tagging(aws, s3, bucket):
    s3.put_object(Bucket=bucket, Key="cli.txt", Body=b"cli")
    aws("s3api", "put-object-tagging", "--bucket", bucket, "--key", "cli.txt", "--tagging",
        json.dumps({"TagSet": [{"Key": "via", "Value": "aws cli"}, {"Key": "n", "Value": "2"}]}))
    got = aws.json("s3api", "get-object-tagging", "--bucket", bucket, "--key", "cli.txt")
    assert got["TagSet"] == [{"Key": "n", "Value": "2"}, {"Key": "via", "Value": "aws cli"}]
    res = aws("s3api", "put-object-tagging", "--bucket", bucket, "--key", "cli.txt",
              "--tagging", json.dumps({"TagSet": [{"Key": "k" * 129, "Value": "v"}]}),
              check=False)
    assert res.returncode != 0
    assert "InvalidTag" in res.stderr


# ---- PutBucketTagging / GetBucketTagging / DeleteBucketTagging ------------------------
def bucket_tags_error(s3, bucket):
    with pytest.raises(ClientError) as e:
        s3.get_bucket_tagging(Bucket=bucket)
    return error_of(e)


def test_bucket_tagging_put_get_delete(s3, bucket):
    # A bucket starts without tags: 404 NoSuchTagSet, as S3 answers.
    assert bucket_tags_error(s3, bucket) == ("NoSuchTagSet", 404)
    fifty = [{"Key": f"cost-{i:02d}", "Value": f"v{i}"} for i in range(50)]
    res = s3.put_bucket_tagging(Bucket=bucket, Tagging={"TagSet": list(reversed(fifty))})
    assert res["ResponseMetadata"]["HTTPStatusCode"] == 204
    assert s3.get_bucket_tagging(Bucket=bucket)["TagSet"] == fifty  # in key order
    # Replaced as a whole, not merged.
    s3.put_bucket_tagging(Bucket=bucket, Tagging={"TagSet": tag_set(team="media")})
    assert s3.get_bucket_tagging(Bucket=bucket)["TagSet"] == tag_set(team="media")
    # Bucket tags are not object tags.
    s3.put_object(Bucket=bucket, Key="o", Body=b"x")
    assert tags_of(s3, bucket, "o") == []
    res = s3.delete_bucket_tagging(Bucket=bucket)
    assert res["ResponseMetadata"]["HTTPStatusCode"] == 204
    assert bucket_tags_error(s3, bucket) == ("NoSuchTagSet", 404)
    # An empty TagSet leaves the bucket without tags too.
    s3.put_bucket_tagging(Bucket=bucket, Tagging={"TagSet": tag_set(a="1")})
    s3.put_bucket_tagging(Bucket=bucket, Tagging={"TagSet": []})
    assert bucket_tags_error(s3, bucket) == ("NoSuchTagSet", 404)


def test_bucket_tagging_errors_change_nothing(kumo, s3, bucket):
    s3.put_bucket_tagging(Bucket=bucket, Tagging={"TagSet": tag_set(keep="me")})

    def put_tags(tags):
        with pytest.raises(ClientError) as e:
            s3.put_bucket_tagging(Bucket=bucket, Tagging={"TagSet": tags})
        return error_of(e)

    assert put_tags([{"Key": f"k{i}", "Value": "v"} for i in range(51)]) == ("BadRequest", 400)
    assert put_tags([{"Key": "dup", "Value": "1"}, {"Key": "dup", "Value": "2"}]) == \
        ("InvalidTag", 400)
    assert put_tags(tag_set(**{"aws:reserved": "v"})) == ("InvalidTag", 400)
    assert put_tags(tag_set(k="v" * 257)) == ("InvalidTag", 400)
    assert s3.get_bucket_tagging(Bucket=bucket)["TagSet"] == tag_set(keep="me")
    # Malformed XML (boto3 sends well-formed documents only), signed correctly.
    body = b"<Tagging><TagSet><Tag><Key>a"
    md5 = base64.b64encode(hashlib.md5(body).digest()).decode()
    resp = s3raw.signed_request(kumo, "PUT", f"/{bucket}", body=body, query="tagging=",
                                headers={"Content-MD5": md5})
    assert resp is not None and (resp.code, resp.status) == ("MalformedXML", 400)
    assert s3.get_bucket_tagging(Bucket=bucket)["TagSet"] == tag_set(keep="me")
    # A missing bucket.
    with pytest.raises(ClientError) as e:
        s3.get_bucket_tagging(Bucket=bucket + "-missing")
    assert error_of(e) == ("NoSuchBucket", 404)


def test_bucket_tags_go_with_the_bucket(s3):
    name = unique_bucket("tagged")
    s3.create_bucket(Bucket=name)
    s3.put_bucket_tagging(Bucket=name, Tagging={"TagSet": tag_set(project="x")})
    s3.delete_bucket(Bucket=name)
    s3.create_bucket(Bucket=name)  # a new bucket of the same name starts untagged
    assert bucket_tags_error(s3, name) == ("NoSuchTagSet", 404)
    s3.delete_bucket(Bucket=name)


def test_aws_cli_bucket_tagging(aws, bucket):
    aws("s3api", "put-bucket-tagging", "--bucket", bucket, "--tagging",
        json.dumps({"TagSet": [{"Key": "env", "Value": "dev"}, {"Key": "cost", "Value": "42"}]}))
    got = aws.json("s3api", "get-bucket-tagging", "--bucket", bucket)
    assert got["TagSet"] == [{"Key": "cost", "Value": "42"}, {"Key": "env", "Value": "dev"}]
    aws("s3api", "delete-bucket-tagging", "--bucket", bucket)
    res = aws("s3api", "get-bucket-tagging", "--bucket", bucket, check=False)
    assert res.returncode != 0 and "NoSuchTagSet" in res.stderr
