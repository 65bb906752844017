"""Browser-based uploads (POST Object with a SigV4 POST policy): forms made by boto3's
generate_presigned_post and sent by requests as multipart/form-data, as a web page
would. Every error case asserts the exact S3 code and that nothing was stored."""

import base64
import datetime
import hashlib
import hmac
import json
import time
import urllib.parse
import xml.etree.ElementTree as ET

import requests

import s3raw
from conftest import REGION


def post(presigned, data, filename="upload.bin", fields_after=None, **kwargs):
    """Posts the form the way a browser does: the fields, then the file."""
    fields = dict(presigned["fields"])
    fields.update(fields_after or {})
    return requests.post(presigned["url"], data=fields, files={"file": (filename, data)},
                         allow_redirects=False, timeout=120, **kwargs)


def error_code(resp):
    assert resp.headers.get("Content-Type") == "application/xml", resp.text
    return ET.fromstring(resp.content).findtext("Code")


def assert_error(resp, status, code, message=None):
    assert resp.status_code == status, resp.text
    assert error_code(resp) == code, resp.text
    if message is not None:
        assert ET.fromstring(resp.content).findtext("Message") == message


def assert_empty(s3, bucket):
    assert s3.list_objects_v2(Bucket=bucket).get("KeyCount", 0) == 0


def sign_policy(kumo, policy_b64, date):
    """SigV4 signature of a POST policy, computed here for hand-made policies."""
    def h(key, msg):
        return hmac.new(key, msg.encode(), hashlib.sha256).digest()
    key = h(h(h(h(("AWS4" + kumo.secret_key).encode(), date), REGION), "s3"), "aws4_request")
    return hmac.new(key, policy_b64.encode(), hashlib.sha256).hexdigest()


def handmade_form(kumo, bucket, policy_bytes, key="k"):
    now = datetime.datetime.now(datetime.timezone.utc)
    date = now.strftime("%Y%m%d")
    policy = base64.b64encode(policy_bytes).decode()
    return {"url": f"{kumo.endpoint}/{bucket}", "fields": {
        "key": key,
        "x-amz-algorithm": "AWS4-HMAC-SHA256",
        "x-amz-credential": f"{kumo.access_key}/{date}/{REGION}/s3/aws4_request",
        "x-amz-date": now.strftime("%Y%m%dT%H%M%SZ"),
        "policy": policy,
        "x-amz-signature": sign_policy(kumo, policy, date),
    }}


# ---- successful uploads ------------------------------------------------------------------
def test_default_204_with_metadata(s3, bucket):
    presigned = s3.generate_presigned_post(
        bucket, "docs/readme.txt",
        Fields={"Content-Type": "text/plain", "x-amz-meta-color": "blue",
                "Cache-Control": "no-cache", "acl": "private"},
        Conditions=[{"Content-Type": "text/plain"}, ["starts-with", "$x-amz-meta-color", ""],
                    {"Cache-Control": "no-cache"}, {"acl": "private"},
                    ["content-length-range", 1, 1024]],
        ExpiresIn=300)
    assert presigned["url"].endswith("/" + bucket)
    body = b"hello from a browser form\r\n--not a boundary\r\n"
    r = post(presigned, body)
    assert r.status_code == 204, r.text
    etag = '"' + hashlib.md5(body).hexdigest() + '"'
    assert r.headers["ETag"] == etag
    assert r.headers["Location"].endswith(f"/{bucket}/docs/readme.txt")
    got = s3.get_object(Bucket=bucket, Key="docs/readme.txt")
    assert got["Body"].read() == body
    assert got["ETag"] == etag
    assert got["ContentType"] == "text/plain"
    assert got["CacheControl"] == "no-cache"
    assert got["Metadata"] == {"color": "blue"}


def test_success_action_status_201_returns_xml(s3, bucket):
    presigned = s3.generate_presigned_post(
        bucket, "a b/c+d.txt", Fields={"success_action_status": "201"},
        Conditions=[{"success_action_status": "201"}])
    r = post(presigned, b"xml please")
    assert r.status_code == 201, r.text
    doc = ET.fromstring(r.content)
    assert doc.tag == "PostResponse"
    assert doc.findtext("Bucket") == bucket
    assert doc.findtext("Key") == "a b/c+d.txt"
    assert doc.findtext("ETag") == '"' + hashlib.md5(b"xml please").hexdigest() + '"'
    assert doc.findtext("Location").endswith(f"/{bucket}/a%20b/c%2Bd.txt")
    assert s3.get_object(Bucket=bucket, Key="a b/c+d.txt")["Body"].read() == b"xml please"


def test_success_action_status_200(s3, bucket):
    presigned = s3.generate_presigned_post(
        bucket, "k200", Fields={"success_action_status": "200"},
        Conditions=[["eq", "$success_action_status", "200"]])
    r = post(presigned, b"ok")
    assert r.status_code == 200 and r.content == b"", r.text
    assert s3.get_object(Bucket=bucket, Key="k200")["Body"].read() == b"ok"


