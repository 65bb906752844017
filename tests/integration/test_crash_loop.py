"""Crash loop (issue 10, ARCHITECTURE §2 commit rule and recovery, §3 outbox): kumod is
killed with SIGKILL at a random point (0.3-2 s) of a mixed boto3 load, restarted on the
same data directory, CYCLES times, with a webhook receiver (http.server in a thread) and a plugin
function (tests/plugins/test_function.so, mode noop) bound to every event of the bucket.

Load: CLIENTS threads, each the only writer of its own keys, run small PUTs (packed
segments), large PUTs (extent files), multipart uploads (5 MiB parts), CopyObject,
DeleteObject and PutObjectTagging. Each records what was acknowledged (a response
received) in a model of its keys (content hash, size, tags, or absent); an operation
that fails (the kill) is "in flight": its outcome is unknown.

After each restart, before any new write:
  * each in-flight change is resolved from what the store shows: the key holds exactly
    the old state or exactly the new one (never another content: no mix, no truncation);
  * the listing is exactly the model's set of existing keys (nothing unacknowledged
    visible, acknowledged deletes stay deleted), every object GETs the model's bytes
    (sha256 and size), and its tags are the model's.
At the end:
  * the event log of the bucket has exactly one event per acknowledged change, matched
    by the response's x-amz-request-id, with the right key and event name (a delete of
    an absent key is no change: no event); the other events each belong to an in-flight
    change of that key and name: at most one each, and exactly one for a change the
    store shows applied (the event is in the change's batch);
  * every event of the bucket reaches the webhook (x-kumo-event-sequence) and the
    function's cursor reaches the watermark (lag 0), with no dead letters;
  * the space accounting (/_kumo/metrics kumo_storage_objects, kumo_storage_live_bytes)
    equals the listing (count, sum of sizes), with background compaction running every
    200 ms through the whole test (also killed mid-compaction), both right after the last
    restart and after delivery;
  * on disk, blobs/ holds the live bytes + dead bytes + the parts of the uploads the kills
    left open (+ at most 1 MiB of record headers): recovery removed the bytes of every
    unacknowledged write.
Seed: KUMO_CRASH_SEED (printed); cycles: KUMO_CRASH_CYCLES (default 50, ~2.5 min here).
Waits are polls with deadlines, never timing assertions.
"""

import hashlib
import os
import random
import threading
import time
import urllib.request
from urllib.parse import unquote_plus

import pytest
from botocore.exceptions import ClientError, EndpointConnectionError

from conftest import _new_server, _tmp_root
from kumo_cli import cli_json, wait_for
from test_events_webhook import Receiver, record_of
from test_plugins import plugins_dir

BUCKET = "crash-loop"
CYCLES = int(os.environ.get("KUMO_CRASH_CYCLES", "50"))
CLIENTS = 4
MIB = 1024 * 1024
WEBHOOK_ARN = "arn:kumo:sqs::alerts:webhook"
FUNCTION = "noop"
ALL_EVENTS = ["s3:ObjectCreated:*", "s3:ObjectRemoved:*", "s3:ObjectTagging:*"]
SEED = int(os.environ.get("KUMO_CRASH_SEED", str(int(time.time()))))

EVENT_NAME = {
    "put": "ObjectCreated:Put",
    "copy": "ObjectCreated:Copy",
    "mpu": "ObjectCreated:CompleteMultipartUpload",
    "delete": "ObjectRemoved:Delete",
    "tag": "ObjectTagging:Put",
}


def digest(data):
    return hashlib.sha256(data).hexdigest()


class State:
    """What a key holds: content hash, size, tags; None is "absent"."""

    def __init__(self, sha, size, tags):
        self.sha, self.size, self.tags = sha, size, dict(tags)

    def same(self, other):
        return other is not None and (self.sha, self.size, self.tags) == \
            (other.sha, other.size, other.tags)

    def __repr__(self):
        return f"State({self.sha[:12]}, {self.size}, {self.tags})"


def same_state(a, b):
    return (a is None and b is None) or (a is not None and a.same(b))


