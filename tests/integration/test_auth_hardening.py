"""Auth hardening (issue 10, defects 2 and 8).

Every x-amz-* header must be signed, in presigned URLs too: a presigned URL comes from
boto3 and is sent by requests, as a script or a web page holding the URL would, with an
x-amz-* header added. And a SignedHeaders list that repeats a name, is unsorted or has
more names than the server accepts is refused with the S3 error code before any
signature work; those requests are signed by botocore's S3SigV4Auth over exactly that list,
so that only the list's shape can be the reason for a refusal.

Each refusal is checked for its exact S3 error code and HTTP status, and for leaving
nothing behind: no object, no changed object, no event.
"""

import json
import urllib.parse
import xml.etree.ElementTree as ET

import pytest
import requests
from botocore.auth import S3SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials
from botocore.exceptions import ClientError

from conftest import REGION
from kumo_cli import run_cli

SECRET = b"private bytes nobody may copy"
# src/auth/sigv4_internal.h: kMaxSignedHeaders.
MAX_SIGNED_HEADERS = 256

# Headers that each change what a PutObject does; none is signed by a plain presigned PUT.
UNSIGNED_HEADERS = [
    ("x-amz-copy-source", "{bucket}/private/secret.txt"),
    ("x-amz-tagging", "owner=mallory"),
    ("x-amz-meta-x", "1"),
    ("x-amz-metadata-directive", "REPLACE"),
    ("x-amz-acl", "public-read"),
]


def error_of(response):
    """(HTTP status, S3 error code, message); the code is None for a non-error body."""
    try:
        doc = ET.fromstring(response.content)
    except ET.ParseError:
        return response.status_code, None, response.text
    return response.status_code, doc.findtext("Code"), doc.findtext("Message")


def events_of(server, bucket, key):
    res = run_cli(server, "events", "ls", "--bucket", bucket, "--key", key,
                  "--limit", "10000", "--json")
    assert res.returncode == 0, res.stderr
    return [e["name"] for e in json.loads(res.stdout)["events"]]


def assert_absent(s3, bucket, key):
    with pytest.raises(ClientError) as e:
        s3.head_object(Bucket=bucket, Key=key)
    assert e.value.response["ResponseMetadata"]["HTTPStatusCode"] == 404, f"{key!r} exists"
    listed = [o["Key"] for o in s3.list_objects_v2(Bucket=bucket).get("Contents", [])]
    assert key not in listed


def presigned_put(s3, bucket, key, **params):
    return s3.generate_presigned_url("put_object", ExpiresIn=300,
                                     Params={"Bucket": bucket, "Key": key, **params})


# ---- defect 2: presigned URLs refuse unsigned x-amz-* headers --------------------------
@pytest.mark.parametrize("name,value", UNSIGNED_HEADERS, ids=[n for n, _ in UNSIGNED_HEADERS])
def test_presigned_put_refuses_unsigned_amz_header(kumo, s3, bucket, name, value):
    s3.put_object(Bucket=bucket, Key="private/secret.txt", Body=SECRET)
    url = presigned_put(s3, bucket, "inbox/u")
    r = requests.put(url, data=b"upload", headers={name: value.format(bucket=bucket)})
    status, code, message = error_of(r)
    assert (status, code) == (403, "AccessDenied"), r.text
    assert message == f"There were headers present in the request which were not signed: {name}"
    assert_absent(s3, bucket, "inbox/u")
    assert events_of(kumo, bucket, "inbox/u") == []

    # The same URL without the header works, and records its event: the refusal above was
    # the header's doing, and the event check above can see an event when there is one.
    r = requests.put(url, data=b"upload")
    assert r.status_code == 200, r.text
    assert s3.get_object(Bucket=bucket, Key="inbox/u")["Body"].read() == b"upload"
    assert events_of(kumo, bucket, "inbox/u") == ["ObjectCreated:Put"]


def test_presigned_put_leaves_existing_object_unchanged(kumo, s3, bucket):
    s3.put_object(Bucket=bucket, Key="private/secret.txt", Body=SECRET)
    s3.put_object(Bucket=bucket, Key="inbox/u", Body=b"original", Metadata={"k": "v"})
    before = s3.head_object(Bucket=bucket, Key="inbox/u")
    url = presigned_put(s3, bucket, "inbox/u")
    for name, value in UNSIGNED_HEADERS:
        r = requests.put(url, data=b"replaced", headers={name: value.format(bucket=bucket)})
        assert error_of(r)[:2] == (403, "AccessDenied"), (name, r.text)
    # All of them at once: every one is named.
    r = requests.put(url, data=b"replaced",
                     headers={n: v.format(bucket=bucket) for n, v in UNSIGNED_HEADERS})
    assert error_of(r)[:2] == (403, "AccessDenied")
    assert all(n in error_of(r)[2] for n, _ in UNSIGNED_HEADERS), error_of(r)[2]

    after = s3.head_object(Bucket=bucket, Key="inbox/u")
    assert (after["ETag"], after["Metadata"]) == (before["ETag"], {"k": "v"})
    assert s3.get_object(Bucket=bucket, Key="inbox/u")["Body"].read() == b"original"
    assert s3.get_object_tagging(Bucket=bucket, Key="inbox/u")["TagSet"] == []
    assert events_of(kumo, bucket, "inbox/u") == ["ObjectCreated:Put"]


