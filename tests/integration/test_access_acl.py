"""S3 ACLs against a real kumod, with boto3 as real users and as anonymous clients.

Checks:
  * canned ACLs on CreateBucket: public-read lets anyone list (not read objects: those
    need their own ACL, as in S3), public-read-write lets anyone write; an anonymous
    write that is denied stores nothing and records no event;
  * object ACLs: public-read on one object of a private bucket, grants by canonical id
    (READ, READ_ACP), the object owner's implicit ACL access, PutObjectAcl's event;
  * Get/PutBucketAcl and Get/PutObjectAcl documents as boto3 renders and parses them,
    with their errors (email grantees, unknown ids, body and headers together);
  * object ownership: BucketOwnerEnforced refuses ACLs but bucket-owner-full-control
    and shows the bucket owner's FULL_CONTROL; BucketOwnerPreferred and ObjectWriter
    decide who owns what another user writes;
  * CopyObject, CreateMultipartUpload and browser POST uploads take the requested ACL.
"""

import json

import pytest
import requests
from botocore import UNSIGNED
from botocore.exceptions import ClientError

from conftest import unique_bucket
from kumo_cli import run_cli

ALL_USERS = "http://acs.amazonaws.com/groups/global/AllUsers"


def add_user(server, name):
    res = run_cli(server, "user", "add", name)
    assert res.returncode == 0, res.stderr
    fields = dict(line.split(": ", 1) for line in res.stdout.splitlines() if ": " in line)
    return server.client(access_key=fields["access_key"], secret_key=fields["secret_key"])


@pytest.fixture(scope="module")
def alice(kumo):
    return add_user(kumo, "alice")


@pytest.fixture(scope="module")
def bob(kumo):
    return add_user(kumo, "bob")


@pytest.fixture(scope="module")
def anon(kumo):
    return kumo.client(signature_version=UNSIGNED)


def error_code(excinfo):
    return excinfo.value.response["Error"]["Code"]


def events_of(server, bucket):
    res = run_cli(server, "events", "ls", "--bucket", bucket, "--limit", "10000", "--json")
    assert res.returncode == 0, res.stderr
    return [(e["name"], e["key"]) for e in json.loads(res.stdout)["events"]]


def new_bucket(client, ownership="ObjectWriter", **kwargs):
    name = unique_bucket("acl")
    client.create_bucket(Bucket=name, ObjectOwnership=ownership, **kwargs)
    return name


def grants_of(acl):
    """{(grantee, permission)} with grantee the ID of a user or the URI of a group."""
    out = set()
    for g in acl["Grants"]:
        grantee = g["Grantee"]
        out.add((grantee.get("ID") or grantee.get("URI"), g["Permission"]))
    return out


def assert_denied(call, code="AccessDenied"):
    with pytest.raises(ClientError) as e:
        call()
    assert error_code(e) == code, e.value.response
    return e


def assert_absent(client, bucket, key):
    with pytest.raises(ClientError) as e:
        client.head_object(Bucket=bucket, Key=key)
    assert e.value.response["ResponseMetadata"]["HTTPStatusCode"] == 404


# ---- canned bucket ACLs and anonymous clients ------------------------------------------
def test_public_read_bucket_lists_for_anyone_but_takes_no_anonymous_write(kumo, alice, anon):
    b = new_bucket(alice, ACL="public-read")
    alice.put_object(Bucket=b, Key="public.txt", Body=b"for everyone", ACL="public-read")
    alice.put_object(Bucket=b, Key="private.txt", Body=b"for alice")

    listed = [o["Key"] for o in anon.list_objects(Bucket=b)["Contents"]]
    assert listed == ["private.txt", "public.txt"]
    assert anon.get_object(Bucket=b, Key="public.txt")["Body"].read() == b"for everyone"
    # The bucket's READ lists objects; reading one needs the object's own ACL.
    assert_denied(lambda: anon.get_object(Bucket=b, Key="private.txt"))

    assert_denied(lambda: anon.put_object(Bucket=b, Key="intruder.txt", Body=b"x"))
    assert_absent(alice, b, "intruder.txt")
    assert events_of(kumo, b) == [("ObjectCreated:Put", "public.txt"),
                                  ("ObjectCreated:Put", "private.txt")]