class Client:
    """One load thread per cycle: the only writer of the keys t<n>/..., with its model of
    them (the model is read by the test only between cycles, when the thread is done)."""

    def __init__(self, n, rng):
        self.n = n
        self.rng = rng
        # small0-3, large0-1, mpu0, copy0: _plan picks by position.
        self.keys = ([f"t{n}/small{i}" for i in range(4)] + [f"t{n}/large{i}" for i in range(2)]
                     + [f"t{n}/mpu0", f"t{n}/copy0"])
        self.model = {k: None for k in self.keys}
        self.acked = []        # (request_id, key, event name, size) of acknowledged changes
        self.in_flight = None  # the change whose outcome is unknown, this cycle
        self.unknown = []      # every in-flight change after resolution: (key, name, applied)
        self.errors_while_up = []
        self.ops = 0

    def run_cycle(self, s3, stop, server_up):
        self.s3, self.stop, self.server_up = s3, stop, server_up
        self.in_flight = None
        self.thread = threading.Thread(target=self._loop, daemon=True)
        self.thread.start()

    def join_cycle(self, timeout):
        self.thread.join(timeout)
        assert not self.thread.is_alive(), f"client {self.n} did not stop"

    # ---- the load ------------------------------------------------------------------
    def _loop(self):
        while not self.stop.is_set():
            op = self.rng.choices(["small", "large", "mpu", "copy", "delete", "tag"],
                                  weights=[8, 2, 1, 2, 2, 2])[0]
            change = self._plan(op)
            if change is None:
                continue
            try:
                rid = self._execute(change)
            except Exception as e:  # the kill: outcome unknown
                if self.server_up.is_set() and not self.stop.is_set():
                    self.errors_while_up.append(f"{change['op']} {change['key']}: {e!r}")
                # Refused: kumod is down and the request was never sent.
                if change["sent"] and not isinstance(e, EndpointConnectionError):
                    self.in_flight = change
                return
            self.ops += 1
            self.model[change["key"]] = change["new"]
            if change["event"]:
                size = change["new"].size if change["new"] else None
                self.acked.append((rid, change["key"], EVENT_NAME[change["op"]], size))

    def _plan(self, op):
        rng, model = self.rng, self.model
        existing = [k for k in self.keys if model[k] is not None]
        if op == "small":
            key = rng.choice(self.keys[:4])
            body = os.urandom(rng.randint(1, 256 * 1024))
            return self._change("put", key, State(digest(body), len(body), {}), body=body)
        if op == "large":
            key = rng.choice(self.keys[4:6])
            body = os.urandom(rng.randint(2 * MIB, 4 * MIB))
            return self._change("put", key, State(digest(body), len(body), {}), body=body)
        if op == "mpu":
            parts = [os.urandom(5 * MIB) for _ in range(rng.randint(1, 2))]
            parts.append(os.urandom(rng.randint(1, MIB)))
            body = b"".join(parts)
            return self._change("mpu", self.keys[6], State(digest(body), len(body), {}),
                                parts=parts)
        if op == "copy":
            if not existing:
                return None
            src = rng.choice(existing)
            dst = rng.choice([k for k in (self.keys[7], *self.keys[:4]) if k != src])
            s = model[src]
            return self._change("copy", dst, State(s.sha, s.size, s.tags), src=src)
        if op == "delete":
            key = rng.choice(self.keys)
            # Deleting an absent key is no change: S3 answers 204, no event.
            return self._change("delete", key, None, event=model[key] is not None)
        if op == "tag":
            if not existing:
                return None
            key = rng.choice(existing)
            tags = {"n": str(rng.randint(0, 10**9)), "client": str(self.n)}
            s = model[key]
            return self._change("tag", key, State(s.sha, s.size, tags), tags=tags)
        raise AssertionError(op)

    def _change(self, op, key, new, event=True, **args):
        return {"op": op, "key": key, "old": self.model[key], "new": new, "event": event,
                "sent": False, **args}

    def _execute(self, c):
        s3, key = self.s3, c["key"]
        if c["op"] == "put":
            c["sent"] = True
            r = s3.put_object(Bucket=BUCKET, Key=key, Body=c["body"])
        elif c["op"] == "mpu":
            up = s3.create_multipart_upload(Bucket=BUCKET, Key=key)["UploadId"]
            etags = []
            for i, part in enumerate(c["parts"], start=1):
                etags.append(s3.upload_part(Bucket=BUCKET, Key=key, UploadId=up,
                                            PartNumber=i, Body=part)["ETag"])
            c["sent"] = True  # only the completion changes the object
            r = s3.complete_multipart_upload(
                Bucket=BUCKET, Key=key, UploadId=up,
                MultipartUpload={"Parts": [{"PartNumber": i, "ETag": e}
                                           for i, e in enumerate(etags, start=1)]})
        elif c["op"] == "copy":
            c["sent"] = True
            r = s3.copy_object(Bucket=BUCKET, Key=key,
                               CopySource={"Bucket": BUCKET, "Key": c["src"]})
        elif c["op"] == "delete":
            c["sent"] = True
            r = s3.delete_object(Bucket=BUCKET, Key=key)
        elif c["op"] == "tag":
            c["sent"] = True
            r = s3.put_object_tagging(
                Bucket=BUCKET, Key=key,
                Tagging={"TagSet": [{"Key": k, "Value": v} for k, v in c["tags"].items()]})
        else:
            raise AssertionError(c["op"])
        rid = r["ResponseMetadata"]["RequestId"]
        assert rid, f"no x-amz-request-id for {c['op']} {key}"
        return rid


