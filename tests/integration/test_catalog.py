"""The object catalog (src/catalog): kumod keeps <data_dir>/catalog/catalog.db equal to
the store, driven by real S3 clients (boto3).

  * uploads, overwrites, multipart, tagging and deletes reach the catalog (lag 0), whose
    rows equal a listing of the bucket (keys, sizes, etags, tags, user metadata);
  * kill -9 in the middle of a 5,000-object load, restart: the catalog catches up and
    equals the listing exactly;
  * the catalog is rebuilt from the store at start when its file is gone or damaged,
    and by `kumo catalog rebuild --wait` after its rows were deleted;
  * `kumo catalog status`, /_kumo/metrics, and catalog.enabled = false.
The database is read with python's sqlite3 module on a read-only connection (WAL lets it
read while kumod writes).
"""

import json
import os
import sqlite3
import threading
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from botocore.exceptions import ClientError, EndpointConnectionError

from conftest import REPO, _new_server, _tmp_root, unique_bucket
from kumo_cli import cli_json, run_cli, wait_for


def db_path(server):
    return server.data_dir / "catalog" / "catalog.db"


def query(server, sql, args=()):
    con = sqlite3.connect(f"file:{db_path(server)}?mode=ro", uri=True, timeout=10)
    try:
        return con.execute(sql, args).fetchall()
    finally:
        con.close()


def caught_up(server):
    """Waits until the catalog has applied every event and no rebuild runs."""
    def done():
        s = cli_json(server, "catalog", "status")
        return s if s["lag_events"] == 0 and not s["rebuilding"] else None
    return wait_for(done, "catalog lag 0", timeout_s=60)


def listing(s3, bucket):
    """{key: (size, etag)} of the bucket, as ListObjectsV2 reports it."""
    out = {}
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket):
        for o in page.get("Contents", []):
            out[o["Key"]] = (o["Size"], o["ETag"].strip('"'))
    return out


def cataloged(server, bucket):
    rows = query(server, "SELECT key, size, etag FROM obj WHERE bucket = ?", (bucket,))
    return {k: (size, etag) for k, size, etag in rows}


def test_uploads_overwrites_tagging_deletes_reach_the_catalog(fresh_kumo):
    s3 = fresh_kumo.client()
    bucket = unique_bucket("cat")
    s3.create_bucket(Bucket=bucket)
    for i in range(30):
        s3.put_object(Bucket=bucket, Key=f"photos/2024/img-{i:02d}.jpg", Body=b"x" * (i + 1),
                      ContentType="image/jpeg", Metadata={"camera": f"cam{i % 3}"})
    for i in range(0, 30, 3):  # overwrites: new bytes, no metadata
        s3.put_object(Bucket=bucket, Key=f"photos/2024/img-{i:02d}.jpg", Body=b"y" * 100)
    for i in range(1, 30, 3):
        s3.put_object_tagging(Bucket=bucket, Key=f"photos/2024/img-{i:02d}.jpg",
                              Tagging={"TagSet": [{"Key": "team", "Value": f"t{i}"}]})
    s3.delete_object_tagging(Bucket=bucket, Key="photos/2024/img-01.jpg")
    for i in range(2, 30, 6):
        s3.delete_object(Bucket=bucket, Key=f"photos/2024/img-{i:02d}.jpg")
    s3.delete_objects(Bucket=bucket, Delete={"Objects": [{"Key": "photos/2024/img-29.jpg"}]})
    s3.copy_object(Bucket=bucket, Key="copy.jpg",
                   CopySource={"Bucket": bucket, "Key": "photos/2024/img-04.jpg"})
    part = b"p" * (5 << 20)
    up = s3.create_multipart_upload(Bucket=bucket, Key="big.bin")
    etags = [s3.upload_part(Bucket=bucket, Key="big.bin", UploadId=up["UploadId"],
                            PartNumber=n, Body=part)["ETag"] for n in (1, 2)]
    s3.complete_multipart_upload(
        Bucket=bucket, Key="big.bin", UploadId=up["UploadId"],
        MultipartUpload={"Parts": [{"PartNumber": n, "ETag": e}
                                   for n, e in zip((1, 2), etags)]})

    status = caught_up(fresh_kumo)
    want = listing(s3, bucket)
    assert cataloged(fresh_kumo, bucket) == want
    assert status["objects"] == len(want)
    assert status["cursor"] == status["watermark"]

    rows = {k: (ctype, json.loads(meta), json.loads(tags), parts) for k, ctype, meta, tags, parts
            in query(fresh_kumo, "SELECT key, content_type, user_meta, tags, parts FROM obj")}
    for key in want:
        head = s3.head_object(Bucket=bucket, Key=key)
        tagset = s3.get_object_tagging(Bucket=bucket, Key=key)["TagSet"]
        ctype, meta, tags, _ = rows[key]
        assert ctype == head["ContentType"], key
        assert meta == head["Metadata"], key
        assert tags == {t["Key"]: t["Value"] for t in tagset}, key
    assert rows["big.bin"][3] == 2
    assert rows["photos/2024/img-04.jpg"][3] == 0

    # Tags and metadata are attributes of the s3 namespace, and in the full-text index.
    assert query(fresh_kumo, "SELECT o.key FROM attr a JOIN obj o ON o.id = a.object_id "
                 "WHERE a.namespace = 's3' AND a.name = 'tag.team' AND a.str = 't7'") == \
        [("photos/2024/img-07.jpg",)]
    hits = query(fresh_kumo, "SELECT count(*) FROM fts WHERE fts MATCH 'img AND cam1'")
    assert hits[0][0] == sum(1 for k, r in rows.items()
                             if r[1].get("camera") == "cam1" and "img" in k)

    # The human summary and the metrics say the same.
    res = run_cli(fresh_kumo, "catalog", "status")
    assert res.returncode == 0, res.stderr
    assert f"objects:     {len(want)}" in res.stdout
    assert "lag:         0 events" in res.stdout
    with urllib.request.urlopen(f"{fresh_kumo.endpoint}/_kumo/metrics", timeout=10) as r:
        metrics = r.read().decode()
    assert f"kumo_catalog_objects {len(want)}\n" in metrics
    assert "kumo_catalog_lag 0\n" in metrics
    assert f"kumo_catalog_cursor {status['watermark']}\n" in metrics