def test_public_read_write_bucket_takes_anonymous_writes(kumo, alice, anon):
    b = new_bucket(alice, ACL="public-read-write")
    anon.put_object(Bucket=b, Key="dropbox.txt", Body=b"anonymous")
    # An anonymous object belongs to the bucket owner.
    acl = alice.get_object_acl(Bucket=b, Key="dropbox.txt")
    assert acl["Owner"]["ID"] == "alice"
    assert grants_of(acl) == {("alice", "FULL_CONTROL")}
    assert alice.get_object(Bucket=b, Key="dropbox.txt")["Body"].read() == b"anonymous"
    assert_denied(lambda: anon.get_object(Bucket=b, Key="dropbox.txt"))
    # Setting the ACL of what it writes needs s3:PutObjectAcl, which an ACL gives only to
    # the new object's writer, and anonymous writers own nothing.
    assert_denied(lambda: anon.put_object(Bucket=b, Key="open.txt", Body=b"x", ACL="public-read"))
    assert_absent(alice, b, "open.txt")
    assert events_of(kumo, b) == [("ObjectCreated:Put", "dropbox.txt")]


def test_get_bucket_acl_renders_owner_and_grants(alice):
    b = new_bucket(alice, ACL="public-read")
    acl = alice.get_bucket_acl(Bucket=b)
    assert acl["Owner"] == {"ID": "alice", "DisplayName": "alice"}
    assert acl["Grants"] == [
        {"Grantee": {"ID": "alice", "DisplayName": "alice", "Type": "CanonicalUser"},
         "Permission": "FULL_CONTROL"},
        {"Grantee": {"URI": ALL_USERS, "Type": "Group"}, "Permission": "READ"},
    ]


# ---- object ACLs -----------------------------------------------------------------------
def test_object_acl_public_read_opens_that_object_only(kumo, alice, anon):
    b = new_bucket(alice)
    alice.put_object(Bucket=b, Key="a", Body=b"A")
    alice.put_object(Bucket=b, Key="b", Body=b"B")
    put = alice.put_object_acl(Bucket=b, Key="a", ACL="public-read")
    assert put["ResponseMetadata"]["HTTPStatusCode"] == 200

    assert anon.get_object(Bucket=b, Key="a")["Body"].read() == b"A"
    assert_denied(lambda: anon.get_object(Bucket=b, Key="b"))
    assert_denied(lambda: anon.list_objects(Bucket=b))
    acl = alice.get_object_acl(Bucket=b, Key="a")
    assert acl["Owner"]["ID"] == "alice"
    assert grants_of(acl) == {("alice", "FULL_CONTROL"), (ALL_USERS, "READ")}
    # Back to private.
    alice.put_object_acl(Bucket=b, Key="a", ACL="private")
    assert_denied(lambda: anon.get_object(Bucket=b, Key="a"))
    assert events_of(kumo, b) == [("ObjectCreated:Put", "a"), ("ObjectCreated:Put", "b"),
                                  ("ObjectAcl:Put", "a"), ("ObjectAcl:Put", "a")]


