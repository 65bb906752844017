"""Users and their identity policies against a real kumod: `kumo user add --policy`,
`kumo user policy get|set|remove`, what each canned policy lets a user do through boto3
and the aws CLI, presigned URLs that act with their signer's rights, the admin API's
kumo:Admin action, and anonymous callers. Every denied write is checked to have stored
nothing and to have recorded no event.
"""

import json
import re
import subprocess
import urllib.parse
import xml.etree.ElementTree as ET

import pytest
import requests
from botocore import UNSIGNED
from botocore.config import Config
from botocore.exceptions import ClientError

from conftest import unique_bucket
from kumo_cli import root_env, run_cli
from s3raw import signed_request

NS = "{http://s3.amazonaws.com/doc/2006-03-01/}"


def add_user(server, name, *args):
    res = run_cli(server, "user", "add", name, *args)
    assert res.returncode == 0, res.stderr
    secret = re.search(r"^secret_key: (\S+)$", res.stdout, re.MULTILINE).group(1)
    return server.client(access_key=name, secret_key=secret), secret


def code_of(excinfo):
    return excinfo.value.response["Error"]["Code"], \
        excinfo.value.response["ResponseMetadata"]["HTTPStatusCode"]


def denied(call, **kwargs):
    with pytest.raises(ClientError) as e:
        call(**kwargs)
    assert code_of(e) == ("AccessDenied", 403), e.value.response
    return e


def events_of(server, bucket, key):
    res = run_cli(server, "events", "ls", "--bucket", bucket, "--key", key,
                  "--limit", "10000", "--json")
    assert res.returncode == 0, res.stderr
    return [e["name"] for e in json.loads(res.stdout)["events"]]


def assert_nothing_written(server, root, bucket, key):
    with pytest.raises(ClientError) as e:
        root.head_object(Bucket=bucket, Key=key)
    assert e.value.response["ResponseMetadata"]["HTTPStatusCode"] == 404
    assert events_of(server, bucket, key) == []


@pytest.fixture(scope="module")
def root(kumo):
    return kumo.client()


@pytest.fixture(scope="module")
def shared_bucket(root):
    name = unique_bucket("shared")
    root.create_bucket(Bucket=name)
    root.put_object(Bucket=name, Key="report.txt", Body=b"quarterly")
    return name


def test_a_user_without_a_policy_has_only_its_own_buckets(kumo, root, shared_bucket):
    alice, _ = add_user(kumo, "alice-plain")
    mine = unique_bucket("alice")
    alice.create_bucket(Bucket=mine)
    alice.put_object(Bucket=mine, Key="a", Body=b"1")
    assert alice.get_object(Bucket=mine, Key="a")["Body"].read() == b"1"
    names = [b["Name"] for b in alice.list_buckets()["Buckets"]]
    assert names == [mine]  # not the shared bucket, which root owns
    assert {mine, shared_bucket} <= {b["Name"] for b in root.list_buckets()["Buckets"]}

    denied(alice.get_object, Bucket=shared_bucket, Key="report.txt")
    denied(alice.list_objects_v2, Bucket=shared_bucket)
    denied(alice.put_object, Bucket=shared_bucket, Key="alice.txt", Body=b"x")
    assert_nothing_written(kumo, root, shared_bucket, "alice.txt")
    denied(alice.delete_object, Bucket=shared_bucket, Key="report.txt")
    assert root.head_object(Bucket=shared_bucket, Key="report.txt")["ContentLength"] == 9
    denied(alice.delete_bucket, Bucket=shared_bucket)

    # Names are global: another owner's name is taken, one's own is already owned.
    with pytest.raises(ClientError) as e:
        alice.create_bucket(Bucket=shared_bucket)
    assert code_of(e) == ("BucketAlreadyExists", 409)
    with pytest.raises(ClientError) as e:
        alice.create_bucket(Bucket=mine)
    assert code_of(e) == ("BucketAlreadyOwnedByYou", 409)


