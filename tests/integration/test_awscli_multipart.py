"""Multipart uploads with Debian's aws CLI (awscli 2.9) against kumod: `aws s3 cp` of a
100 MiB file (multipart up, parallel ranged GETs down) with the default and a 5 MB
chunk size, and the s3api multipart commands one by one."""

import hashlib
import json
import os

import pytest

from conftest import REGION, AwsCli, unique_bucket

MiB = 1024 * 1024
BIG = 100 * MiB


def md5_etag(data):
    return '"%s"' % hashlib.md5(data).hexdigest()


def sha256_of(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(MiB), b""):
            h.update(block)
    return h.hexdigest()


def multipart_etag_of_file(path, chunk):
    """The ETag S3 gives `path` uploaded in parts of `chunk` bytes."""
    digests, count = b"", 0
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(chunk), b""):
            digests += hashlib.md5(block).digest()
            count += 1
    return '"%s-%d"' % (hashlib.md5(digests).hexdigest(), count)


def uploads_of(cli, bucket):
    out = cli.json("s3api", "list-multipart-uploads", "--bucket", bucket)
    return [(u["Key"], u["UploadId"]) for u in out.get("Uploads") or []]


@pytest.fixture
def bkt(aws):
    name = unique_bucket("climp")
    aws("s3", "mb", f"s3://{name}")
    return name