def test_grants_by_canonical_id(alice, bob):
    b = new_bucket(alice)
    alice.put_object(Bucket=b, Key="shared", Body=b"for bob")
    alice.put_object(Bucket=b, Key="mine", Body=b"not for bob")
    alice.put_object_acl(Bucket=b, Key="shared", GrantRead='id="bob"', GrantReadACP="id=bob")

    assert bob.get_object(Bucket=b, Key="shared")["Body"].read() == b"for bob"
    assert grants_of(bob.get_object_acl(Bucket=b, Key="shared")) == {
        ("alice", "FULL_CONTROL"), ("bob", "READ"), ("bob", "READ_ACP")}
    assert_denied(lambda: bob.put_object_acl(Bucket=b, Key="shared", ACL="public-read"))
    assert_denied(lambda: bob.get_object(Bucket=b, Key="mine"))
    assert_denied(lambda: bob.get_object_acl(Bucket=b, Key="mine"))
    assert_denied(lambda: bob.list_objects(Bucket=b))

    # A bucket ACL document in the body gives bob READ on the bucket: listing.
    acl = alice.get_bucket_acl(Bucket=b)
    acl["Grants"].append({"Grantee": {"Type": "CanonicalUser", "ID": "bob"},
                          "Permission": "READ"})
    alice.put_bucket_acl(Bucket=b, AccessControlPolicy={"Grants": acl["Grants"],
                                                        "Owner": acl["Owner"]})
    assert [o["Key"] for o in bob.list_objects(Bucket=b)["Contents"]] == ["mine", "shared"]
    assert grants_of(alice.get_bucket_acl(Bucket=b)) == {("alice", "FULL_CONTROL"),
                                                         ("bob", "READ")}


def test_the_object_owner_keeps_access_to_its_acl(alice, bob):
    b = new_bucket(alice, GrantWrite="id=bob")
    bob.put_object(Bucket=b, Key="bobs", Body=b"b")
    # bob owns the object (ObjectWriter); an ACL without bob still lets bob read and
    # write the ACL, not the object.
    bob.put_object_acl(Bucket=b, Key="bobs", AccessControlPolicy={
        "Owner": {"ID": "bob"},
        "Grants": [{"Grantee": {"Type": "CanonicalUser", "ID": "alice"}, "Permission": "READ"}]})
    assert grants_of(bob.get_object_acl(Bucket=b, Key="bobs")) == {("alice", "READ")}
    assert_denied(lambda: bob.get_object(Bucket=b, Key="bobs"))
    bob.put_object_acl(Bucket=b, Key="bobs", ACL="private")
    assert bob.get_object(Bucket=b, Key="bobs")["Body"].read() == b"b"


def test_acl_errors(alice):
    b = new_bucket(alice)
    alice.put_object(Bucket=b, Key="k", Body=b"k")
    assert_denied(lambda: alice.put_bucket_acl(Bucket=b, GrantRead='emailAddress="x@example.com"'),
                  "UnresolvableGrantByEmailAddress")
    email = {"Owner": {"ID": "alice"},
             "Grants": [{"Grantee": {"Type": "AmazonCustomerByEmail",
                                     "EmailAddress": "x@example.com"}, "Permission": "READ"}]}
    assert_denied(lambda: alice.put_object_acl(Bucket=b, Key="k", AccessControlPolicy=email),
                  "UnresolvableGrantByEmailAddress")
    e = assert_denied(lambda: alice.put_bucket_acl(Bucket=b, GrantRead='id="nobody"'),
                      "InvalidArgument")
    assert e.value.response["Error"]["Message"] == "Invalid id"
    assert_denied(lambda: alice.put_object_acl(Bucket=b, Key="k", ACL="world-readable"),
                  "InvalidArgument")
    assert_denied(lambda: alice.put_object_acl(Bucket=b, Key="k", ACL="public-read",
                                               GrantRead="id=bob"), "InvalidRequest")
    owner = alice.get_bucket_acl(Bucket=b)
    assert_denied(lambda: alice.put_bucket_acl(
        Bucket=b, ACL="public-read",
        AccessControlPolicy={"Owner": owner["Owner"], "Grants": owner["Grants"]}),
        "UnexpectedContent")
    # The document may not give the bucket to someone else.
    assert_denied(lambda: alice.put_bucket_acl(
        Bucket=b, AccessControlPolicy={"Owner": {"ID": "bob"}, "Grants": owner["Grants"]}))
    assert_denied(lambda: alice.get_object_acl(Bucket=b, Key="absent"), "NoSuchKey")
    # Nothing changed.
    assert grants_of(alice.get_bucket_acl(Bucket=b)) == {("alice", "FULL_CONTROL")}
    assert grants_of(alice.get_object_acl(Bucket=b, Key="k")) == {("alice", "FULL_CONTROL")}