class Load:
    """PUTs of small objects from a thread pool; counts acknowledgements."""

    def __init__(self, s3, bucket, keys):
        self.s3, self.bucket, self.keys = s3, bucket, keys
        self.lock = threading.Lock()
        self.acked = 0

    def put(self, key):
        try:
            self.s3.put_object(Bucket=self.bucket, Key=key, Body=key.encode() * 3)
        except (ClientError, EndpointConnectionError, Exception):  # noqa: BLE001 - the kill
            return
        with self.lock:
            self.acked += 1

    def run(self, workers=16):
        with ThreadPoolExecutor(workers) as pool:
            list(pool.map(self.put, self.keys))


def test_kill9_during_a_load_then_the_catalog_equals_the_bucket(fresh_kumo):
    s3 = fresh_kumo.client()
    bucket = unique_bucket("crash")
    s3.create_bucket(Bucket=bucket)
    keys = [f"load/{i // 100:02d}/obj-{i:05d}" for i in range(5000)]
    load = Load(s3, bucket, keys[:3500])
    runner = threading.Thread(target=load.run)
    runner.start()
    wait_for(lambda: load.acked >= 1500, "1500 acknowledged PUTs", timeout_s=60)
    fresh_kumo.kill9()
    runner.join()

    fresh_kumo.start()
    s3 = fresh_kumo.client()
    # The rest of the load after the restart: the follower resumes from its cursor.
    Load(s3, bucket, keys[3500:]).run()
    for key in keys[:200:7]:
        s3.delete_object(Bucket=bucket, Key=key)
    status = caught_up(fresh_kumo)
    want = listing(s3, bucket)
    assert len(want) > 1500 + 1500 - 29
    assert cataloged(fresh_kumo, bucket) == want
    assert status["objects"] == len(want)


