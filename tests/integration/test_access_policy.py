"""Access control against kumod with boto3 as real users (made with `kumo user add`): a
matrix of callers (the bucket owner, another user, an anonymous client, a URL presigned
by the other user) x operations x situations (no grant, bucket policies that allow, deny,
or hold conditions, the public access block); then the bucket policy, policy status,
ownership controls and public access block operations themselves, bucket name conflicts
between users, and ListBuckets per user.

A denied request answers 403 AccessDenied, and a denied write leaves no trace: the object
does not exist afterwards (checked as root) and no event was recorded for it."""

import json
import re
import urllib.error
import urllib.parse
import urllib.request
import uuid
import xml.etree.ElementTree as ET

import pytest
from botocore import UNSIGNED
from botocore.exceptions import ClientError

from conftest import unique_bucket
from kumo_cli import run_cli

ACCOUNT = "000000000000"  # policy/evaluate.h: Kumo is one account
SEED = "seed.txt"
OK = "ok"
DENIED = "AccessDenied"


def user_arn(name):
    return f"arn:aws:iam::{ACCOUNT}:user/{name}"


def add_user(server, prefix):
    name = f"{prefix}{uuid.uuid4().hex[:8]}"
    res = run_cli(server, "user", "add", name)
    assert res.returncode == 0, res.stderr
    m = re.search(r"^secret_key: (\S+)$", res.stdout, re.MULTILINE)
    assert m, res.stdout
    return name, server.client(access_key=name, secret_key=m.group(1)), m.group(1)


def drop_body(request, **_):
    # A presigned URL carries no body (the caller sends it), and botocore's CRT presigner
    # would otherwise try to read an XML or JSON body as query parameters.
    request.data = b""


class Actors:
    def __init__(self, kumo):
        self.root = kumo.client()
        self.owner_name, self.owner, _ = add_user(kumo, "own")
        self.other_name, self.other, secret = add_user(kumo, "oth")
        self.anon = kumo.client(signature_version=UNSIGNED)
        # Presigns as the other user (one client for that alone: it drops request bodies).
        self.presigner = kumo.client(access_key=self.other_name, secret_key=secret)
        self.presigner.meta.events.register("before-sign.s3", drop_body)


@pytest.fixture(scope="module")
def actors(kumo):
    return Actors(kumo)


def code_of(excinfo):
    err = excinfo.value.response
    return err["ResponseMetadata"]["HTTPStatusCode"], err["Error"]["Code"]


def events_of(server, bucket):
    res = run_cli(server, "events", "ls", "--bucket", bucket, "--limit", "10000", "--json")
    assert res.returncode == 0, res.stderr
    return json.loads(res.stdout)["events"]


def policy_doc(*statements):
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)})


def statement(effect, principal, actions, bucket, condition=None, sid=None):
    s = {"Effect": effect, "Principal": principal, "Action": actions,
         "Resource": [f"arn:aws:s3:::{bucket}", f"arn:aws:s3:::{bucket}/*"]}
    if condition:
        s["Condition"] = condition
    if sid:
        s["Sid"] = sid
    return s


# What the "allow" situations grant: every operation of the matrix but PutBucketPolicy.
GRANTED = ["s3:ListBucket", "s3:GetObject", "s3:PutObject", "s3:DeleteObject",
           "s3:PutObjectTagging", "s3:GetBucketNotification", "s3:GetBucketPolicy"]


def probe_policy(bucket, other_name):
    """What the matrix's PutBucketPolicy sends: not public, recognisable by its Sid."""
    return policy_doc(statement("Allow", {"AWS": user_arn(other_name)}, "s3:GetBucketPolicy",
                                bucket, sid="probe"))


