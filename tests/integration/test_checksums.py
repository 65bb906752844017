"""S3 "flexible checksums" with boto3 (Debian's python3-boto3) against kumod: the
x-amz-checksum-* headers of PutObject and UploadPart (CRC32, CRC32C, CRC64NVME, SHA1,
SHA256), x-amz-sdk-checksum-algorithm, GET/HEAD with x-amz-checksum-mode: ENABLED, and
multipart checksums: COMPOSITE ("<base64>-N") and FULL_OBJECT (combined CRC).

botocore 1.29 computes CRC32, SHA1 and SHA256 itself; CRC32C needs awscrt and CRC64NVME
is newer than it, so the tests compute those here (small table-driven CRCs) and pass
them as ChecksumCRC32C or as a header added before signing.

Every error case asserts the S3 error code and HTTP status, and that nothing was stored."""

import base64
import hashlib
import zlib

import pytest
from botocore.exceptions import ClientError

MiB = 1024 * 1024


# ---- checksums computed here ------------------------------------------------------------
def _reflected_table(poly):
    table = []
    for n in range(256):
        c = n
        for _ in range(8):
            c = (c >> 1) ^ poly if c & 1 else c >> 1
        table.append(c)
    return table


_CRC32C_TABLE = _reflected_table(0x82F63B78)
_CRC64NVME_TABLE = _reflected_table(0x9A6C9329AC4BC9B5)


def _crc(table, mask, data):
    crc = mask
    for b in data:
        crc = table[(crc ^ b) & 0xFF] ^ (crc >> 8)
    return crc ^ mask


def crc32c(data):
    return _crc(_CRC32C_TABLE, 0xFFFFFFFF, data)


def crc64nvme(data):
    return _crc(_CRC64NVME_TABLE, 0xFFFFFFFFFFFFFFFF, data)


def raw_digest(algorithm, data):
    if algorithm == "CRC32":
        return zlib.crc32(data).to_bytes(4, "big")
    if algorithm == "CRC32C":
        return crc32c(data).to_bytes(4, "big")
    if algorithm == "CRC64NVME":
        return crc64nvme(data).to_bytes(8, "big")
    return hashlib.new(algorithm.lower(), data).digest()


def b64(raw):
    return base64.b64encode(raw).decode()


def checksum(algorithm, data):
    return b64(raw_digest(algorithm, data))


def composite(algorithm, parts):
    """S3's COMPOSITE checksum: the checksum of the concatenated raw part checksums."""
    joined = b"".join(raw_digest(algorithm, p) for p in parts)
    return "%s-%d" % (checksum(algorithm, joined), len(parts))


def test_local_crcs_match_their_check_values():
    assert crc32c(b"123456789") == 0xE3069283
    assert crc64nvme(b"123456789") == 0xAE8B14860A799888


# ---- helpers ------------------------------------------------------------------------------
def error_of(excinfo):
    err = excinfo.value.response
    return err["Error"]["Code"], err["ResponseMetadata"]["HTTPStatusCode"]


def header(resp, name):
    return resp["ResponseMetadata"]["HTTPHeaders"].get(name.lower())


def assert_absent(s3, bucket, key):
    with pytest.raises(ClientError) as e:
        s3.head_object(Bucket=bucket, Key=key)
    assert error_of(e) == ("404", 404), f"{key!r} must not exist"


def with_headers(client, operation, headers, drop=()):
    """Adds (and drops) request headers before signing, for what botocore 1.29 cannot
    send itself (CRC64NVME, x-amz-checksum-type)."""

    def hook(request, **_):
        for name in drop:
            if name in request.headers:
                del request.headers[name]
        for name, value in headers.items():
            request.headers[name] = value

    client.meta.events.register(f"before-sign.s3.{operation}", hook)
    return client


@pytest.fixture
def fresh_client(kumo):
    """A client of its own, for tests that register request hooks."""
    return kumo.client()


def put_with(s3, bucket, key, algorithm, data):
    """PutObject with a checksum of `algorithm`: botocore computes the ones it can."""
    if algorithm in ("CRC32", "SHA1", "SHA256"):
        return s3.put_object(Bucket=bucket, Key=key, Body=data, ChecksumAlgorithm=algorithm)
    if algorithm == "CRC32C":
        return s3.put_object(Bucket=bucket, Key=key, Body=data,
                             ChecksumCRC32C=checksum("CRC32C", data))
    with_headers(s3, "PutObject", {"x-amz-checksum-crc64nvme": checksum("CRC64NVME", data)})
    return s3.put_object(Bucket=bucket, Key=key, Body=data)