def test_rebuild_at_start_and_on_request(fresh_kumo):
    s3 = fresh_kumo.client()
    bucket = unique_bucket("rb")
    s3.create_bucket(Bucket=bucket)
    for i in range(300):
        s3.put_object(Bucket=bucket, Key=f"k{i:04d}", Body=b"v" * (1 + i % 17),
                      Metadata={"i": str(i)})
    caught_up(fresh_kumo)
    want = listing(s3, bucket)
    assert cataloged(fresh_kumo, bucket) == want

    # The file gone (kumod stopped): rebuilt from the store at the next start.
    fresh_kumo.stop()
    for suffix in ("", "-wal", "-shm"):
        p = db_path(fresh_kumo).with_name("catalog.db" + suffix)
        if p.exists():
            p.unlink()
    fresh_kumo.start()
    status = caught_up(fresh_kumo)
    assert status["rebuilt"] is not None
    assert cataloged(fresh_kumo, bucket) == want
    assert status["objects"] == len(want)

    # Rows deleted behind kumod's back: `kumo catalog rebuild --wait` restores them.
    con = sqlite3.connect(str(db_path(fresh_kumo)), timeout=10)
    with con:
        con.execute("DELETE FROM fts")
        con.execute("DELETE FROM fts_row")
        con.execute("DELETE FROM attr")
        con.execute("DELETE FROM obj WHERE key >= 'k0100'")
    con.close()
    assert len(cataloged(fresh_kumo, bucket)) == 100
    res = run_cli(fresh_kumo, "catalog", "rebuild", "--wait")
    assert res.returncode == 0, res.stderr
    assert "catalog rebuilt: 300 objects scanned" in res.stdout
    assert cataloged(fresh_kumo, bucket) == want
    status = cli_json(fresh_kumo, "catalog", "status")
    assert status["objects"] == len(want)
    # The 200 rows inserted again have their s3 attributes and text.
    assert query(fresh_kumo, "SELECT count(*) FROM attr WHERE name = 'meta.i'")[0][0] >= 200

    # A damaged file: set aside, and the catalog built again at start.
    fresh_kumo.stop()
    for suffix in ("-wal", "-shm"):
        p = db_path(fresh_kumo).with_name("catalog.db" + suffix)
        if p.exists():
            p.unlink()
    db_path(fresh_kumo).write_bytes(b"not a database" * 1000)
    fresh_kumo.start()
    status = caught_up(fresh_kumo)
    assert cataloged(fresh_kumo, bucket) == want
    assert status["objects"] == len(want)
    assert list(db_path(fresh_kumo).parent.glob("catalog.db.corrupt-*"))


def test_catalog_disabled(request):
    server = _new_server(request, _tmp_root("kumo-it-nocat-"),
                         extra_env={"KUMO_CATALOG_ENABLED": "false"})
    res = run_cli(server, "catalog", "status")
    assert res.returncode == 1
    assert "disabled" in res.stderr
    assert not db_path(server).exists()


def test_function_attributes_reach_the_catalog(request, tmp_path):
    """A function's catalog_put (the test plugin's probe mode puts {"probed": true} in its
    namespace) lands in attr; tagging keeps it, an overwrite drops it."""
    from conftest import ACCESS_KEY
    build = Path(os.environ.get("KUMO_BUILD_DIR") or REPO / "build")
    config = tmp_path / "kumo.toml"
    config.write_text(f"""
[functions.probe]
plugin = "{build / 'tests' / 'plugins' / 'test_function.so'}"
run_as = "{ACCESS_KEY}"
config = {{ mode = "probe" }}
""")
    server = _new_server(request, _tmp_root("kumo-it-catfn-"),
                         extra_args=["--config", str(config)])
    s3 = server.client()
    bucket = unique_bucket("fn")
    s3.create_bucket(Bucket=bucket)
    s3.put_bucket_notification_configuration(Bucket=bucket, NotificationConfiguration={
        "LambdaFunctionConfigurations": [{
            "Id": "probe",
            "LambdaFunctionArn": "arn:kumo:lambda:us-east-1:000000000000:function:probe",
            "Events": ["s3:ObjectCreated:*"],
            "Filter": {"Key": {"FilterRules": [{"Name": "prefix", "Value": "dir/"}]}},
        }]})
    s3.put_object(Bucket=bucket, Key="dir/a.txt", Body=b"hello")

    def probed():
        rows = query(server, "SELECT a.num, a.str FROM attr a JOIN obj o ON o.id = a.object_id "
                     "WHERE o.key = 'dir/a.txt' AND a.namespace = 'probe' AND a.name = 'probed'")
        return rows or None
    assert wait_for(probed, "the probe's catalog attribute") == [(1.0, "true")]
    def report():
        try:
            return json.loads(s3.get_object(Bucket=bucket, Key="probe/dir/a.txt.json")["Body"]
                              .read())
        except ClientError:
            return None
    report = wait_for(report, "the probe's report")
    assert report["catalog_stored"] is True and report["catalog_stale"] is True

    # Tagging keeps them (same bytes); a copy over it with new bytes drops them.
    s3.put_object_tagging(Bucket=bucket, Key="dir/a.txt",
                          Tagging={"TagSet": [{"Key": "t", "Value": "1"}]})
    caught_up(server)
    assert probed() == [(1.0, "true")]
    # New bytes that the function does not see (unbound): its attributes described the
    # old ones and are gone.
    s3.put_bucket_notification_configuration(Bucket=bucket, NotificationConfiguration={})
    s3.put_object(Bucket=bucket, Key="dir/a.txt", Body=b"new bytes")
    caught_up(server)
    assert probed() is None
    assert query(server, "SELECT count(*) FROM attr WHERE namespace = 'probe'") == [(0,)]