# ---- the operations of the matrix -----------------------------------------------------
class Call:
    """One operation by one caller on one bucket: runs it, then says whether a denied
    write left a trace."""

    def __init__(self, t, op):
        self.t = t  # the running Trial
        self.op = op
        self.key = f"{op.lower()}-{uuid.uuid4().hex[:10]}"

    # (boto3 method, HTTP method, params, body sent by the presigned request)
    def request(self):
        b, k, t = self.t.bucket, self.key, self.t
        op = self.op
        if op == "HeadBucket":
            return "head_bucket", "HEAD", {"Bucket": b}, None
        if op == "ListObjectsV2":
            return "list_objects_v2", "GET", {"Bucket": b}, None
        if op == "GetObject":
            return "get_object", "GET", {"Bucket": b, "Key": SEED}, None
        if op == "PutObject":
            return "put_object", "PUT", {"Bucket": b, "Key": k, "Body": b"payload"}, b"payload"
        if op == "DeleteObject":
            return "delete_object", "DELETE", {"Bucket": b, "Key": k}, None
        if op == "CreateMultipartUpload":
            return "create_multipart_upload", "POST", {"Bucket": b, "Key": k}, None
        if op == "PutObjectTagging":
            tagging = {"TagSet": [{"Key": "t", "Value": "v"}]}
            body = (b'<Tagging xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><TagSet><Tag>'
                    b"<Key>t</Key><Value>v</Value></Tag></TagSet></Tagging>")
            return "put_object_tagging", "PUT", {"Bucket": b, "Key": k, "Tagging": tagging}, body
        if op == "GetBucketNotificationConfiguration":
            return "get_bucket_notification_configuration", "GET", {"Bucket": b}, None
        if op == "PutBucketPolicy":
            text = probe_policy(b, t.actors.other_name)
            return "put_bucket_policy", "PUT", {"Bucket": b, "Policy": text}, text.encode()
        if op == "GetBucketPolicy":
            return "get_bucket_policy", "GET", {"Bucket": b}, None
        raise AssertionError(op)

    def before(self):
        root = self.t.actors.root
        if self.op in ("DeleteObject", "PutObjectTagging"):
            root.put_object(Bucket=self.t.bucket, Key=self.key, Body=b"victim")

    def run(self, who):
        self.before()
        method, http, params, body = self.request()
        if who == "presigned":
            url = self.t.actors.presigner.generate_presigned_url(
                method, Params={k: v for k, v in params.items() if k != "Body"}, ExpiresIn=300)
            status, code = fetch(url, http, body)
        else:
            client = getattr(self.t.actors, who)
            try:
                response = getattr(client, method)(**params)
                if "Body" in response:
                    response["Body"].read()
                status, code = response["ResponseMetadata"]["HTTPStatusCode"], OK
            except ClientError as e:
                status = e.response["ResponseMetadata"]["HTTPStatusCode"]
                code = e.response["Error"]["Code"]
        if http == "HEAD" and status == 403 and code in (None, "403"):
            code = DENIED  # a HEAD answer has no body to carry the code
        if code is None:
            code = OK if status < 300 else f"HTTP {status}"
        if code == DENIED and status != 403:
            code = f"AccessDenied with HTTP {status}"
        return code

    def denied_write_left_trace(self):
        """A description of what a denied write changed, or None."""
        root, b, k = self.t.actors.root, self.t.bucket, self.key
        if self.op in ("PutObject", "CreateMultipartUpload"):
            self.t.no_events.append((k, ""))
            try:
                root.head_object(Bucket=b, Key=k)
                return f"object {k} exists"
            except ClientError:
                pass
            uploads = root.list_multipart_uploads(Bucket=b, Prefix=k).get("Uploads", [])
            if uploads:
                return f"upload of {k} exists"
        elif self.op == "DeleteObject":
            self.t.no_events.append((k, "ObjectRemoved"))
            try:
                root.head_object(Bucket=b, Key=k)
            except ClientError:
                return f"object {k} was deleted"
        elif self.op == "PutObjectTagging":
            self.t.no_events.append((k, "ObjectTagging"))
            if root.get_object_tagging(Bucket=b, Key=k)["TagSet"]:
                return f"object {k} was tagged"
        elif self.op == "PutBucketPolicy":
            try:
                stored = root.get_bucket_policy(Bucket=b)["Policy"]
            except ClientError:
                stored = ""
            if '"probe"' in stored:
                return "the policy was replaced"
        return None