def test_canned_policies(kumo, root, shared_bucket):
    reader, _ = add_user(kumo, "reader", "--policy", "readonly")
    assert reader.get_object(Bucket=shared_bucket, Key="report.txt")["Body"].read() == b"quarterly"
    keys = [o["Key"] for o in reader.list_objects_v2(Bucket=shared_bucket)["Contents"]]
    assert "report.txt" in keys
    denied(reader.put_object, Bucket=shared_bucket, Key="reader.txt", Body=b"x")
    assert_nothing_written(kumo, root, shared_bucket, "reader.txt")
    denied(reader.create_multipart_upload, Bucket=shared_bucket, Key="reader-mp")
    assert root.list_multipart_uploads(Bucket=shared_bucket).get("Uploads", []) == []

    device, _ = add_user(kumo, "device", "--policy", "writeonly")
    device.put_object(Bucket=shared_bucket, Key="uploads/1.jpg", Body=b"jpeg")
    assert root.get_object(Bucket=shared_bucket, Key="uploads/1.jpg")["Body"].read() == b"jpeg"
    assert events_of(kumo, shared_bucket, "uploads/1.jpg") == ["ObjectCreated:Put"]
    denied(device.get_object, Bucket=shared_bucket, Key="uploads/1.jpg")
    denied(device.list_objects_v2, Bucket=shared_bucket)
    # A user with a policy gets exactly what it says: writeonly creates no bucket.
    denied(device.create_bucket, Bucket=unique_bucket("device"))

    writer, _ = add_user(kumo, "writer", "--policy", "readwrite")
    writer.put_object(Bucket=shared_bucket, Key="writer.txt", Body=b"w")
    writer.delete_object(Bucket=shared_bucket, Key="writer.txt")
    assert events_of(kumo, shared_bucket, "writer.txt") == \
        ["ObjectCreated:Put", "ObjectRemoved:Delete"]


def test_policy_get_set_remove_and_bad_policies(kumo, root, shared_bucket, tmp_path):
    carol, _ = add_user(kumo, "carol")
    res = run_cli(kumo, "user", "policy", "get", "carol")
    assert res.returncode == 0 and res.stdout == "", res
    assert "no policy" in res.stderr

    # Only report.txt, and a Deny for everything under private/.
    doc = {"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": "s3:GetObject",
         "Resource": [f"arn:aws:s3:::{shared_bucket}/*"]},
        {"Effect": "Deny", "Action": "s3:*", "Resource": f"arn:aws:s3:::{shared_bucket}/private/*"},
    ]}
    path = tmp_path / "carol.json"
    path.write_text(json.dumps(doc))
    res = run_cli(kumo, "user", "policy", "set", "carol", path)
    assert res.returncode == 0, res.stderr
    got = json.loads(run_cli(kumo, "user", "policy", "get", "carol").stdout)
    assert got == doc

    root.put_object(Bucket=shared_bucket, Key="private/salary.txt", Body=b"secret")
    assert carol.get_object(Bucket=shared_bucket, Key="report.txt")["Body"].read() == b"quarterly"
    denied(carol.get_object, Bucket=shared_bucket, Key="private/salary.txt")

    # The change applies to the next request: no restart, no cache to wait for.
    assert run_cli(kumo, "user", "policy", "remove", "carol").returncode == 0
    denied(carol.get_object, Bucket=shared_bucket, Key="report.txt")

    bad = {
        "unknown action": {"Statement": [{"Effect": "Allow", "Action": "s3:Teleport",
                                          "Resource": "*"}]},
        "no statement": {"Version": "2012-10-17"},
        "principal in a user policy": {"Statement": [{"Effect": "Allow", "Principal": "*",
                                                      "Action": "s3:GetObject",
                                                      "Resource": "*"}]},
    }
    for what, document in bad.items():
        path.write_text(json.dumps(document))
        res = run_cli(kumo, "user", "policy", "set", "carol", path)
        assert res.returncode == 1, what
        assert "MalformedPolicy" in res.stderr, (what, res.stderr)
    res = run_cli(kumo, "user", "add", "dave", "--policy", "no-such-policy-or-file")
    assert res.returncode == 1 and "neither a canned policy" in res.stderr
    res = run_cli(kumo, "user", "add", "bad/name")
    assert res.returncode == 1 and "InvalidArgument" in res.stderr
    res = run_cli(kumo, "user", "policy", "get", "nobody")
    assert res.returncode == 1 and "InvalidAccessKeyId" in res.stderr


def test_presigned_urls_act_with_their_signers_rights(kumo, root, shared_bucket):
    reader, _ = add_user(kumo, "presigner", "--policy", "readonly")
    get = reader.generate_presigned_url(
        "get_object", Params={"Bucket": shared_bucket, "Key": "report.txt"}, ExpiresIn=300)
    r = requests.get(get, timeout=30)
    assert r.status_code == 200 and r.content == b"quarterly"

    put = reader.generate_presigned_url(
        "put_object", Params={"Bucket": shared_bucket, "Key": "by-url.txt"}, ExpiresIn=300)
    r = requests.put(put, data=b"should not land", timeout=30)
    assert r.status_code == 403 and b"<Code>AccessDenied</Code>" in r.content
    assert_nothing_written(kumo, root, shared_bucket, "by-url.txt")