# ---- object ownership ------------------------------------------------------------------
def test_bucket_owner_enforced_refuses_acls(kumo, alice):
    b = unique_bucket("acl")
    alice.create_bucket(Bucket=b)  # the server's default ownership: BucketOwnerEnforced
    assert_denied(lambda: alice.put_bucket_acl(Bucket=b, ACL="public-read"),
                  "AccessControlListNotSupported")
    assert_denied(lambda: alice.put_object(Bucket=b, Key="pub", Body=b"x", ACL="public-read"),
                  "AccessControlListNotSupported")
    assert_denied(lambda: alice.put_object(Bucket=b, Key="pub", Body=b"x",
                                           GrantRead="id=bob"), "AccessControlListNotSupported")
    assert_absent(alice, b, "pub")
    assert events_of(kumo, b) == []

    alice.put_object(Bucket=b, Key="ok", Body=b"x", ACL="bucket-owner-full-control")
    alice.put_object_acl(Bucket=b, Key="ok", ACL="private")
    assert_denied(lambda: alice.put_object_acl(Bucket=b, Key="ok", ACL="public-read"),
                  "AccessControlListNotSupported")
    acl = alice.get_object_acl(Bucket=b, Key="ok")
    assert acl["Owner"]["ID"] == "alice"
    assert grants_of(acl) == {("alice", "FULL_CONTROL")}
    assert grants_of(alice.get_bucket_acl(Bucket=b)) == {("alice", "FULL_CONTROL")}

    with pytest.raises(ClientError) as e:
        alice.create_bucket(Bucket=unique_bucket("acl"), ACL="public-read")
    assert error_code(e) == "InvalidBucketAclWithObjectOwnership"
    with pytest.raises(ClientError) as e:
        alice.create_bucket(Bucket=unique_bucket("acl"), ACL="public-read",
                            ObjectOwnership="BucketOwnerEnforced")
    assert error_code(e) == "InvalidBucketAclWithObjectOwnership"


def test_bucket_owner_enforced_gives_the_bucket_owner_every_object(kumo, alice):
    b = new_bucket(alice, ownership="BucketOwnerEnforced")
    kumo.client().put_object(Bucket=b, Key="from-root", Body=b"x")  # root writes anywhere
    acl = alice.get_object_acl(Bucket=b, Key="from-root")
    assert acl["Owner"]["ID"] == "alice"
    assert grants_of(acl) == {("alice", "FULL_CONTROL")}
    assert alice.list_objects(Bucket=b)["Contents"][0]["Owner"]["ID"] == "alice"


def test_bucket_owner_preferred_takes_bucket_owner_full_control_objects(alice, bob):
    b = new_bucket(alice, ownership="BucketOwnerPreferred", GrantWrite='id="bob"')
    bob.put_object(Bucket=b, Key="given", Body=b"x", ACL="bucket-owner-full-control")
    bob.put_object(Bucket=b, Key="kept", Body=b"y")
    owners = {o["Key"]: o["Owner"]["ID"]
              for o in alice.list_objects(Bucket=b)["Contents"]}
    assert owners == {"given": "alice", "kept": "bob"}
    assert grants_of(alice.get_object_acl(Bucket=b, Key="given")) == {("alice", "FULL_CONTROL")}
    assert grants_of(bob.get_object_acl(Bucket=b, Key="kept")) == {("bob", "FULL_CONTROL")}


def test_object_writer_owns_what_it_writes(alice, bob):
    b = new_bucket(alice, GrantWrite='id="bob"')
    bob.put_object(Bucket=b, Key="k", Body=b"x", ACL="bucket-owner-read")
    acl = bob.get_object_acl(Bucket=b, Key="k")
    assert acl["Owner"]["ID"] == "bob"
    assert grants_of(acl) == {("bob", "FULL_CONTROL"), ("alice", "READ")}
    assert bob.get_object(Bucket=b, Key="k")["Body"].read() == b"x"