ALGORITHMS = ["CRC32", "CRC32C", "CRC64NVME", "SHA1", "SHA256"]


# ---- single PUT -----------------------------------------------------------------------------
@pytest.mark.parametrize("algorithm", ALGORITHMS)
def test_put_checksum_is_stored_and_returned_with_checksum_mode(kumo, bucket, algorithm):
    s3 = kumo.client()
    data = b"flexible checksums " * 1000 + algorithm.encode()
    want = checksum(algorithm, data)
    name = "x-amz-checksum-" + algorithm.lower()
    put = put_with(s3, bucket, "obj", algorithm, data)
    assert header(put, name) == want

    for op in (s3.head_object, s3.get_object):
        resp = op(Bucket=bucket, Key="obj", ChecksumMode="ENABLED")
        assert header(resp, name) == want
        assert header(resp, "x-amz-checksum-type") == "FULL_OBJECT"
        if algorithm != "CRC64NVME":  # botocore 1.29 has no ChecksumCRC64NVME member
            assert resp["Checksum" + algorithm] == want
        if op is s3.get_object:
            assert resp["Body"].read() == data
    # Without checksum mode, and for a range, no checksum is returned.
    plain = s3.head_object(Bucket=bucket, Key="obj")
    assert header(plain, name) is None and header(plain, "x-amz-checksum-type") is None
    ranged = s3.get_object(Bucket=bucket, Key="obj", Range="bytes=0-9", ChecksumMode="ENABLED")
    assert header(ranged, name) is None
    assert ranged["Body"].read() == data[:10]


def test_wrong_checksum_is_bad_digest_and_nothing_is_stored(s3, bucket):
    with pytest.raises(ClientError) as e:
        s3.put_object(Bucket=bucket, Key="bad", Body=b"hello world", ChecksumCRC32="AAAAAA==")
    assert error_of(e) == ("BadDigest", 400)
    assert (e.value.response["Error"]["Message"]
            == "The CRC32 you specified did not match the calculated checksum.")
    assert_absent(s3, bucket, "bad")
    with pytest.raises(ClientError) as e:
        s3.put_object(Bucket=bucket, Key="bad", Body=b"hello world",
                      ChecksumSHA256=checksum("SHA256", b"hello worle"))
    assert error_of(e) == ("BadDigest", 400)
    assert_absent(s3, bucket, "bad")


def test_wrong_crc64nvme_is_bad_digest(fresh_client, bucket):
    s3 = with_headers(fresh_client, "PutObject",
                      {"x-amz-checksum-crc64nvme": checksum("CRC64NVME", b"other")})
    with pytest.raises(ClientError) as e:
        s3.put_object(Bucket=bucket, Key="bad", Body=b"hello world")
    assert error_of(e) == ("BadDigest", 400)
    assert "CRC64NVME" in e.value.response["Error"]["Message"]
    assert_absent(s3, bucket, "bad")


def test_wrong_content_md5_is_bad_digest(s3, bucket):
    wrong = base64.b64encode(hashlib.md5(b"something else").digest()).decode()
    with pytest.raises(ClientError) as e:
        s3.put_object(Bucket=bucket, Key="bad", Body=b"hello world", ContentMD5=wrong)
    assert error_of(e) == ("BadDigest", 400)
    assert_absent(s3, bucket, "bad")


def test_sdk_algorithm_without_a_checksum_is_invalid_request(fresh_client, bucket):
    # botocore sends x-amz-sdk-checksum-algorithm with the header it computed; dropping
    # the header leaves the algorithm alone, which S3 refuses.
    s3 = with_headers(fresh_client, "PutObject", {}, drop=("x-amz-checksum-crc32",))
    with pytest.raises(ClientError) as e:
        s3.put_object(Bucket=bucket, Key="k", Body=b"data", ChecksumAlgorithm="CRC32")
    assert error_of(e) == ("InvalidRequest", 400)
    assert "x-amz-sdk-checksum-algorithm specified" in e.value.response["Error"]["Message"]
    assert_absent(s3, bucket, "k")