@pytest.fixture(scope="module")
def big_file(tmp_path_factory):
    """100 MiB of random bytes, written in 1 MiB chunks: (path, sha256)."""
    path = tmp_path_factory.mktemp("big") / "100mib.bin"
    sha = hashlib.sha256()
    with open(path, "wb") as f:
        for _ in range(BIG // MiB):
            block = os.urandom(MiB)
            f.write(block)
            sha.update(block)
    return path, sha.hexdigest()


def round_trip(cli, bucket, key, src, digest, chunk, tmp_path):
    res = cli("s3", "cp", src, f"s3://{bucket}/{key}")
    assert "upload:" in res.stdout
    head = cli.json("s3api", "head-object", "--bucket", bucket, "--key", key)
    assert head["ContentLength"] == BIG
    parts = -(-BIG // chunk)
    assert head["ETag"].endswith(f'-{parts}"'), head["ETag"]
    assert head["ETag"] == multipart_etag_of_file(src, chunk)
    last = cli.json("s3api", "head-object", "--bucket", bucket, "--key", key,
                    "--part-number", str(parts))
    assert last["PartsCount"] == parts
    assert last["ContentLength"] == BIG - (parts - 1) * chunk
    assert uploads_of(cli, bucket) == [], "the CLI's upload is completed, not left behind"

    dst = tmp_path / f"down-{chunk}.bin"
    res = cli("s3", "cp", f"s3://{bucket}/{key}", dst)
    assert "download:" in res.stdout
    assert dst.stat().st_size == BIG
    assert sha256_of(dst) == digest


# ---- aws s3 cp ------------------------------------------------------------------------
def test_cp_100mib_default_settings(aws, bkt, big_file, tmp_path):
    """The CLI's defaults: 8 MB threshold and chunks (8 MiB): 13 parts."""
    src, digest = big_file
    round_trip(aws, bkt, "big/default.bin", src, digest, 8 * MiB, tmp_path)


def test_cp_100mib_chunksize_5mb(kumo, bkt, big_file, tmp_path):
    """multipart_chunksize = 5MB (5 MiB for the CLI) in the config file: 20 parts."""
    src, digest = big_file
    cli = AwsCli(kumo, tmp_path / "cli-5mb")
    cli.config_file.write_text(
        "[default]\n"
        f"region = {REGION}\n"
        "s3 =\n"
        "  multipart_chunksize = 5MB\n"
        "  addressing_style = path\n")
    round_trip(cli, bkt, "big/chunk-5mb.bin", src, digest, 5 * MiB, tmp_path)


# ---- aws s3api ------------------------------------------------------------------------
def test_s3api_multipart_upload(aws, bkt, tmp_path):
    key = "api/object.bin"
    created = aws.json("s3api", "create-multipart-upload", "--bucket", bkt, "--key", key,
                       "--content-type", "application/x-kumo-cli",
                       "--metadata", "origin=awscli")
    assert created["Bucket"] == bkt and created["Key"] == key
    upload_id = created["UploadId"]
    assert upload_id

    p1, p2 = os.urandom(5 * MiB), os.urandom(3 * MiB + 1)
    files = {1: tmp_path / "part1", 2: tmp_path / "part2"}
    files[1].write_bytes(p1)
    files[2].write_bytes(p2)
    etags = {}
    for n in (2, 1):
        out = aws.json("s3api", "upload-part", "--bucket", bkt, "--key", key,
                       "--upload-id", upload_id, "--part-number", str(n), "--body", files[n])
        assert out["ETag"] == md5_etag(files[n].read_bytes())
        etags[n] = out["ETag"]

    for extra in ([], ["--page-size", "1"]):
        listed = aws.json("s3api", "list-parts", "--bucket", bkt, "--key", key,
                          "--upload-id", upload_id, *extra)
        assert [(p["PartNumber"], p["Size"], p["ETag"]) for p in listed["Parts"]] == [
            (1, len(p1), etags[1]), (2, len(p2), etags[2])], extra
    assert (key, upload_id) in uploads_of(aws, bkt)

    # A part list naming a part that was never uploaded is refused.
    bad = tmp_path / "bad-parts.json"
    bad.write_text(json.dumps({"Parts": [{"ETag": etags[1], "PartNumber": 1},
                                         {"ETag": etags[2], "PartNumber": 3}]}))
    res = aws("s3api", "complete-multipart-upload", "--bucket", bkt, "--key", key,
              "--upload-id", upload_id, "--multipart-upload", "file://bad-parts.json",
              check=False, cwd=tmp_path)
    assert res.returncode != 0
    assert "InvalidPart" in res.stderr, res.stderr

    (tmp_path / "parts.json").write_text(json.dumps(
        {"Parts": [{"ETag": etags[n], "PartNumber": n} for n in (1, 2)]}))
    done = aws.json("s3api", "complete-multipart-upload", "--bucket", bkt, "--key", key,
                    "--upload-id", upload_id, "--multipart-upload", "file://parts.json",
                    cwd=tmp_path)
    digests = hashlib.md5(p1).digest() + hashlib.md5(p2).digest()
    expected_etag = '"%s-2"' % hashlib.md5(digests).hexdigest()
    assert done["Bucket"] == bkt and done["Key"] == key
    assert done["ETag"] == expected_etag
    assert (key, upload_id) not in uploads_of(aws, bkt)

    out_file = tmp_path / "got.bin"
    got = aws.json("s3api", "get-object", "--bucket", bkt, "--key", key, out_file)
    assert out_file.read_bytes() == p1 + p2
    assert got["ETag"] == expected_etag
    assert got["ContentLength"] == len(p1) + len(p2)
    assert got["ContentType"] == "application/x-kumo-cli"
    assert got["Metadata"] == {"origin": "awscli"}


def test_s3api_abort_multipart_upload(aws, bkt, tmp_path):
    key = "api/aborted.bin"
    upload_id = aws.json("s3api", "create-multipart-upload", "--bucket", bkt,
                         "--key", key)["UploadId"]
    part = tmp_path / "part"
    part.write_bytes(os.urandom(MiB))
    aws("s3api", "upload-part", "--bucket", bkt, "--key", key, "--upload-id", upload_id,
        "--part-number", "1", "--body", part)
    assert uploads_of(aws, bkt) == [(key, upload_id)]

    aws("s3api", "abort-multipart-upload", "--bucket", bkt, "--key", key,
        "--upload-id", upload_id)
    assert uploads_of(aws, bkt) == []
    res = aws("s3api", "list-parts", "--bucket", bkt, "--key", key, "--upload-id", upload_id,
              check=False)
    assert res.returncode != 0
    assert "NoSuchUpload" in res.stderr, res.stderr
    res = aws("s3api", "upload-part", "--bucket", bkt, "--key", key, "--upload-id", upload_id,
              "--part-number", "2", "--body", part, check=False)
    assert res.returncode != 0
    assert "NoSuchUpload" in res.stderr, res.stderr
    res = aws("s3api", "head-object", "--bucket", bkt, "--key", key, check=False)
    assert res.returncode != 0
    assert "404" in res.stderr, res.stderr
    assert key not in aws("s3", "ls", f"s3://{bkt}/", "--recursive", check=False).stdout