def test_presigned_get_refuses_unsigned_amz_header(s3, bucket):
    s3.put_object(Bucket=bucket, Key="doc", Body=b"doc")
    url = s3.generate_presigned_url("get_object", Params={"Bucket": bucket, "Key": "doc"})
    r = requests.get(url, headers={"x-amz-checksum-mode": "ENABLED"})
    assert error_of(r)[:2] == (403, "AccessDenied"), r.text
    # Other headers stay free to add: browsers and HTTP libraries add several.
    r = requests.get(url, headers={"Range": "bytes=0-1", "User-Agent": "test/1",
                                   "X-Amzn-Trace-Id": "Root=1-0-0"})
    assert (r.status_code, r.content) == (206, b"do")


def test_presigned_put_with_signed_metadata(kumo, s3, bucket):
    # boto3 signs the x-amz-meta-x header (it stays a header, named in the signed list);
    # whoever uses the URL must send it, with that value.
    url = presigned_put(s3, bucket, "meta", Metadata={"x": "1"})
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(url).query)
    assert query["X-Amz-SignedHeaders"] == ["host;x-amz-meta-x"]

    r = requests.put(url, data=b"m", headers={"x-amz-meta-x": "2"})
    assert error_of(r)[:2] == (403, "SignatureDoesNotMatch"), r.text
    r = requests.put(url, data=b"m", headers={"x-amz-meta-x": "1", "x-amz-tagging": "a=b"})
    assert error_of(r)[:2] == (403, "AccessDenied"), r.text
    assert_absent(s3, bucket, "meta")
    assert events_of(kumo, bucket, "meta") == []

    r = requests.put(url, data=b"m", headers={"x-amz-meta-x": "1"})
    assert r.status_code == 200, r.text
    assert s3.head_object(Bucket=bucket, Key="meta")["Metadata"] == {"x": "1"}


# ---- defect 8: the SignedHeaders list itself -------------------------------------------
class ListSigner(S3SigV4Auth):
    """botocore's signer with SignedHeaders (and the canonical headers) taken from `names`
    verbatim, repeats and order included: the signature is right for that list."""

    def __init__(self, server, names):
        super().__init__(Credentials(server.access_key, server.secret_key), "s3", REGION)
        self.names = names

    def signed_headers(self, headers_to_sign):
        return ";".join(self.names)

    def canonical_headers(self, headers_to_sign):
        return "\n".join(
            f"{n}:" + ",".join(self._header_value(v) for v in headers_to_sign.get_all(n))
            for n in self.names)


def put_signed_with(server, bucket, key, names, headers=None):
    url = f"{server.endpoint}/{bucket}/{key}"
    request = AWSRequest(method="PUT", url=url, data=b"body", headers=dict(headers or {}))
    ListSigner(server, names).add_auth(request)
    return requests.put(url, data=b"body", headers=dict(request.headers.items()))


BASE = ["host", "x-amz-content-sha256", "x-amz-date"]


def test_signed_headers_well_formed_list_is_accepted(kumo, s3, bucket):
    # The control: the same signer with a proper list succeeds.
    r = put_signed_with(kumo, bucket, "ok", BASE + ["x-amz-meta-a"], {"x-amz-meta-a": "v"})
    assert r.status_code == 200, r.text
    assert s3.head_object(Bucket=bucket, Key="ok")["Metadata"] == {"a": "v"}


@pytest.mark.parametrize("names", [
    BASE + ["x-amz-meta-a"] * 50,  # 50 copies of a 2 KB value in the canonical request
    ["host", "host", "x-amz-content-sha256", "x-amz-date"],
    ["x-amz-date", "host", "x-amz-content-sha256"],
], ids=["repeated-meta", "repeated-host", "unsorted"])
def test_signed_headers_repeated_or_unsorted_is_malformed(kumo, s3, bucket, names):
    headers = {"x-amz-meta-a": "v" * 2000} if "x-amz-meta-a" in names else {}
    r = put_signed_with(kumo, bucket, "k", names, headers)
    assert error_of(r)[:2] == (400, "AuthorizationHeaderMalformed"), r.text
    assert_absent(s3, bucket, "k")
    assert events_of(kumo, bucket, "k") == []


def test_signed_headers_beyond_the_cap_are_malformed(kumo, s3, bucket):
    meta = [f"x-amz-meta-m{i:04d}" for i in range(MAX_SIGNED_HEADERS - len(BASE))]
    headers = {n: "v" for n in meta}
    r = put_signed_with(kumo, bucket, "at-cap", BASE + meta, headers)
    assert r.status_code == 200, r.text

    over = meta + ["x-amz-meta-zzzz"]
    headers["x-amz-meta-zzzz"] = "v"
    r = put_signed_with(kumo, bucket, "over-cap", BASE + over, headers)
    assert error_of(r)[:2] == (400, "AuthorizationHeaderMalformed"), r.text
    assert_absent(s3, bucket, "over-cap")
    assert events_of(kumo, bucket, "over-cap") == []


def test_presigned_signed_headers_repeated_is_query_error(s3, bucket):
    url = presigned_put(s3, bucket, "p")
    bad = url.replace("X-Amz-SignedHeaders=host", "X-Amz-SignedHeaders=host%3Bhost")
    assert bad != url
    r = requests.put(bad, data=b"p")
    assert error_of(r)[:2] == (400, "AuthorizationQueryParametersError"), r.text
    assert_absent(s3, bucket, "p")