def fetch(url, method, body):
    """A presigned URL fetched with urllib: (HTTP status, S3 error code or None)."""
    req = urllib.request.Request(url, data=body, method=method)
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            r.read()
            return r.status, None
    except urllib.error.HTTPError as e:
        data = e.read()
        try:
            return e.code, ET.fromstring(data).findtext("Code") if data else None
        except ET.ParseError:
            return e.code, None


OPS = ["HeadBucket", "ListObjectsV2", "GetObject", "PutObject", "DeleteObject",
       "CreateMultipartUpload", "PutObjectTagging", "GetBucketNotificationConfiguration",
       "PutBucketPolicy", "GetBucketPolicy"]
WHO = ["owner", "other", "anon", "presigned"]
WRITES = {"PutObject", "DeleteObject", "CreateMultipartUpload", "PutObjectTagging",
          "PutBucketPolicy"}


# ---- the situations -------------------------------------------------------------------
# Each: (policy(bucket, other_name) or None, public access block or None, expected(who, op)).
def everyone_but_put_policy(who, op):
    return DENIED if op == "PutBucketPolicy" and who != "owner" else OK


def named_users_only(who, op):
    return DENIED if who == "anon" else everyone_but_put_policy(who, op)


def owner_only(who, op):
    return OK if who == "owner" else DENIED


SITUATIONS = {
    "no_grant": (
        None, None,
        lambda who, op: ("NoSuchBucketPolicy" if op == "GetBucketPolicy" else OK)
        if who == "owner" else DENIED),
    "allow_other_user": (
        lambda b, other: policy_doc(statement("Allow", {"AWS": user_arn(other)}, GRANTED, b)),
        None, named_users_only),
    "allow_everyone": (
        lambda b, other: policy_doc(statement("Allow", "*", GRANTED, b)),
        None, everyone_but_put_policy),
    "deny_over_allow": (
        lambda b, other: policy_doc(
            statement("Allow", "*", GRANTED, b),
            statement("Deny", "*", ["s3:GetObject", "s3:PutObject"], b)),
        None,
        lambda who, op: DENIED if op in ("GetObject", "PutObject", "CreateMultipartUpload")
        else everyone_but_put_policy(who, op)),
    "source_ip_allowed": (
        lambda b, other: policy_doc(statement(
            "Allow", {"AWS": user_arn(other)}, GRANTED, b,
            condition={"IpAddress": {"aws:SourceIp": "127.0.0.1/32"}})),
        None, named_users_only),
    "source_ip_elsewhere": (
        lambda b, other: policy_doc(statement(
            "Allow", {"AWS": user_arn(other)}, GRANTED, b,
            condition={"IpAddress": {"aws:SourceIp": "10.0.0.0/8"}})),
        None, owner_only),
    "insecure_transport_denied": (
        lambda b, other: policy_doc(
            statement("Allow", "*", GRANTED, b),
            statement("Deny", "*", "s3:*", b,
                      condition={"Bool": {"aws:SecureTransport": "false"}})),
        None, lambda who, op: DENIED),
    "restrict_public_buckets": (
        lambda b, other: policy_doc(statement("Allow", "*", GRANTED, b)),
        {"RestrictPublicBuckets": True}, named_users_only),
    "block_public_policy_with_private_policy": (
        lambda b, other: policy_doc(statement("Allow", {"AWS": user_arn(other)}, GRANTED, b)),
        {"BlockPublicPolicy": True}, named_users_only),
}


class Trial:
    def __init__(self, kumo, actors, situation):
        self.kumo, self.actors = kumo, actors
        self.policy_of, self.block, self.expected = SITUATIONS[situation]
        self.bucket = unique_bucket("acl")
        self.no_events = []  # (key, event name prefix that must not appear; "" for any)
        actors.owner.create_bucket(Bucket=self.bucket)
        actors.root.put_object(Bucket=self.bucket, Key=SEED, Body=b"seed")
        if self.block:
            actors.root.put_public_access_block(Bucket=self.bucket,
                                                PublicAccessBlockConfiguration=self.block)
        self.apply()

    def apply(self):
        """(Re)sets the situation's policy as root, whom no policy binds."""
        root = self.actors.root
        if self.policy_of is None:
            root.delete_bucket_policy(Bucket=self.bucket)
        else:
            root.put_bucket_policy(Bucket=self.bucket,
                                   Policy=self.policy_of(self.bucket, self.actors.other_name))