# ---- reading the store back ------------------------------------------------------------
def read_state(s3, key):
    """The key's State as the store shows it, or None when absent."""
    try:
        obj = s3.get_object(Bucket=BUCKET, Key=key)
    except ClientError as e:
        if e.response["Error"]["Code"] == "NoSuchKey":
            return None
        raise
    body = obj["Body"].read()
    assert len(body) == obj["ContentLength"], f"{key}: short body"
    tags = {t["Key"]: t["Value"]
            for t in s3.get_object_tagging(Bucket=BUCKET, Key=key)["TagSet"]}
    return State(digest(body), len(body), tags)


def list_keys(s3):
    out = {}
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=BUCKET):
        for o in page.get("Contents", []):
            out[o["Key"]] = o["Size"]
    return out


def resolve(s3, client, cycle):
    """Decides from the store whether the client's in-flight change was applied."""
    c = client.in_flight
    client.in_flight = None
    if c is None:
        return
    seen = read_state(s3, c["key"])
    if same_state(c["old"], c["new"]):
        applied = None  # no visible difference: either is right
    elif same_state(seen, c["new"]):
        applied = True
    elif same_state(seen, c["old"]):
        applied = False
    else:
        pytest.fail(f"cycle {cycle}: {c['key']} after an in-flight {c['op']} holds {seen}, "
                    f"neither the old {c['old']} nor the new {c['new']}")
    if applied:
        client.model[c["key"]] = c["new"]
    if c["event"]:
        # A change with no visible effect may still have been committed: 0 or 1 event.
        client.unknown.append((c["key"], EVENT_NAME[c["op"]], applied))


def verify_store(s3, clients, cycle):
    model = {k: v for c in clients for k, v in c.model.items()}
    listed = list_keys(s3)
    expected = {k for k, v in model.items() if v is not None}
    assert set(listed) == expected, (
        f"cycle {cycle}: listing differs from the acknowledged state: "
        f"unexpected {sorted(set(listed) - expected)}, missing {sorted(expected - set(listed))}")
    for key in sorted(expected):
        seen = read_state(s3, key)
        assert same_state(seen, model[key]), \
            f"cycle {cycle}: {key} holds {seen}, acknowledged {model[key]}"
        assert listed[key] == model[key].size, f"cycle {cycle}: {key} listed size"
    for key in sorted(set(model) - expected):
        assert read_state(s3, key) is None, f"cycle {cycle}: deleted {key} is back"
    return listed


def all_events(server):
    events, after = [], 0
    while True:
        page = cli_json(server, "events", "ls", "--bucket", BUCKET, "--after", after,
                        "--limit", 1000)
        events += page["events"]
        if "next_after" not in page:
            return events, page["watermark"]
        after = page["next_after"]


def metrics(server):
    with urllib.request.urlopen(f"{server.endpoint}/_kumo/metrics", timeout=10) as r:
        text = r.read().decode()
    out = {}
    for line in text.splitlines():
        if line and not line.startswith("#"):
            name, _, value = line.rpartition(" ")
            out[name] = float(value)
    return out


