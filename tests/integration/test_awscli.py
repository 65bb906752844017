"""Debian's aws CLI (awscli 2.9) against kumod, path-style addressing."""

import filecmp
import hashlib
import json
import os
import re

import pytest

from conftest import unique_bucket


def lines(text):
    return [l for l in text.splitlines() if l.strip()]


def ls_entries(output):
    """`aws s3 ls` output -> (prefixes, {key: size})."""
    prefixes, keys = [], {}
    for line in lines(output):
        m = re.match(r"^\s+PRE (.+)$", line)
        if m:
            prefixes.append(m.group(1))
            continue
        m = re.match(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\s+(\d+) (.+)$", line)
        assert m, f"unexpected ls line: {line!r}"
        keys[m.group(2)] = int(m.group(1))
    return prefixes, keys


@pytest.fixture
def bkt(aws):
    name = unique_bucket("cli")
    res = aws("s3", "mb", f"s3://{name}")
    assert f"make_bucket: {name}" in res.stdout
    return name


# ---- aws s3 ---------------------------------------------------------------------------
def test_mb_ls_rb(aws):
    name = unique_bucket("cli")
    aws("s3", "mb", f"s3://{name}")
    assert name in aws("s3", "ls").stdout
    res = aws("s3", "mb", f"s3://{name}", check=False)
    assert res.returncode != 0
    assert "BucketAlreadyOwnedByYou" in res.stderr
    res = aws("s3", "rb", f"s3://{name}")
    assert f"remove_bucket: {name}" in res.stdout
    assert name not in aws("s3", "ls").stdout


def test_rb_non_empty_bucket_fails(aws, bkt, tmp_path):
    f = tmp_path / "f.txt"
    f.write_text("x")
    aws("s3", "cp", f, f"s3://{bkt}/f.txt")
    res = aws("s3", "rb", f"s3://{bkt}", check=False)
    assert res.returncode != 0
    assert "BucketNotEmpty" in res.stderr
    assert bkt in aws("s3", "ls").stdout
    aws("s3", "rb", f"s3://{bkt}", "--force")
    assert bkt not in aws("s3", "ls").stdout


def test_cp_small_up_and_down(aws, bkt, tmp_path):
    src = tmp_path / "hello.txt"
    src.write_bytes(b"hello from the aws cli\n")
    res = aws("s3", "cp", src, f"s3://{bkt}/dir/hello.txt")
    assert "upload:" in res.stdout
    dst = tmp_path / "back.txt"
    aws("s3", "cp", f"s3://{bkt}/dir/hello.txt", dst)
    assert dst.read_bytes() == src.read_bytes()
    head = aws.json("s3api", "head-object", "--bucket", bkt, "--key", "dir/hello.txt")
    assert head["ContentLength"] == src.stat().st_size
    assert head["ContentType"] == "text/plain"  # guessed from the extension by the CLI
    assert head["ETag"] == '"%s"' % hashlib.md5(src.read_bytes()).hexdigest()


def _big_file(path, size=20 * 1024 * 1024):
    with open(path, "wb") as f:
        f.write(os.urandom(size))
    return path


def test_cp_20mib_single_put(aws, bkt, tmp_path):
    """20 MiB as one streamed PutObject (multipart threshold raised in the profile)."""
    src = _big_file(tmp_path / "big.bin")
    aws("s3", "cp", src, f"s3://{bkt}/big.bin", profile="singlepart")
    head = aws.json("s3api", "head-object", "--bucket", bkt, "--key", "big.bin")
    assert head["ContentLength"] == 20 * 1024 * 1024
    assert head["ETag"] == '"%s"' % hashlib.md5(src.read_bytes()).hexdigest()
    dst = tmp_path / "big.out"
    aws("s3", "cp", f"s3://{bkt}/big.bin", dst)  # downloads with parallel ranged GETs
    assert filecmp.cmp(src, dst, shallow=False)


def test_cp_20mib_default_settings(aws, bkt, tmp_path):
    """20 MiB with the CLI's defaults (8 MiB multipart threshold: multipart upload)."""
    src = _big_file(tmp_path / "big.bin")
    aws("s3", "cp", src, f"s3://{bkt}/big.bin")
    head = aws.json("s3api", "head-object", "--bucket", bkt, "--key", "big.bin")
    assert head["ContentLength"] == 20 * 1024 * 1024
    dst = tmp_path / "big.out"
    aws("s3", "cp", f"s3://{bkt}/big.bin", dst)
    assert filecmp.cmp(src, dst, shallow=False)


def test_ls_with_prefixes(aws, bkt, tmp_path):
    keys = ["photos/2024/a.jpg", "photos/2024/b.jpg", "photos/2025/c.jpg",
            "docs/readme.txt", "top.txt"]
    f = tmp_path / "f"
    for k in keys:
        f.write_text(k)
        aws("s3", "cp", f, f"s3://{bkt}/{k}")

    prefixes, objs = ls_entries(aws("s3", "ls", f"s3://{bkt}/").stdout)
    assert prefixes == ["docs/", "photos/"]
    assert objs == {"top.txt": len("top.txt")}

    prefixes, objs = ls_entries(aws("s3", "ls", f"s3://{bkt}/photos/").stdout)
    assert prefixes == ["2024/", "2025/"]
    assert objs == {}

    prefixes, objs = ls_entries(aws("s3", "ls", f"s3://{bkt}/photos/2024/").stdout)
    assert prefixes == []
    assert objs == {"a.jpg": len("photos/2024/a.jpg"), "b.jpg": len("photos/2024/b.jpg")}

    prefixes, objs = ls_entries(aws("s3", "ls", f"s3://{bkt}/pho").stdout)
    assert prefixes == ["photos/"]

    prefixes, objs = ls_entries(aws("s3", "ls", "--recursive", f"s3://{bkt}/").stdout)
    assert prefixes == []
    assert sorted(objs) == sorted(keys)


def test_sync(aws, bkt, tmp_path):
    site = tmp_path / "site"
    (site / "css").mkdir(parents=True)
    files = {"index.html": "<h1>hi</h1>", "about.html": "about", "css/main.css": "body{}",
             "css/extra.css": "p{}", "notes with space.txt": "spaces"}
    for rel, text in files.items():
        (site / rel).write_text(text)

    res = aws("s3", "sync", site, f"s3://{bkt}/site/")
    uploads = [l for l in lines(res.stdout) if l.startswith("upload:")]
    assert len(uploads) == len(files), res.stdout

    res = aws("s3", "sync", site, f"s3://{bkt}/site/")
    assert not [l for l in lines(res.stdout) if l.startswith("upload:")], res.stdout

    (site / "css/main.css").write_text("body{color:red}")  # new size: must be re-uploaded
    res = aws("s3", "sync", site, f"s3://{bkt}/site/")
    uploads = [l for l in lines(res.stdout) if l.startswith("upload:")]
    assert len(uploads) == 1 and "css/main.css" in uploads[0], res.stdout

    down = tmp_path / "down"
    aws("s3", "sync", f"s3://{bkt}/site/", down)
    cmp = filecmp.dircmp(site, down)
    assert not cmp.left_only and not cmp.right_only and not cmp.diff_files
    assert (down / "css/main.css").read_text() == "body{color:red}"

    (site / "about.html").unlink()
    res = aws("s3", "sync", "--delete", site, f"s3://{bkt}/site/")
    assert [l for l in lines(res.stdout) if l.startswith("delete:")], res.stdout
    listed = aws.json("s3api", "list-objects-v2", "--no-paginate", "--bucket", bkt)
    assert sorted(o["Key"] for o in listed["Contents"]) == sorted(
        f"site/{k}" for k in files if k != "about.html")


def test_rm_recursive(aws, bkt, tmp_path):
    d = tmp_path / "d"
    (d / "sub").mkdir(parents=True)
    for i in range(12):
        (d / ("sub" if i % 2 else ".") / f"f{i}").write_text(str(i))
    aws("s3", "cp", "--recursive", d, f"s3://{bkt}/")
    assert aws.json("s3api", "list-objects-v2", "--no-paginate", "--bucket", bkt)["KeyCount"] == 12
    res = aws("s3", "rm", "--recursive", f"s3://{bkt}/sub/")
    assert len([l for l in lines(res.stdout) if l.startswith("delete:")]) == 6
    assert aws.json("s3api", "list-objects-v2", "--no-paginate", "--bucket", bkt)["KeyCount"] == 6
    aws("s3", "rm", "--recursive", f"s3://{bkt}/")
    assert aws.json("s3api", "list-objects-v2", "--no-paginate", "--bucket", bkt)["KeyCount"] == 0
    aws("s3", "rb", f"s3://{bkt}")
    res = aws("s3api", "head-bucket", "--bucket", bkt, check=False)
    assert res.returncode != 0 and "404" in res.stderr


# ---- aws s3api ------------------------------------------------------------------------
def test_s3api_buckets(aws):
    plain, located = unique_bucket("api"), unique_bucket("api")
    out = aws.json("s3api", "create-bucket", "--bucket", plain)
    assert out.get("Location") == f"/{plain}"
    aws.json("s3api", "create-bucket", "--bucket", located,
             "--create-bucket-configuration", "LocationConstraint=eu-west-1")
    aws("s3api", "head-bucket", "--bucket", plain)
    aws("s3api", "head-bucket", "--bucket", located)
    assert aws.json("s3api", "get-bucket-location", "--bucket", plain)["LocationConstraint"] is None
    assert aws.json("s3api", "get-bucket-location",
                    "--bucket", located)["LocationConstraint"] == "eu-west-1"
    names = [b["Name"] for b in aws.json("s3api", "list-buckets")["Buckets"]]
    assert plain in names and located in names
    res = aws("s3api", "head-bucket", "--bucket", unique_bucket("missing"), check=False)
    assert res.returncode != 0 and "404" in res.stderr


def test_s3api_objects(aws, bkt, tmp_path):
    body = tmp_path / "body.txt"
    body.write_bytes(bytes(range(256)) * 4)
    out = aws.json("s3api", "put-object", "--bucket", bkt, "--key", "obj", "--body", body,
                   "--content-type", "application/x-kumo", "--metadata", "color=blue,size=big")
    assert out["ETag"] == '"%s"' % hashlib.md5(body.read_bytes()).hexdigest()

    head = aws.json("s3api", "head-object", "--bucket", bkt, "--key", "obj")
    assert head["ContentType"] == "application/x-kumo"
    assert head["Metadata"] == {"color": "blue", "size": "big"}
    assert head["ContentLength"] == 1024

    part = tmp_path / "part"
    out = aws.json("s3api", "get-object", "--bucket", bkt, "--key", "obj",
                   "--range", "bytes=10-19", part)
    assert out["ContentRange"] == "bytes 10-19/1024"
    assert part.read_bytes() == body.read_bytes()[10:20]

    out = aws.json("s3api", "copy-object", "--bucket", bkt, "--key", "copy",
                   "--copy-source", f"{bkt}/obj")
    assert out["CopyObjectResult"]["ETag"] == head["ETag"]
    copy = aws.json("s3api", "head-object", "--bucket", bkt, "--key", "copy")
    assert copy["Metadata"] == {"color": "blue", "size": "big"}
    assert copy["ContentType"] == "application/x-kumo"

    for k in ("dir/a", "dir/b", "dir/sub/c", "other"):
        aws.json("s3api", "put-object", "--bucket", bkt, "--key", k, "--body", body)

    v1 = aws.json("s3api", "list-objects", "--bucket", bkt)
    assert sorted(o["Key"] for o in v1["Contents"]) == ["copy", "dir/a", "dir/b", "dir/sub/c",
                                                        "obj", "other"]
    v2 = aws.json("s3api", "list-objects-v2", "--no-paginate", "--bucket", bkt, "--prefix", "dir/",
                  "--delimiter", "/")
    assert [o["Key"] for o in v2["Contents"]] == ["dir/a", "dir/b"]
    assert [p["Prefix"] for p in v2["CommonPrefixes"]] == ["dir/sub/"]
    assert v2["KeyCount"] == 3

    delete = {"Objects": [{"Key": "dir/a"}, {"Key": "dir/b"}, {"Key": "absent"}], "Quiet": False}
    out = aws.json("s3api", "delete-objects", "--bucket", bkt, "--delete", json.dumps(delete))
    assert sorted(d["Key"] for d in out["Deleted"]) == ["absent", "dir/a", "dir/b"]
    assert not out.get("Errors")
    v2 = aws.json("s3api", "list-objects-v2", "--no-paginate", "--bucket", bkt)
    assert [o["Key"] for o in v2["Contents"]] == ["copy", "dir/sub/c", "obj", "other"]

    aws.json("s3api", "delete-object", "--bucket", bkt, "--key", "obj")
    res = aws("s3api", "head-object", "--bucket", bkt, "--key", "obj", check=False)
    assert res.returncode != 0 and "404" in res.stderr