def test_deny_put_from_an_ip_range(kumo, root, shared_bucket, tmp_path):
    # The tests connect from 127.0.0.1: a Deny on 127.0.0.0/8 applies, one on 10/8 not.
    cam, _ = add_user(kumo, "camera", "--policy", "readwrite")
    doc = {"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": "s3:*", "Resource": "*"},
        {"Effect": "Deny", "Action": "s3:PutObject", "Resource": "*",
         "Condition": {"IpAddress": {"aws:SourceIp": ["10.0.0.0/8"]}}},
    ]}
    path = tmp_path / "camera.json"
    path.write_text(json.dumps(doc))
    assert run_cli(kumo, "user", "policy", "set", "camera", path).returncode == 0
    cam.put_object(Bucket=shared_bucket, Key="cam/1.jpg", Body=b"1")

    doc["Statement"][1]["Condition"]["IpAddress"]["aws:SourceIp"] = ["127.0.0.0/8"]
    path.write_text(json.dumps(doc))
    assert run_cli(kumo, "user", "policy", "set", "camera", path).returncode == 0
    denied(cam.put_object, Bucket=shared_bucket, Key="cam/2.jpg", Body=b"2")
    assert_nothing_written(kumo, root, shared_bucket, "cam/2.jpg")
    # Reads are untouched by the Deny.
    assert cam.get_object(Bucket=shared_bucket, Key="cam/1.jpg")["Body"].read() == b"1"


def test_the_aws_cli_as_a_user(kumo, aws, root, shared_bucket):
    _, secret = add_user(kumo, "cli-reader", "--policy", "readonly")
    env = aws.env()
    env.update(AWS_ACCESS_KEY_ID="cli-reader", AWS_SECRET_ACCESS_KEY=secret)

    def run(*args):
        return subprocess.run([aws.bin, "--endpoint-url", kumo.endpoint, *map(str, args)],
                              env=env, capture_output=True, text=True, timeout=120)

    res = run("s3", "ls", f"s3://{shared_bucket}/")
    assert res.returncode == 0 and "report.txt" in res.stdout, res.stderr
    res = run("s3api", "put-object", "--bucket", shared_bucket, "--key", "cli.txt")
    assert res.returncode != 0
    assert "AccessDenied" in res.stderr
    assert_nothing_written(kumo, root, shared_bucket, "cli.txt")


def test_admin_api_needs_root_or_kumo_admin(kumo, tmp_path):
    _, plain_secret = add_user(kumo, "operator-plain", "--policy", "readwrite")
    env = root_env(kumo)
    env.update(KUMO_ROOT_ACCESS_KEY="operator-plain", KUMO_ROOT_SECRET_KEY=plain_secret)
    res = run_cli(kumo, "user", "list", env=env)
    assert res.returncode == 1 and "AccessDenied" in res.stderr

    admin_doc = {"Statement": [{"Effect": "Allow", "Action": "kumo:Admin", "Resource": "*"}]}
    path = tmp_path / "admin.json"
    path.write_text(json.dumps(admin_doc))
    _, admin_secret = add_user(kumo, "operator", "--policy", path)
    env.update(KUMO_ROOT_ACCESS_KEY="operator", KUMO_ROOT_SECRET_KEY=admin_secret)
    res = run_cli(kumo, "user", "list", env=env)
    assert res.returncode == 0 and "operator-plain" in res.stdout, res.stderr


def test_anonymous_callers_get_nothing_by_default(kumo, root, shared_bucket):
    anon = kumo.client(signature_version=UNSIGNED)
    denied(anon.list_buckets)
    denied(anon.get_object, Bucket=shared_bucket, Key="report.txt")
    denied(anon.put_object, Bucket=shared_bucket, Key="anon.txt", Body=b"x")
    assert_nothing_written(kumo, root, shared_bucket, "anon.txt")
    # A bucket that does not exist is NoSuchBucket for everyone, as S3 answers.
    with pytest.raises(ClientError) as e:
        anon.get_object(Bucket=unique_bucket("missing"), Key="k")
    assert code_of(e) == ("NoSuchBucket", 404)


def test_list_buckets_pages(kumo):
    # boto3 1.29 has no ListBuckets parameters: the paging query is sent by hand.
    _, secret = add_user(kumo, "pager")
    pager = kumo.client(access_key="pager", secret_key=secret)
    names = sorted(unique_bucket(f"page{i}") for i in range(5))
    for n in names:
        pager.create_bucket(Bucket=n)

    def page(query):
        r = signed_request(kumo, "GET", "/", query=query, access_key="pager", secret_key=secret)
        doc = ET.fromstring(r.body)
        return r.status, [e.text for e in doc.iter(f"{NS}Name")], \
            doc.findtext(f"{NS}ContinuationToken"), doc.findtext(f"{NS}Code") or doc.findtext("Code")

    status, first, token, _ = page("max-buckets=2")
    assert status == 200 and first == names[:2] and token
    seen = list(first)
    while token:
        status, more, token, _ = page("continuation-token=" + urllib.parse.quote(token, safe="")
                                      + "&max-buckets=2")
        assert status == 200
        seen += more
    assert seen == names
    assert page("prefix=" + names[3])[1] == [names[3]]
    status, _, _, code = page("max-buckets=0")
    assert (status, code) == (400, "InvalidArgument")