def test_success_action_redirect_303(s3, bucket):
    target = "https://app.example.test/done?from=kumo"
    presigned = s3.generate_presigned_post(
        bucket, "redirected", Fields={"success_action_redirect": target},
        Conditions=[["starts-with", "$success_action_redirect", "https://app.example.test/"]])
    r = post(presigned, b"go")
    assert r.status_code == 303, r.text
    location = urllib.parse.urlsplit(r.headers["Location"])
    assert location.netloc == "app.example.test" and location.path == "/done"
    query = urllib.parse.parse_qs(location.query)
    assert query == {"from": ["kumo"], "bucket": [bucket], "key": ["redirected"],
                     "etag": ['"' + hashlib.md5(b"go").hexdigest() + '"']}
    assert s3.get_object(Bucket=bucket, Key="redirected")["Body"].read() == b"go"


def test_filename_variable(s3, bucket):
    presigned = s3.generate_presigned_post(bucket, "uploads/${filename}")
    assert ["starts-with", "$key", "uploads/"] in json.loads(
        base64.b64decode(presigned["fields"]["policy"]))["conditions"]
    r = post(presigned, b"\x89PNG...", filename="photo.png")
    assert r.status_code == 204, r.text
    assert s3.get_object(Bucket=bucket, Key="uploads/photo.png")["Body"].read() == b"\x89PNG..."


