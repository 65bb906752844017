"""Debian's s3cmd against kumod (path style, SigV4, plain HTTP)."""

import hashlib
import os

from conftest import unique_bucket


def test_s3cmd_round_trip(s3cmd, s3, tmp_path):
    name = unique_bucket("s3cmd")
    res = s3cmd("mb", f"s3://{name}")
    assert f"Bucket 's3://{name}/' created" in res.stdout
    assert f"s3://{name}" in s3cmd("ls").stdout

    small = tmp_path / "small.txt"
    small.write_bytes(b"hello from s3cmd\n")
    big = tmp_path / "big.bin"
    big.write_bytes(os.urandom(3 * 1024 * 1024 + 11))
    s3cmd("put", small, f"s3://{name}/docs/small.txt")
    s3cmd("put", big, f"s3://{name}/big.bin")

    out = s3cmd("ls", f"s3://{name}/").stdout
    assert "DIR" in out and f"s3://{name}/docs/" in out
    assert f"s3://{name}/big.bin" in out
    out = s3cmd("ls", "--recursive", f"s3://{name}/").stdout
    assert f"s3://{name}/docs/small.txt" in out and f"s3://{name}/big.bin" in out

    # The objects s3cmd wrote are the bytes it read.
    assert s3.get_object(Bucket=name, Key="big.bin")["Body"].read() == big.read_bytes()
    assert s3.head_object(Bucket=name, Key="big.bin")["ETag"] == '"%s"' % hashlib.md5(
        big.read_bytes()).hexdigest()

    for remote, local in (("docs/small.txt", small), ("big.bin", big)):
        out_path = tmp_path / ("got-" + local.name)
        s3cmd("get", f"s3://{name}/{remote}", out_path)
        assert out_path.read_bytes() == local.read_bytes()

    res = s3cmd("rb", f"s3://{name}", check=False)
    assert res.returncode != 0, "removing a non-empty bucket must fail"
    assert "BucketNotEmpty" in res.stderr + res.stdout

    s3cmd("del", f"s3://{name}/docs/small.txt")
    s3cmd("del", f"s3://{name}/big.bin")
    assert s3cmd("ls", "--recursive", f"s3://{name}/").stdout.strip() == ""
    assert s3.list_objects_v2(Bucket=name)["KeyCount"] == 0

    res = s3cmd("rb", f"s3://{name}")
    assert f"Bucket 's3://{name}/' removed" in res.stdout
    assert f"s3://{name}" not in s3cmd("ls").stdout