def check_accounting(server, listed):
    m = metrics(server)
    assert (m["kumo_storage_objects"], m["kumo_storage_live_bytes"]) == \
        (len(listed), sum(listed.values())), \
        f"accounting {m['kumo_storage_objects']:.0f} objects / " \
        f"{m['kumo_storage_live_bytes']:.0f} bytes, listing {len(listed)} / {sum(listed.values())}"
    return {k: int(v) for k, v in m.items() if k.startswith("kumo_storage_")}


# ---- the test --------------------------------------------------------------------------
@pytest.fixture
def setup(request, tmp_path):
    receiver = Receiver().start()
    request.addfinalizer(receiver.stop)
    config = tmp_path / "kumo.toml"
    config.write_text(f"""
[functions.{FUNCTION}]
plugin = "{plugins_dir() / 'test_function.so'}"
config = {{ mode = "noop" }}

[[bindings]]
bucket = "{BUCKET}"
function = "{FUNCTION}"
events = {ALL_EVENTS!r}
""".replace("'", '"'))
    env = {
        "KUMO_NOTIFY_WEBHOOK_ENDPOINT_ALERTS": f"{receiver.url}/hook",
        "KUMO_NOTIFY_WEBHOOK_TIMEOUT_MS_ALERTS": "2000",
        "KUMO_EVENTS_MAX_ATTEMPTS": "100000",
        "KUMO_EVENTS_INITIAL_BACKOFF_MS": "20",
        "KUMO_EVENTS_MAX_BACKOFF_MS": "200",
        "KUMO_STORAGE_COMPACTION_INTERVAL_MS": "200",
        "KUMO_STORAGE_COMPACTION_DEAD_RATIO": "0.2",
    }
    server = _new_server(request, _tmp_root("kumo-it-crash-"), extra_env=env,
                         extra_args=["--config", str(config)])
    return server, receiver