def test_large_file_streams(s3, bucket):
    data = bytes(range(256)) * (5 * 1024 * 1024 // 256) + b"tail"
    presigned = s3.generate_presigned_post(
        bucket, "big.bin", Conditions=[["content-length-range", 0, 6 * 1024 * 1024]])
    r = post(presigned, data)
    assert r.status_code == 204, r.text
    got = s3.get_object(Bucket=bucket, Key="big.bin")
    assert got["ContentLength"] == len(data)
    assert got["ContentType"] == "binary/octet-stream"
    assert hashlib.sha256(got["Body"].read()).digest() == hashlib.sha256(data).digest()


def test_ignored_fields(s3, bucket):
    presigned = s3.generate_presigned_post(bucket, "ignored")
    # x-ignore-* needs no condition; fields after the file are ignored altogether.
    fields = dict(presigned["fields"], **{"x-ignore-tracking": "1"})
    r = requests.post(presigned["url"], files=[*[(k, (None, v)) for k, v in fields.items()],
                                               ("file", ("f", b"data")),
                                               ("x-amz-meta-late", (None, "x"))],
                      timeout=60)
    assert r.status_code == 204, r.text
    assert s3.head_object(Bucket=bucket, Key="ignored")["Metadata"] == {}


# ---- errors: exact code, nothing stored --------------------------------------------------
def test_expired_policy(s3, bucket):
    presigned = s3.generate_presigned_post(bucket, "late", ExpiresIn=1)
    time.sleep(2.1)
    assert_error(post(presigned, b"x"), 403, "AccessDenied",
                 "Invalid according to Policy: Policy expired.")
    assert_empty(s3, bucket)


def test_file_larger_than_range(s3, bucket):
    presigned = s3.generate_presigned_post(
        bucket, "big", Conditions=[["content-length-range", 1, 1000]])
    assert_error(post(presigned, b"y" * 1001), 400, "EntityTooLarge")
    assert_error(post(presigned, b"y" * (2 * 1024 * 1024)), 400, "EntityTooLarge")
    assert_empty(s3, bucket)


def test_file_smaller_than_range(s3, bucket):
    presigned = s3.generate_presigned_post(
        bucket, "small", Conditions=[["content-length-range", 10, 1000]])
    assert_error(post(presigned, b"123456789"), 400, "EntityTooSmall")
    assert_empty(s3, bucket)


def test_key_outside_starts_with(s3, bucket):
    presigned = s3.generate_presigned_post(bucket, "user/alice/${filename}")
    r = post(presigned, b"x", fields_after={"key": "user/bob/x"})
    assert_error(r, 403, "AccessDenied",
                 'Invalid according to Policy: Policy Condition failed: '
                 '["starts-with", "$key", "user/alice/"]')
    assert_empty(s3, bucket)


def test_tampered_policy(s3, bucket):
    presigned = s3.generate_presigned_post(bucket, "user/alice/${filename}")
    policy = json.loads(base64.b64decode(presigned["fields"]["policy"]))
    policy["conditions"] = [c for c in policy["conditions"] if not isinstance(c, list)]
    policy["conditions"].append(["starts-with", "$key", ""])
    tampered = base64.b64encode(json.dumps(policy).encode()).decode()
    r = post(presigned, b"x", fields_after={"policy": tampered, "key": "anywhere"})
    assert_error(r, 403, "SignatureDoesNotMatch")
    assert_empty(s3, bucket)


def test_extra_unlisted_field(s3, bucket):
    presigned = s3.generate_presigned_post(bucket, "k")
    r = post(presigned, b"x", fields_after={"x-amz-meta-sneaky": "1"})
    assert_error(r, 403, "AccessDenied",
                 "Invalid according to Policy: Extra input fields: x-amz-meta-sneaky")
    assert_empty(s3, bucket)


def test_unknown_access_key(kumo, s3, bucket):
    stranger = kumo.client(access_key="AKIAUNKNOWNKEY000000")
    presigned = stranger.generate_presigned_post(bucket, "k")
    assert_error(post(presigned, b"x"), 403, "InvalidAccessKeyId")
    assert_empty(s3, bucket)


def test_wrong_secret(kumo, s3, bucket):
    bad = kumo.client(secret_key="wrong" + kumo.secret_key[5:])
    assert_error(post(bad.generate_presigned_post(bucket, "k"), b"x"), 403,
                 "SignatureDoesNotMatch")
    assert_empty(s3, bucket)


def test_malformed_policy_json(kumo, s3, bucket):
    form = handmade_form(kumo, bucket, b'{"expiration": "2099-01-01T00:00:00Z", "conditions": [')
    assert_error(post(form, b"x"), 400, "InvalidPolicyDocument")
    form = handmade_form(kumo, bucket, b'{"conditions": []}')
    assert_error(post(form, b"x"), 400, "InvalidPolicyDocument")
    assert_empty(s3, bucket)


def test_handmade_policy_accepted(kumo, s3, bucket):
    """The same hand-made form with a well-formed policy works: the errors above are
    about the policy, not about how the form is made."""
    expiration = (datetime.datetime.now(datetime.timezone.utc) +
                  datetime.timedelta(minutes=5)).strftime("%Y-%m-%dT%H:%M:%S.000Z")
    policy = {"expiration": expiration, "conditions": [
        {"bucket": bucket}, {"key": "k"}, ["starts-with", "$x-amz-credential", ""],
        {"x-amz-algorithm": "AWS4-HMAC-SHA256"}, ["starts-with", "$x-amz-date", ""]]}
    form = handmade_form(kumo, bucket, json.dumps(policy).encode())
    assert post(form, b"fine").status_code == 204
    assert s3.get_object(Bucket=bucket, Key="k")["Body"].read() == b"fine"


def test_checksum_field(s3, bucket):
    data = b"checked"
    good = base64.b64encode(hashlib.sha256(data).digest()).decode()
    for value, key in ((good, "good"), (base64.b64encode(b"\0" * 32).decode(), "bad")):
        presigned = s3.generate_presigned_post(
            bucket, key, Fields={"x-amz-checksum-sha256": value},
            Conditions=[{"x-amz-checksum-sha256": value}])
        r = post(presigned, data)
        if key == "good":
            assert r.status_code == 204, r.text
            assert r.headers["x-amz-checksum-sha256"] == good
        else:
            assert_error(r, 400, "BadDigest")
    assert [o["Key"] for o in s3.list_objects_v2(Bucket=bucket)["Contents"]] == ["good"]


def test_anonymous_form_denied(kumo, s3, bucket):
    r = requests.post(f"{kumo.endpoint}/{bucket}", data={"key": "anon"},
                      files={"file": ("f", b"x")}, timeout=60)
    assert_error(r, 403, "AccessDenied")
    assert_empty(s3, bucket)


def test_fields_before_file_too_large(s3, bucket):
    presigned = s3.generate_presigned_post(bucket, "k")
    r = post(presigned, b"x", fields_after={"x-ignore-padding": "p" * 30000})
    assert_error(r, 400, "MaxPostPreDataLengthExceededError")
    assert_empty(s3, bucket)


def test_missing_final_boundary(kumo, s3, bucket):
    presigned = s3.generate_presigned_post(bucket, "k")
    req = requests.Request("POST", presigned["url"], data=presigned["fields"],
                           files={"file": ("f", b"data")}).prepare()
    body = req.body[:req.body.rindex(b"--\r\n")]  # drop the closing "--"
    r = requests.post(presigned["url"], data=body, timeout=60,
                      headers={"Content-Type": req.headers["Content-Type"]})
    assert_error(r, 400, "MalformedPOSTRequest")
    assert_empty(s3, bucket)


def test_no_such_bucket(s3):
    presigned = s3.generate_presigned_post("no-such-bucket-post", "k")
    assert_error(post(presigned, b"x"), 404, "NoSuchBucket")


def test_signed_post_that_is_not_a_form(kumo, s3, bucket):
    """A correctly signed POST /bucket that is not a form: S3 insists on
    multipart/form-data (412 PreconditionFailed)."""
    resp = s3raw.signed_request(kumo, "POST", f"/{bucket}", body=b"key=k",
                                headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert resp.status == 412 and resp.code == "PreconditionFailed", resp
    assert_empty(s3, bucket)