# ---- ACLs on the other writes ----------------------------------------------------------
def test_copy_takes_the_requested_acl_never_the_sources(alice, anon):
    b = new_bucket(alice)
    alice.put_object(Bucket=b, Key="src", Body=b"s", ACL="public-read")
    alice.copy_object(Bucket=b, Key="plain", CopySource={"Bucket": b, "Key": "src"})
    alice.copy_object(Bucket=b, Key="open", CopySource={"Bucket": b, "Key": "src"},
                      ACL="public-read")
    assert_denied(lambda: anon.get_object(Bucket=b, Key="plain"))
    assert anon.get_object(Bucket=b, Key="open")["Body"].read() == b"s"


def test_multipart_upload_applies_its_acl_at_completion(alice, anon):
    b = new_bucket(alice)
    up = alice.create_multipart_upload(Bucket=b, Key="mp", ACL="public-read")
    part = alice.upload_part(Bucket=b, Key="mp", UploadId=up["UploadId"], PartNumber=1,
                             Body=b"m" * 100)
    alice.complete_multipart_upload(Bucket=b, Key="mp", UploadId=up["UploadId"],
                                    MultipartUpload={"Parts": [{"PartNumber": 1,
                                                                "ETag": part["ETag"]}]})
    assert anon.get_object(Bucket=b, Key="mp")["Body"].read() == b"m" * 100
    assert grants_of(alice.get_object_acl(Bucket=b, Key="mp")) == {("alice", "FULL_CONTROL"),
                                                                   (ALL_USERS, "READ")}


def test_post_object_takes_its_acl_field(alice, anon):
    b = new_bucket(alice)
    presigned = alice.generate_presigned_post(
        Bucket=b, Key="posted", Fields={"acl": "public-read"},
        Conditions=[{"acl": "public-read"}], ExpiresIn=300)
    resp = requests.post(presigned["url"], data=presigned["fields"],
                         files={"file": ("f.txt", b"posted")}, timeout=30)
    assert resp.status_code == 204, resp.text
    assert anon.get_object(Bucket=b, Key="posted")["Body"].read() == b"posted"

    enforced = new_bucket(alice, ownership="BucketOwnerEnforced")
    presigned = alice.generate_presigned_post(
        Bucket=enforced, Key="posted", Fields={"acl": "public-read"},
        Conditions=[{"acl": "public-read"}], ExpiresIn=300)
    resp = requests.post(presigned["url"], data=presigned["fields"],
                         files={"file": ("f.txt", b"posted")}, timeout=30)
    assert resp.status_code == 400 and b"AccessControlListNotSupported" in resp.content
    assert_absent(alice, enforced, "posted")


def test_create_bucket_with_an_acl_on_an_existing_bucket_changes_nothing(alice, bob):
    b = new_bucket(alice)
    with pytest.raises(ClientError) as e:
        bob.create_bucket(Bucket=b, ACL="public-read", ObjectOwnership="ObjectWriter")
    assert error_code(e) == "BucketAlreadyExists"
    with pytest.raises(ClientError) as e:
        alice.create_bucket(Bucket=b, ACL="public-read", ObjectOwnership="ObjectWriter")
    assert error_code(e) == "BucketAlreadyOwnedByYou"
    assert grants_of(alice.get_bucket_acl(Bucket=b)) == {("alice", "FULL_CONTROL")}


def test_anonymous_post_needs_a_publicly_writable_bucket(kumo, alice, anon):
    def anonymous_post(bucket, key):
        return requests.post(f"{kumo.endpoint}/{bucket}", data={"key": key},
                             files={"file": ("f.txt", b"anonymous form")}, timeout=30)

    readable = new_bucket(alice, ACL="public-read")
    resp = anonymous_post(readable, "denied")
    assert resp.status_code == 403 and b"AccessDenied" in resp.content
    assert_absent(alice, readable, "denied")
    assert events_of(kumo, readable) == []

    writable = new_bucket(alice, ACL="public-read-write")
    resp = anonymous_post(writable, "dropped")
    assert resp.status_code == 204, resp.text
    assert alice.get_object(Bucket=writable, Key="dropped")["Body"].read() == b"anonymous form"
    assert alice.get_object_acl(Bucket=writable, Key="dropped")["Owner"]["ID"] == "alice"
    assert events_of(kumo, writable) == [("ObjectCreated:Post", "dropped")]