@pytest.mark.parametrize("situation", list(SITUATIONS))
def test_access_matrix(kumo, actors, situation):
    t = Trial(kumo, actors, situation)
    failures, allowed_puts = [], []
    for who in WHO:
        for op in OPS:
            call = Call(t, op)
            want = t.expected(who, op)
            got = call.run(who)
            if got != want:
                failures.append(f"{who} {op}: got {got}, want {want}")
            if got == DENIED and op in WRITES:
                trace = call.denied_write_left_trace()
                if trace:
                    failures.append(f"{who} {op} was denied but {trace}")
            if got == OK and op == "PutObject":
                allowed_puts.append(call.key)
            if op == "PutBucketPolicy":
                t.apply()
    events = events_of(kumo, t.bucket)
    for key, prefix in t.no_events:
        names = [e["name"] for e in events if e["key"] == key and e["name"].startswith(prefix)]
        if names:
            failures.append(f"denied write on {key} recorded {names}")
    # The event listing itself works: every allowed PutObject is in it.
    for key in allowed_puts:
        if not any(e["key"] == key and e["name"].startswith("ObjectCreated") for e in events):
            failures.append(f"allowed PutObject of {key} has no event")
    assert not failures, "\n".join(failures)


# ---- conditions on listing ------------------------------------------------------------
def test_prefix_condition_on_list_bucket(actors):
    b = unique_bucket("pfx")
    actors.owner.create_bucket(Bucket=b)
    actors.root.put_object(Bucket=b, Key="public/a", Body=b"a")
    actors.root.put_object(Bucket=b, Key="private/b", Body=b"b")
    actors.owner.put_bucket_policy(Bucket=b, Policy=policy_doc({
        "Effect": "Allow", "Principal": {"AWS": user_arn(actors.other_name)},
        "Action": "s3:ListBucket", "Resource": f"arn:aws:s3:::{b}",
        "Condition": {"StringLike": {"s3:prefix": "public/*"}}}))
    listed = actors.other.list_objects_v2(Bucket=b, Prefix="public/")
    assert [o["Key"] for o in listed["Contents"]] == ["public/a"]
    for kwargs in ({"Prefix": "private/"}, {}):
        with pytest.raises(ClientError) as e:
            actors.other.list_objects_v2(Bucket=b, **kwargs)
        assert code_of(e) == (403, DENIED), kwargs
    # The owner lists everything.
    assert len(actors.owner.list_objects_v2(Bucket=b)["Contents"]) == 2


