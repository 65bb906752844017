"""The transactional event outbox, read back with `kumo events ls/trace`.

Every acknowledged change has exactly its event (name, key, size, ETag, request id),
a change that did not happen has none, and both hold across kill -9.
"""

import concurrent.futures
import hashlib
import json
import os
import threading


from conftest import unique_bucket
from kumo_cli import run_cli


def kumo_cli(server, *args):
    res = run_cli(server, *args)
    assert res.returncode == 0, res.stderr
    return res.stdout


def events_of(server, bucket, **filters):
    args = ["events", "ls", "--bucket", bucket, "--limit", "10000", "--json"]
    for name, value in filters.items():
        args += [f"--{name}", value]
    return json.loads(kumo_cli(server, *args))["events"]


def request_id(response):
    return response["ResponseMetadata"]["RequestId"]


def test_delete_objects_of_1000_keys_records_1000_events(kumo):
    # The keys are committed in a few batches, not one synced batch each; every removed
    # key still has its own event, and the per-key results are unchanged.
    s3 = kumo.client()
    b = unique_bucket("ev")
    s3.create_bucket(Bucket=b)
    keys = [f"k/{i:04d}" for i in range(1000)]
    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        list(pool.map(lambda k: s3.put_object(Bucket=b, Key=k, Body=k.encode()), keys))
    gone = [{"Key": k} for k in keys[:999]] + [{"Key": "never-existed"}]
    resp = s3.delete_objects(Bucket=b, Delete={"Objects": gone})
    assert sorted(d["Key"] for d in resp["Deleted"]) == sorted(keys[:999] + ["never-existed"])
    assert "Errors" not in resp
    assert [o["Key"] for o in s3.list_objects_v2(Bucket=b)["Contents"]] == [keys[999]]
    removed = [e for e in events_of(kumo, b) if e["name"] == "ObjectRemoved:Delete"]
    assert sorted(e["key"] for e in removed) == keys[:999]
    assert {e["request_id"] for e in removed} == {request_id(resp)}
    resp = s3.delete_objects(Bucket=b, Delete={"Objects": [{"Key": keys[999]}]})
    assert [d["Key"] for d in resp["Deleted"]] == [keys[999]]
    names = [e["name"] for e in events_of(kumo, b)]
    assert names.count("ObjectRemoved:Delete") == 1000
    assert names.count("ObjectCreated:Put") == 1000
    assert "Contents" not in s3.list_objects_v2(Bucket=b)


def test_each_operation_records_its_event(kumo):
    s3 = kumo.client()
    b = unique_bucket("ev")
    s3.create_bucket(Bucket=b)
    put = s3.put_object(Bucket=b, Key="dir/a b.txt", Body=b"hello")
    copy = s3.copy_object(Bucket=b, Key="copy.txt", CopySource={"Bucket": b, "Key": "dir/a b.txt"})
    up = s3.create_multipart_upload(Bucket=b, Key="multi.bin")
    part = s3.upload_part(Bucket=b, Key="multi.bin", UploadId=up["UploadId"], PartNumber=1,
                          Body=b"x" * 1000)
    done = s3.complete_multipart_upload(
        Bucket=b, Key="multi.bin", UploadId=up["UploadId"],
        MultipartUpload={"Parts": [{"PartNumber": 1, "ETag": part["ETag"]}]})
    delete = s3.delete_object(Bucket=b, Key="copy.txt")
    s3.delete_object(Bucket=b, Key="never-existed")  # removes nothing: no event
    multi = s3.delete_objects(Bucket=b, Delete={"Objects": [{"Key": "multi.bin"},
                                                            {"Key": "absent"}]})
    try:
        s3.put_object(Bucket=b, Key="bad", Body=b"abc", ContentMD5="1B2M2Y8AsgTpgAmY7PhCfg==")
    except Exception:  # BadDigest: the change did not happen
        pass

    events = events_of(kumo, b)
    got = [(e["name"], e["key"]) for e in events]
    assert got == [
        ("ObjectCreated:Put", "dir/a b.txt"),
        ("ObjectCreated:Copy", "copy.txt"),
        ("ObjectCreated:CompleteMultipartUpload", "multi.bin"),
        ("ObjectRemoved:Delete", "copy.txt"),
        ("ObjectRemoved:Delete", "multi.bin"),
    ]
    seqs = [e["seq"] for e in events]
    assert seqs == sorted(seqs) and len(set(seqs)) == len(seqs)
    put_ev, copy_ev, mp_ev, del_ev, multi_ev = events
    assert put_ev["size"] == 5
    assert put_ev["etag"] == hashlib.md5(b"hello").hexdigest()
    assert put_ev["request_id"] == request_id(put)
    assert put_ev["principal"] == kumo.access_key
    assert put_ev["source_ip"] == "127.0.0.1"
    assert copy_ev["request_id"] == request_id(copy)
    assert mp_ev["size"] == 1000 and '"' + mp_ev["etag"] + '"' == done["ETag"]
    assert del_ev["request_id"] == request_id(delete)
    assert multi_ev["request_id"] == request_id(multi)
    # Filters by key, and trace of an event without children.
    only = events_of(kumo, b, key="copy.txt")
    assert [e["name"] for e in only] == ["ObjectCreated:Copy", "ObjectRemoved:Delete"]
    trace = json.loads(kumo_cli(kumo, "events", "trace", put_ev["seq"], "--json"))
    assert trace["root"]["seq"] == put_ev["seq"] and trace["caused"] == []


def test_acknowledged_changes_keep_their_events_across_kill9(fresh_kumo):
    server = fresh_kumo
    s3 = server.client()
    b = unique_bucket("evcrash")
    s3.create_bucket(Bucket=b)
    acked = {}  # key -> etag of the acknowledged PUT
    attempted = {}  # key -> set of etags ever sent
    lock = threading.Lock()
    stop = threading.Event()

    def writer(worker):
        client = server.client()
        i = 0
        while not stop.is_set() and i < 400:
            key = f"w{worker}/k{i % 25}"
            body = os.urandom(1000 + (i * 997) % 200000)
            etag = hashlib.md5(body).hexdigest()
            with lock:
                attempted.setdefault(key, set()).add(etag)
            try:
                client.put_object(Bucket=b, Key=key, Body=body)
            except Exception:
                return  # the server went away mid-request
            with lock:
                acked[key] = etag
            i += 1

    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        futures = [pool.submit(writer, w) for w in range(8)]
        while True:
            with lock:
                if len(acked) >= 60:
                    break
        server.kill9()
        stop.set()
        for f in futures:
            f.result()
    server.start()
    s3 = server.client()  # the restarted server may listen on another port

    events = events_of(server, b)
    last_event = {}
    for e in events:
        assert e["name"] == "ObjectCreated:Put"
        # No event for a change that never happened: every event names bytes a client sent.
        assert e["etag"] in attempted[e["key"]], e
        last_event[e["key"]] = e["etag"]
    for key, etag in acked.items():
        head = s3.head_object(Bucket=b, Key=key)
        current = head["ETag"].strip('"')
        # The object is the acknowledged write or a later (in-flight) one, and its last
        # event describes exactly what is stored.
        assert current in attempted[key]
        assert last_event.get(key) == current, (key, current, last_event.get(key))