# ---- the public access block and ownership controls over ACLs ---------------------------
def put_block(client, bucket, **switches):
    config = {k: switches.get(k, False) for k in
              ("BlockPublicAcls", "IgnorePublicAcls", "BlockPublicPolicy", "RestrictPublicBuckets")}
    client.put_public_access_block(Bucket=bucket, PublicAccessBlockConfiguration=config)


def test_ignore_public_acls_closes_public_grants_and_lifts_again(kumo, alice, anon):
    b = new_bucket(alice, ACL="public-read")
    alice.put_object(Bucket=b, Key="open.txt", Body=b"open", ACL="public-read")
    assert anon.get_object(Bucket=b, Key="open.txt")["Body"].read() == b"open"

    put_block(alice, b, IgnorePublicAcls=True)
    assert_denied(lambda: anon.get_object(Bucket=b, Key="open.txt"))
    assert_denied(lambda: anon.list_objects(Bucket=b))
    # The grants are still stored, only ignored.
    assert (ALL_USERS, "READ") in grants_of(alice.get_object_acl(Bucket=b, Key="open.txt"))

    alice.delete_public_access_block(Bucket=b)
    assert anon.get_object(Bucket=b, Key="open.txt")["Body"].read() == b"open"


def test_block_public_acls_refuses_public_acls_and_stores_nothing(kumo, alice, anon):
    b = new_bucket(alice)
    put_block(alice, b, BlockPublicAcls=True)
    assert_denied(lambda: alice.put_object(Bucket=b, Key="p.txt", Body=b"x", ACL="public-read"))
    assert_absent(alice, b, "p.txt")
    assert_denied(lambda: alice.put_bucket_acl(Bucket=b, ACL="public-read-write"))
    alice.put_object(Bucket=b, Key="q.txt", Body=b"q")
    assert_denied(lambda: alice.put_object_acl(Bucket=b, Key="q.txt", ACL="authenticated-read"))
    assert grants_of(alice.get_object_acl(Bucket=b, Key="q.txt")) == {("alice", "FULL_CONTROL")}
    assert grants_of(alice.get_bucket_acl(Bucket=b)) == {("alice", "FULL_CONTROL")}
    assert events_of(kumo, b) == [("ObjectCreated:Put", "q.txt")]
    # Private ACLs are not public: still accepted.
    alice.put_object(Bucket=b, Key="r.txt", Body=b"r", ACL="private")
    assert_denied(lambda: anon.get_object(Bucket=b, Key="r.txt"))


def test_enforcing_ownership_needs_a_private_bucket_acl(alice, anon):
    b = new_bucket(alice, ACL="public-read")
    enforced = {"Rules": [{"ObjectOwnership": "BucketOwnerEnforced"}]}
    with pytest.raises(ClientError) as e:
        alice.put_bucket_ownership_controls(Bucket=b, OwnershipControls=enforced)
    assert error_code(e) == "InvalidBucketAclWithObjectOwnership"
    got = alice.get_bucket_ownership_controls(Bucket=b)["OwnershipControls"]["Rules"]
    assert got == [{"ObjectOwnership": "ObjectWriter"}]

    alice.put_bucket_acl(Bucket=b, ACL="private")
    alice.put_bucket_ownership_controls(Bucket=b, OwnershipControls=enforced)
    # ACLs are off now: a public ACL is refused, listing stays private.
    assert_denied(lambda: alice.put_bucket_acl(Bucket=b, ACL="public-read"),
                  code="AccessControlListNotSupported")
    assert_denied(lambda: anon.list_objects(Bucket=b))