def test_policy_variables(kumo, actors):
    """${aws:username} in a Resource or a condition value names each user's own prefix
    (the request's context is read for it even by statements without conditions)."""
    b = unique_bucket("var")
    actors.owner.create_bucket(Bucket=b)
    other = actors.other_name
    for key in (f"home/{other}/mine", "home/someone/theirs", "shared/x"):
        actors.root.put_object(Bucket=b, Key=key, Body=b"x")
    actors.owner.put_bucket_policy(Bucket=b, Policy=policy_doc(
        {"Effect": "Allow", "Principal": "*", "Action": ["s3:GetObject", "s3:PutObject"],
         "Resource": f"arn:aws:s3:::{b}/*"},
        # Anyone but the owner writes only under home/<own name>/.
        {"Effect": "Deny", "NotPrincipal": {"AWS": user_arn(actors.owner_name)},
         "Action": "s3:PutObject", "NotResource": f"arn:aws:s3:::{b}/home/${{aws:username}}/*"},
        {"Effect": "Allow", "Principal": {"AWS": user_arn(other)}, "Action": "s3:DeleteObject",
         "Resource": f"arn:aws:s3:::{b}/home/${{aws:username}}/*"},
        # ... and lists only its own home (a variable in a condition value).
        {"Effect": "Allow", "Principal": {"AWS": user_arn(other)}, "Action": "s3:ListBucket",
         "Resource": f"arn:aws:s3:::{b}",
         "Condition": {"StringLike": {"s3:prefix": "home/${aws:username}/*"}}}))
    listed = actors.other.list_objects_v2(Bucket=b, Prefix=f"home/{other}/")
    assert [o["Key"] for o in listed["Contents"]] == [f"home/{other}/mine"]
    with pytest.raises(ClientError) as e:
        actors.other.list_objects_v2(Bucket=b, Prefix="home/someone/")
    assert code_of(e) == (403, DENIED)
    actors.other.put_object(Bucket=b, Key=f"home/{other}/new", Body=b"ok")
    for key in ("home/someone/new", "shared/new", f"home/{other}x/new"):
        with pytest.raises(ClientError) as e:
            actors.other.put_object(Bucket=b, Key=key, Body=b"no")
        assert code_of(e) == (403, DENIED), key
        with pytest.raises(ClientError):
            actors.root.head_object(Bucket=b, Key=key)
    # The anonymous caller has no user name: the Deny covers every key.
    with pytest.raises(ClientError) as e:
        actors.anon.put_object(Bucket=b, Key="home/new", Body=b"no")
    assert code_of(e) == (403, DENIED)
    actors.owner.put_object(Bucket=b, Key="shared/by-owner", Body=b"ok")
    actors.other.delete_object(Bucket=b, Key=f"home/{other}/mine")
    with pytest.raises(ClientError) as e:
        actors.other.delete_object(Bucket=b, Key="home/someone/theirs")
    assert code_of(e) == (403, DENIED)
    actors.root.head_object(Bucket=b, Key="home/someone/theirs")
    assert actors.anon.get_object(Bucket=b, Key="shared/x")["Body"].read() == b"x"


# ---- PutBucketPolicy / GetBucketPolicy / DeleteBucketPolicy ---------------------------
def test_policy_round_trip_and_delete(actors):
    b = unique_bucket("pol")
    actors.owner.create_bucket(Bucket=b)
    with pytest.raises(ClientError) as e:
        actors.owner.get_bucket_policy(Bucket=b)
    assert code_of(e) == (404, "NoSuchBucketPolicy")
    text = policy_doc(statement("Allow", {"AWS": user_arn(actors.other_name)}, "s3:GetObject", b))
    put = actors.owner.put_bucket_policy(Bucket=b, Policy=text)
    assert put["ResponseMetadata"]["HTTPStatusCode"] == 204
    got = actors.owner.get_bucket_policy(Bucket=b)
    assert got["Policy"] == text  # the text as given
    assert got["ResponseMetadata"]["HTTPHeaders"]["content-type"] == "application/json"
    deleted = actors.owner.delete_bucket_policy(Bucket=b)
    assert deleted["ResponseMetadata"]["HTTPStatusCode"] == 204
    with pytest.raises(ClientError) as e:
        actors.owner.get_bucket_policy(Bucket=b)
    assert code_of(e) == (404, "NoSuchBucketPolicy")
    # Deleting no policy succeeds too.
    assert actors.owner.delete_bucket_policy(Bucket=b)["ResponseMetadata"]["HTTPStatusCode"] == 204
    missing = unique_bucket("missing")
    for call in (lambda: actors.owner.get_bucket_policy(Bucket=missing),
                 lambda: actors.owner.put_bucket_policy(Bucket=missing, Policy="{"),
                 lambda: actors.owner.get_bucket_policy_status(Bucket=missing),
                 lambda: actors.owner.get_bucket_ownership_controls(Bucket=missing),
                 lambda: actors.owner.get_public_access_block(Bucket=missing),
                 lambda: actors.owner.put_public_access_block(
                     Bucket=missing, PublicAccessBlockConfiguration={"BlockPublicAcls": True})):
        with pytest.raises(ClientError) as e:
            call()
        assert code_of(e) == (404, "NoSuchBucket")