def test_crash_loop(setup):
    server, receiver = setup
    rng = random.Random(SEED)
    print(f"KUMO_CRASH_SEED={SEED}")
    s3 = server.client()
    s3.create_bucket(Bucket=BUCKET)
    s3.put_bucket_notification_configuration(Bucket=BUCKET, NotificationConfiguration={
        "QueueConfigurations": [{"Id": "all", "QueueArn": WEBHOOK_ARN, "Events": ALL_EVENTS}]})

    clients = [Client(n, random.Random(rng.random())) for n in range(CLIENTS)]
    server_up = threading.Event()
    started = time.monotonic()
    for cycle in range(CYCLES):
        stop = threading.Event()
        server_up.set()
        for c in clients:
            c.run_cycle(server.client(), stop, server_up)
        time.sleep(rng.uniform(0.3, 2.0))  # the kill comes at a random point of the load
        server_up.clear()
        server.kill9()  # first: whatever each client is doing is cut off
        stop.set()
        for c in clients:
            c.join_cycle(timeout=90)
        server.start(port=server.port)
        s3 = server.client()
        for c in clients:
            resolve(s3, c, cycle)
        verify_store(s3, clients, cycle)
    elapsed = time.monotonic() - started
    unknown = [u for c in clients for u in c.unknown]
    print(f"{CYCLES} cycles in {elapsed:.0f} s; acknowledged operations: "
          f"{[c.ops for c in clients]}; in-flight changes: {len(unknown)}, applied "
          f"{sum(1 for u in unknown if u[2])}, not applied "
          f"{sum(1 for u in unknown if u[2] is False)}, undecidable "
          f"{sum(1 for u in unknown if u[2] is None)}")

    errors = [e for c in clients for e in c.errors_while_up]
    assert not errors, f"requests failed while kumod was up: {errors}"
    acked = [a for c in clients for a in c.acked]
    assert len(acked) >= 10 * CYCLES, f"too little load to test anything: {len(acked)}"

    # ---- space accounting: after the last restart, no more writes ------------------
    listed = verify_store(s3, clients, "final")
    space_before = check_accounting(server, listed)

    # ---- events: one per acknowledged change ---------------------------------------
    events, watermark = all_events(server)
    by_rid = {}
    for e in events:
        by_rid.setdefault(e["request_id"], []).append(e)
    for rid, key, name, size in acked:
        got = [(e["key"], e["name"]) for e in by_rid.get(rid, [])]
        assert got == [(key, name)], \
            f"acknowledged {name} of {key} (request {rid}): events {got}, want exactly one"
        if size is not None:
            assert by_rid[rid][0]["size"] == size, f"{name} of {key}: event size"
    acked_rids = {a[0] for a in acked}
    extra = {}
    for e in events:
        if e["request_id"] not in acked_rids:
            extra.setdefault((e["key"], e["name"]), []).append(e["seq"])
    for key_name in set(extra) | {(k, n) for k, n, _ in unknown}:
        possible = sum(1 for k, n, _ in unknown if (k, n) == key_name)
        applied = sum(1 for k, n, a in unknown if (k, n) == key_name and a)
        got = len(extra.get(key_name, []))
        assert applied <= got <= possible, (
            f"{key_name}: {got} events not from acknowledged requests "
            f"(seqs {extra.get(key_name)}); in-flight changes: {possible}, "
            f"of which applied: {applied}")

    # ---- delivery: everything reaches the webhook and the function -----------------
    seqs = {str(e["seq"]) for e in events}

    def delivered():
        return {r["seq"] for r in receiver.of(BUCKET)}

    assert receiver.wait(lambda: seqs <= delivered(), timeout=120), \
        f"not delivered to the webhook: {sorted(seqs - delivered(), key=int)[:20]}"
    by_seq = {str(e["seq"]): e for e in events}
    for r in receiver.of(BUCKET):
        rec, e = record_of(r), by_seq.get(r["seq"])
        assert e is not None, f"webhook got sequence {r['seq']}, not in the event log"
        assert (rec["eventName"], unquote_plus(rec["s3"]["object"]["key"])) == \
            (e["name"], e["key"]), f"webhook's event {r['seq']} differs from the log's"

    def function_caught_up():
        for h in cli_json(server, "handlers", "ls")["handlers"]:
            if h["arn"] == f"arn:kumo:lambda:::function:{FUNCTION}":
                return h if h["lag"] == 0 and h["cursor"] >= watermark else None
        pytest.fail(f"function {FUNCTION} not among the handlers")

    handler = wait_for(function_caught_up, "the function's cursor at the watermark", 120)
    assert handler["dead_lettered"] == 0
    dead = cli_json(server, "deadletter", "ls")
    assert dead["deadletters"] == [], dead

    # ---- compaction ran meanwhile (every 200 ms): the accounting still holds -------
    assert verify_store(s3, clients, "after delivery") == listed
    space_after = check_accounting(server, listed)
    print(f"space after the last restart: {space_before}; after delivery: {space_after}")

    # ---- on disk: blobs/ holds the live bytes, the parts of the uploads left open by
    # the kills and the dead bytes awaiting compaction, plus record headers; the bytes of
    # unacknowledged writes were removed by recovery (ARCHITECTURE §2).
    open_parts = 0
    for page in s3.get_paginator("list_multipart_uploads").paginate(Bucket=BUCKET):
        for u in page.get("Uploads", []):
            assert u["Key"].endswith("/mpu0"), f"an upload of {u['Key']}: the test started none"
            for p in s3.list_parts(Bucket=BUCKET, Key=u["Key"],
                                   UploadId=u["UploadId"]).get("Parts", []):
                open_parts += p["Size"]

    def disk_matches():
        space = check_accounting(server, listed)
        on_disk = sum(f.stat().st_size for f in (server.data_dir / "blobs").iterdir())
        accounted = space["kumo_storage_live_bytes"] + space["kumo_storage_dead_bytes"] + \
            open_parts
        disk_matches.last = (on_disk, accounted, space)
        return accounted <= on_disk <= accounted + MIB

    deadline = time.monotonic() + 60  # a compaction pass may be between its two steps
    while not disk_matches():
        if time.monotonic() > deadline:
            on_disk, accounted, space = disk_matches.last
            pytest.fail(f"blobs/ holds {on_disk} bytes, accounted {accounted} (live + dead "
                        f"+ open upload parts {open_parts}; {space}): garbage left behind")
        time.sleep(0.2)
    print(f"blobs/: {disk_matches.last[0]} bytes, accounted {disk_matches.last[1]} "
          f"(open upload parts {open_parts})")
    assert not server.crashed()