@pytest.mark.parametrize("headers", [
    {"x-amz-checksum-crc32": "not-base64"},
    {"x-amz-checksum-crc32": "AAAAAAAAAAA="},  # 8 bytes: not a CRC32
    {"x-amz-checksum-md5": "AAAAAA=="},
    {"x-amz-checksum-crc32": "DUoRhQ==", "x-amz-checksum-sha1": "Kq5sNclPz7QV2+lfQIuc6R7oRu0="},
    {"x-amz-checksum-crc32": "DUoRhQ==", "x-amz-sdk-checksum-algorithm": "SHA1"},
])
def test_malformed_checksum_headers_are_invalid_request(fresh_client, bucket, headers):
    s3 = with_headers(fresh_client, "PutObject", headers)
    with pytest.raises(ClientError) as e:
        s3.put_object(Bucket=bucket, Key="k", Body=b"hello world")
    assert error_of(e) == ("InvalidRequest", 400)
    assert_absent(s3, bucket, "k")


# ---- multipart ------------------------------------------------------------------------------
def make_parts(n, size=5 * MiB, last=1234):
    parts = []
    for i in range(n):
        block = hashlib.sha256(b"part %d" % i).digest()
        length = size if i + 1 < n else last
        parts.append((block * (length // len(block) + 1))[:length])
    return parts


def upload_part_with(s3, bucket, key, upload_id, number, data, algorithm):
    kw = dict(Bucket=bucket, Key=key, UploadId=upload_id, PartNumber=number, Body=data)
    if algorithm in ("CRC32", "SHA1", "SHA256"):
        kw["ChecksumAlgorithm"] = algorithm
    elif algorithm == "CRC32C":
        kw["ChecksumCRC32C"] = checksum("CRC32C", data)
    return s3.upload_part(**kw)


@pytest.mark.parametrize("algorithm", ["CRC32", "CRC32C", "SHA1", "SHA256"])
def test_multipart_composite_checksum(s3, bucket, algorithm):
    key = "composite-" + algorithm
    member = "Checksum" + algorithm
    parts = make_parts(3)
    mpu = s3.create_multipart_upload(Bucket=bucket, Key=key, ChecksumAlgorithm=algorithm)
    assert header(mpu, "x-amz-checksum-algorithm") == algorithm
    assert header(mpu, "x-amz-checksum-type") == "COMPOSITE"
    uid = mpu["UploadId"]
    done_parts = []
    for i, data in enumerate(parts, start=1):
        resp = upload_part_with(s3, bucket, key, uid, i, data, algorithm)
        assert resp[member] == checksum(algorithm, data)
        done_parts.append({"PartNumber": i, "ETag": resp["ETag"], member: resp[member]})

    listed = s3.list_parts(Bucket=bucket, Key=key, UploadId=uid)["Parts"]
    assert [p[member] for p in listed] == [checksum(algorithm, d) for d in parts]

    want = composite(algorithm, parts)
    done = s3.complete_multipart_upload(Bucket=bucket, Key=key, UploadId=uid,
                                        MultipartUpload={"Parts": done_parts})
    assert done[member] == want
    head = s3.head_object(Bucket=bucket, Key=key, ChecksumMode="ENABLED")
    assert head[member] == want
    assert header(head, "x-amz-checksum-type") == "COMPOSITE"
    got = s3.get_object(Bucket=bucket, Key=key, ChecksumMode="ENABLED")
    assert got[member] == want
    assert got["Body"].read() == b"".join(parts)
    # A part of the object is not the object: no checksum.
    part = s3.head_object(Bucket=bucket, Key=key, PartNumber=1, ChecksumMode="ENABLED")
    assert header(part, "x-amz-checksum-" + algorithm.lower()) is None


def test_multipart_part_with_wrong_checksum_is_bad_digest(s3, bucket):
    mpu = s3.create_multipart_upload(Bucket=bucket, Key="k", ChecksumAlgorithm="CRC32")
    uid = mpu["UploadId"]
    with pytest.raises(ClientError) as e:
        s3.upload_part(Bucket=bucket, Key="k", UploadId=uid, PartNumber=1, Body=b"x" * 100,
                       ChecksumCRC32=checksum("CRC32", b"y" * 100))
    assert error_of(e) == ("BadDigest", 400)
    assert s3.list_parts(Bucket=bucket, Key="k", UploadId=uid).get("Parts", []) == []
    s3.abort_multipart_upload(Bucket=bucket, Key="k", UploadId=uid)


def test_multipart_part_without_the_declared_checksum_is_invalid_request(s3, bucket):
    uid = s3.create_multipart_upload(Bucket=bucket, Key="k", ChecksumAlgorithm="SHA256")["UploadId"]
    with pytest.raises(ClientError) as e:
        s3.upload_part(Bucket=bucket, Key="k", UploadId=uid, PartNumber=1, Body=b"x" * 100)
    assert error_of(e) == ("InvalidRequest", 400)
    assert "expected checksum Type: sha256, actual checksum Type: null" in \
        e.value.response["Error"]["Message"]
    with pytest.raises(ClientError) as e:  # another algorithm than the upload's
        s3.upload_part(Bucket=bucket, Key="k", UploadId=uid, PartNumber=1, Body=b"x" * 100,
                       ChecksumAlgorithm="CRC32")
    assert error_of(e) == ("InvalidRequest", 400)
    assert s3.list_parts(Bucket=bucket, Key="k", UploadId=uid).get("Parts", []) == []
    s3.abort_multipart_upload(Bucket=bucket, Key="k", UploadId=uid)


def test_complete_checks_the_part_checksums(s3, bucket):
    parts = make_parts(2, last=100)
    uid = s3.create_multipart_upload(Bucket=bucket, Key="k", ChecksumAlgorithm="CRC32")["UploadId"]
    etags = [s3.upload_part(Bucket=bucket, Key="k", UploadId=uid, PartNumber=i, Body=d,
                            ChecksumAlgorithm="CRC32")["ETag"]
             for i, d in enumerate(parts, start=1)]
    good = [{"PartNumber": i, "ETag": etags[i - 1], "ChecksumCRC32": checksum("CRC32", d)}
            for i, d in enumerate(parts, start=1)]

    missing = [dict(good[0]), {"PartNumber": 2, "ETag": etags[1]}]
    with pytest.raises(ClientError) as e:
        s3.complete_multipart_upload(Bucket=bucket, Key="k", UploadId=uid,
                                     MultipartUpload={"Parts": missing})
    assert error_of(e) == ("InvalidRequest", 400)
    assert "missing for part 2" in e.value.response["Error"]["Message"]

    wrong = [dict(good[0]), dict(good[1], ChecksumCRC32=checksum("CRC32", b"other"))]
    with pytest.raises(ClientError) as e:
        s3.complete_multipart_upload(Bucket=bucket, Key="k", UploadId=uid,
                                     MultipartUpload={"Parts": wrong})
    assert error_of(e) == ("InvalidPart", 400)
    assert_absent(s3, bucket, "k")

    done = s3.complete_multipart_upload(Bucket=bucket, Key="k", UploadId=uid,
                                        MultipartUpload={"Parts": good})
    assert done["ChecksumCRC32"] == composite("CRC32", parts)


def test_upload_part_copy_gets_the_upload_checksum(s3, bucket):
    source = make_parts(1, last=6 * MiB)[0]
    s3.put_object(Bucket=bucket, Key="src", Body=source)
    uid = s3.create_multipart_upload(Bucket=bucket, Key="k", ChecksumAlgorithm="SHA1")["UploadId"]
    copied = s3.upload_part_copy(Bucket=bucket, Key="k", UploadId=uid, PartNumber=1,
                                 CopySource={"Bucket": bucket, "Key": "src"},
                                 CopySourceRange="bytes=0-5242879")
    first = source[:5 * MiB]
    assert copied["CopyPartResult"]["ChecksumSHA1"] == checksum("SHA1", first)
    tail = s3.upload_part(Bucket=bucket, Key="k", UploadId=uid, PartNumber=2, Body=b"tail",
                          ChecksumAlgorithm="SHA1")
    done = s3.complete_multipart_upload(
        Bucket=bucket, Key="k", UploadId=uid,
        MultipartUpload={"Parts": [
            {"PartNumber": 1, "ETag": copied["CopyPartResult"]["ETag"],
             "ChecksumSHA1": checksum("SHA1", first)},
            {"PartNumber": 2, "ETag": tail["ETag"], "ChecksumSHA1": tail["ChecksumSHA1"]}]})
    assert done["ChecksumSHA1"] == composite("SHA1", [first, b"tail"])


def test_multipart_crc64nvme_full_object_checksum(fresh_client, bucket):
    """CRC64NVME uploads are FULL_OBJECT: the object's checksum is the CRC of all its bytes,
    combined from the part CRCs. Parts may come without a checksum (kumod computes it)."""
    s3 = with_headers(fresh_client, "CreateMultipartUpload",
                      {"x-amz-checksum-algorithm": "CRC64NVME"})
    parts = make_parts(2, last=4321)
    mpu = s3.create_multipart_upload(Bucket=bucket, Key="full")
    assert header(mpu, "x-amz-checksum-type") == "FULL_OBJECT"
    uid = mpu["UploadId"]
    p1 = s3.upload_part(Bucket=bucket, Key="full", UploadId=uid, PartNumber=1, Body=parts[0])
    assert header(p1, "x-amz-checksum-crc64nvme") == checksum("CRC64NVME", parts[0])
    with_headers(s3, "UploadPart", {"x-amz-checksum-crc64nvme": checksum("CRC64NVME", parts[1])})
    p2 = s3.upload_part(Bucket=bucket, Key="full", UploadId=uid, PartNumber=2, Body=parts[1])
    s3.complete_multipart_upload(
        Bucket=bucket, Key="full", UploadId=uid,
        MultipartUpload={"Parts": [{"PartNumber": 1, "ETag": p1["ETag"]},
                                   {"PartNumber": 2, "ETag": p2["ETag"]}]})
    head = s3.head_object(Bucket=bucket, Key="full", ChecksumMode="ENABLED")
    assert header(head, "x-amz-checksum-crc64nvme") == checksum("CRC64NVME", b"".join(parts))
    assert header(head, "x-amz-checksum-type") == "FULL_OBJECT"


def test_multipart_crc32_full_object_checked_at_complete(fresh_client, bucket):
    s3 = with_headers(fresh_client, "CreateMultipartUpload",
                      {"x-amz-checksum-type": "FULL_OBJECT"})
    parts = make_parts(2, last=10)
    whole = checksum("CRC32", b"".join(parts))
    uid = s3.create_multipart_upload(Bucket=bucket, Key="k", ChecksumAlgorithm="CRC32")["UploadId"]
    etags = [s3.upload_part(Bucket=bucket, Key="k", UploadId=uid, PartNumber=i, Body=d,
                            ChecksumAlgorithm="CRC32")["ETag"]
             for i, d in enumerate(parts, start=1)]
    listed = [{"PartNumber": i, "ETag": e} for i, e in enumerate(etags, start=1)]
    with pytest.raises(ClientError) as e:
        s3.complete_multipart_upload(Bucket=bucket, Key="k", UploadId=uid,
                                     MultipartUpload={"Parts": listed},
                                     ChecksumCRC32=checksum("CRC32", b"not the object"))
    assert error_of(e) == ("BadDigest", 400)
    assert_absent(s3, bucket, "k")
    done = s3.complete_multipart_upload(Bucket=bucket, Key="k", UploadId=uid,
                                        MultipartUpload={"Parts": listed}, ChecksumCRC32=whole)
    assert done["ChecksumCRC32"] == whole
    head = s3.head_object(Bucket=bucket, Key="k", ChecksumMode="ENABLED")
    assert head["ChecksumCRC32"] == whole
    assert header(head, "x-amz-checksum-type") == "FULL_OBJECT"


@pytest.mark.parametrize("headers", [
    {"x-amz-checksum-algorithm": "SHA256", "x-amz-checksum-type": "FULL_OBJECT"},
    {"x-amz-checksum-algorithm": "CRC64NVME", "x-amz-checksum-type": "COMPOSITE"},
    {"x-amz-checksum-type": "COMPOSITE"},
    {"x-amz-checksum-algorithm": "MD5"},
])
def test_create_multipart_rejects_impossible_checksum_settings(fresh_client, bucket, headers):
    s3 = with_headers(fresh_client, "CreateMultipartUpload", headers)
    with pytest.raises(ClientError) as e:
        s3.create_multipart_upload(Bucket=bucket, Key="k")
    assert error_of(e) == ("InvalidRequest", 400)
    assert s3.list_multipart_uploads(Bucket=bucket).get("Uploads", []) == []


def test_multipart_without_declared_algorithm_has_no_object_checksum(s3, bucket):
    parts = make_parts(2, last=10)
    uid = s3.create_multipart_upload(Bucket=bucket, Key="k")["UploadId"]
    # A part may still carry a checksum: it is verified and listed.
    p1 = s3.upload_part(Bucket=bucket, Key="k", UploadId=uid, PartNumber=1, Body=parts[0],
                        ChecksumAlgorithm="CRC32")
    assert p1["ChecksumCRC32"] == checksum("CRC32", parts[0])
    p2 = s3.upload_part(Bucket=bucket, Key="k", UploadId=uid, PartNumber=2, Body=parts[1])
    s3.complete_multipart_upload(
        Bucket=bucket, Key="k", UploadId=uid,
        MultipartUpload={"Parts": [{"PartNumber": 1, "ETag": p1["ETag"]},
                                   {"PartNumber": 2, "ETag": p2["ETag"]}]})
    head = s3.head_object(Bucket=bucket, Key="k", ChecksumMode="ENABLED")
    assert "ChecksumCRC32" not in head
    assert header(head, "x-amz-checksum-type") is None