@pytest.mark.parametrize("case", ["unknown_action", "resource_outside_bucket", "bad_json",
                                  "no_principal", "too_large"])
def test_malformed_policy(actors, case):
    b = unique_bucket("bad")
    actors.owner.create_bucket(Bucket=b)
    good = statement("Allow", "*", "s3:GetObject", b)
    if case == "unknown_action":
        text = policy_doc(dict(good, Action="s3:GetObjectz"))
    elif case == "resource_outside_bucket":
        text = policy_doc(dict(good, Resource="arn:aws:s3:::some-other-bucket/*"))
    elif case == "bad_json":
        text = '{"Version": "2012-10-17", "Statement": ['
    elif case == "no_principal":
        text = policy_doc({k: v for k, v in good.items() if k != "Principal"})
    else:
        text = policy_doc(*[dict(good, Sid=f"s{i}") for i in range(300)])
        assert len(text) > 20 * 1024
    with pytest.raises(ClientError) as e:
        actors.owner.put_bucket_policy(Bucket=b, Policy=text)
    assert code_of(e) == (400, "MalformedPolicy")
    assert e.value.response["Error"]["Message"]
    with pytest.raises(ClientError) as e:
        actors.owner.get_bucket_policy(Bucket=b)
    assert code_of(e) == (404, "NoSuchBucketPolicy")


def test_policy_status(actors):
    b = unique_bucket("sts")
    actors.owner.create_bucket(Bucket=b)
    with pytest.raises(ClientError) as e:
        actors.owner.get_bucket_policy_status(Bucket=b)
    assert code_of(e) == (404, "NoSuchBucketPolicy")
    actors.owner.put_bucket_policy(Bucket=b, Policy=policy_doc(
        statement("Allow", {"AWS": user_arn(actors.other_name)}, "s3:GetObject", b)))
    assert actors.owner.get_bucket_policy_status(Bucket=b)["PolicyStatus"]["IsPublic"] is False
    actors.owner.put_bucket_policy(Bucket=b, Policy=policy_doc(
        statement("Allow", "*", "s3:GetObject", b)))
    assert actors.owner.get_bucket_policy_status(Bucket=b)["PolicyStatus"]["IsPublic"] is True
    # A condition that pins the caller to one address makes it private again.
    actors.owner.put_bucket_policy(Bucket=b, Policy=policy_doc(statement(
        "Allow", "*", "s3:GetObject", b,
        condition={"IpAddress": {"aws:SourceIp": "127.0.0.1/32"}})))
    assert actors.owner.get_bucket_policy_status(Bucket=b)["PolicyStatus"]["IsPublic"] is False
    with pytest.raises(ClientError) as e:
        actors.other.get_bucket_policy_status(Bucket=b)
    assert code_of(e) == (403, DENIED)


def test_block_public_policy(kumo, actors):
    b = unique_bucket("bpp")
    actors.owner.create_bucket(Bucket=b)
    actors.owner.put_public_access_block(
        Bucket=b, PublicAccessBlockConfiguration={"BlockPublicPolicy": True})
    public = policy_doc(statement("Allow", "*", "s3:GetObject", b))
    with pytest.raises(ClientError) as e:
        actors.owner.put_bucket_policy(Bucket=b, Policy=public)
    assert code_of(e) == (403, DENIED)
    with pytest.raises(ClientError) as e:
        actors.root.put_bucket_policy(Bucket=b, Policy=public)  # root too: it is the bucket's rule
    assert code_of(e) == (403, DENIED)
    with pytest.raises(ClientError) as e:
        actors.owner.get_bucket_policy(Bucket=b)
    assert code_of(e) == (404, "NoSuchBucketPolicy")
    private = policy_doc(statement("Allow", {"AWS": user_arn(actors.other_name)},
                                   "s3:GetObject", b))
    actors.owner.put_bucket_policy(Bucket=b, Policy=private)
    assert actors.owner.get_bucket_policy(Bucket=b)["Policy"] == private
    # Without the block, the public policy is accepted.
    actors.owner.delete_public_access_block(Bucket=b)
    actors.owner.put_bucket_policy(Bucket=b, Policy=public)
    actors.root.put_object(Bucket=b, Key="k", Body=b"public")
    assert actors.anon.get_object(Bucket=b, Key="k")["Body"].read() == b"public"


# ---- ownership controls ---------------------------------------------------------------
def ownership_of(client, bucket):
    rules = client.get_bucket_ownership_controls(Bucket=bucket)["OwnershipControls"]["Rules"]
    return [r["ObjectOwnership"] for r in rules]


def test_ownership_controls_round_trip(actors):
    b = unique_bucket("own")
    actors.owner.create_bucket(Bucket=b)
    assert ownership_of(actors.owner, b) == ["BucketOwnerEnforced"]  # kumod's default
    for value in ("ObjectWriter", "BucketOwnerPreferred", "BucketOwnerEnforced"):
        put = actors.owner.put_bucket_ownership_controls(
            Bucket=b, OwnershipControls={"Rules": [{"ObjectOwnership": value}]})
        assert put["ResponseMetadata"]["HTTPStatusCode"] == 200
        assert ownership_of(actors.owner, b) == [value]
    deleted = actors.owner.delete_bucket_ownership_controls(Bucket=b)
    assert deleted["ResponseMetadata"]["HTTPStatusCode"] == 204
    with pytest.raises(ClientError) as e:
        actors.owner.get_bucket_ownership_controls(Bucket=b)
    assert code_of(e) == (404, "OwnershipControlsNotFoundError")
    # Two rules, or a value S3 does not define.
    for rules in ([{"ObjectOwnership": "ObjectWriter"}] * 2, [{"ObjectOwnership": "Nobody"}]):
        with pytest.raises(ClientError) as e:
            actors.owner.put_bucket_ownership_controls(Bucket=b,
                                                       OwnershipControls={"Rules": rules})
        assert code_of(e) == (400, "MalformedXML"), rules
    # Created with x-amz-object-ownership.
    b2 = unique_bucket("own")
    actors.owner.create_bucket(Bucket=b2, ObjectOwnership="ObjectWriter")
    assert ownership_of(actors.owner, b2) == ["ObjectWriter"]
    # Others may neither read nor change them.
    with pytest.raises(ClientError) as e:
        actors.other.get_bucket_ownership_controls(Bucket=b2)
    assert code_of(e) == (403, DENIED)
    with pytest.raises(ClientError) as e:
        actors.other.delete_bucket_ownership_controls(Bucket=b2)
    assert code_of(e) == (403, DENIED)
    assert ownership_of(actors.owner, b2) == ["ObjectWriter"]


# ---- public access block --------------------------------------------------------------
def test_public_access_block_round_trip(actors):
    b = unique_bucket("pab")
    actors.owner.create_bucket(Bucket=b)
    with pytest.raises(ClientError) as e:
        actors.owner.get_public_access_block(Bucket=b)
    assert code_of(e) == (404, "NoSuchPublicAccessBlockConfiguration")
    config = {"BlockPublicAcls": True, "IgnorePublicAcls": False, "BlockPublicPolicy": True,
              "RestrictPublicBuckets": False}
    put = actors.owner.put_public_access_block(Bucket=b, PublicAccessBlockConfiguration=config)
    assert put["ResponseMetadata"]["HTTPStatusCode"] == 200
    got = actors.owner.get_public_access_block(Bucket=b)["PublicAccessBlockConfiguration"]
    assert got == config
    # Absent switches are false.
    actors.owner.put_public_access_block(
        Bucket=b, PublicAccessBlockConfiguration={"RestrictPublicBuckets": True})
    got = actors.owner.get_public_access_block(Bucket=b)["PublicAccessBlockConfiguration"]
    assert got == {"BlockPublicAcls": False, "IgnorePublicAcls": False,
                   "BlockPublicPolicy": False, "RestrictPublicBuckets": True}
    with pytest.raises(ClientError) as e:
        actors.other.put_public_access_block(Bucket=b, PublicAccessBlockConfiguration=config)
    assert code_of(e) == (403, DENIED)
    with pytest.raises(ClientError) as e:
        actors.other.delete_public_access_block(Bucket=b)
    assert code_of(e) == (403, DENIED)
    deleted = actors.owner.delete_public_access_block(Bucket=b)
    assert deleted["ResponseMetadata"]["HTTPStatusCode"] == 204
    with pytest.raises(ClientError) as e:
        actors.owner.get_public_access_block(Bucket=b)
    assert code_of(e) == (404, "NoSuchPublicAccessBlockConfiguration")


# ---- buckets between users ------------------------------------------------------------
def test_create_bucket_conflicts(actors):
    b = unique_bucket("dup")
    actors.owner.create_bucket(Bucket=b)
    with pytest.raises(ClientError) as e:
        actors.other.create_bucket(Bucket=b)
    assert code_of(e) == (409, "BucketAlreadyExists")
    with pytest.raises(ClientError) as e:
        actors.owner.create_bucket(Bucket=b)
    assert code_of(e) == (409, "BucketAlreadyOwnedByYou")


S3_NS = "{http://s3.amazonaws.com/doc/2006-03-01/}"


def list_buckets_page(client, **query):
    """ListBuckets with max-buckets / continuation-token / prefix. The boto3 of Debian 12
    predates them, so they join the URL before boto3 signs it, and the page is read from
    the response XML: (bucket names, continuation token or None, prefix or None)."""
    captured = {}

    def add_query(request, **_):
        request.url += ("&" if "?" in request.url else "?") + urllib.parse.urlencode(query)

    def keep_body(http_response, **_):
        captured["xml"] = http_response.content

    events = client.meta.events
    tag = uuid.uuid4().hex
    events.register("before-sign.s3.ListBuckets", add_query, unique_id=f"q{tag}")
    events.register("after-call.s3.ListBuckets", keep_body, unique_id=f"b{tag}")
    try:
        client.list_buckets()
    finally:
        events.unregister("before-sign.s3.ListBuckets", unique_id=f"q{tag}")
        events.unregister("after-call.s3.ListBuckets", unique_id=f"b{tag}")
    doc = ET.fromstring(captured["xml"])
    names = [b.findtext(f"{S3_NS}Name") for b in doc.iter(f"{S3_NS}Bucket")]
    return names, doc.findtext(f"{S3_NS}ContinuationToken"), doc.findtext(f"{S3_NS}Prefix")


def test_list_buckets_shows_own_buckets_and_pages(kumo):
    _, alice, _ = add_user(kumo, "lst")
    _, bob, _ = add_user(kumo, "lst")
    prefix = f"lb-{uuid.uuid4().hex[:8]}"
    mine = sorted(f"{prefix}-a{i}" for i in range(5))
    theirs = f"{prefix}-b0"
    for b in mine:
        alice.create_bucket(Bucket=b)
    bob.create_bucket(Bucket=theirs)

    # Each user sees its own buckets, root sees all.
    assert [b["Name"] for b in alice.list_buckets()["Buckets"]] == mine
    assert [b["Name"] for b in bob.list_buckets()["Buckets"]] == [theirs]
    everything = [b["Name"] for b in kumo.client().list_buckets()["Buckets"]]
    assert set(mine + [theirs]) <= set(everything)
    names, token, _ = list_buckets_page(kumo.client(), prefix=prefix)
    assert names == mine + [theirs] and token is None

    pages, token = [], None
    while True:
        query = {"max-buckets": "2", "prefix": prefix}
        if token:
            query["continuation-token"] = token
        names, token, echoed = list_buckets_page(alice, **query)
        assert echoed == prefix
        pages.append(names)
        if not token:
            break
        assert len(pages) < 10, pages
    assert pages == [mine[0:2], mine[2:4], mine[4:5]]
    assert list_buckets_page(alice, prefix=f"{prefix}-a3")[0] == [f"{prefix}-a3"]
    assert list_buckets_page(bob, prefix=f"{prefix}-a")[0] == []
