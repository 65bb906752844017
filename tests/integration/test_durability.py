"""Durability: concurrent PUTs/overwrites/deletes of small and large objects, kill -9 of
kumod in the middle of the load, restart on the same data directory.

After the restart:
  * every acknowledged write is there with its exact bytes (md5), metadata and type;
  * every acknowledged delete stays deleted;
  * a key whose request was in flight at the kill is either in its previous state or in
    its new state, complete and exact; nothing else is listed;
  * kumod answers /_kumo/health again (bounded wait) and serves new writes.
"""

import hashlib
import os
import random
import threading
import time
from concurrent.futures import ThreadPoolExecutor

from botocore.exceptions import ClientError

from conftest import unique_bucket

THREADS = 8
MIN_ACKS = 160       # acknowledged operations before the kill...
MIN_LARGE_ACKS = 10  # ...of which at least this many large PUTs
LOAD_WAIT_S = 240    # upper bound to reach them (a guard, not a performance check)
ABSENT = ("absent",)


def version_of(data, n):
    return {
        "md5": hashlib.md5(data).hexdigest(),
        "size": len(data),
        "meta": {"md5": hashlib.md5(data).hexdigest(), "n": str(n)},
        "ctype": f"application/x-kumo-{n % 3}",
    }


class Ledger:
    """What each key may look like after a crash."""

    def __init__(self):
        self.lock = threading.Lock()
        self.acked = {}      # key -> version or ABSENT (last acknowledged state)
        self.uncertain = {}  # key -> version or ABSENT (request in flight when it failed)
        self.acks = 0
        self.large_acks = 0
        self.errors = []     # failures while the server was supposed to be up

    def allowed(self, key):
        states = [self.acked.get(key, ABSENT)]
        if key in self.uncertain:
            states.append(self.uncertain[key])
        return states

    def keys(self):
        return set(self.acked) | set(self.uncertain)


class Load:
    def __init__(self, client, bucket, ledger, cycle):
        self.client = client
        self.bucket = bucket
        self.ledger = ledger
        self.cycle = cycle
        self.stop = threading.Event()
        self.killed = threading.Event()

    def writer(self, tid):
        rng = random.Random(f"{self.cycle}-{tid}")
        mine = []  # keys this thread created and that are acknowledged
        n = 0
        while not self.stop.is_set():
            n += 1
            if n % 7 == 0 and mine:
                key = mine.pop(rng.randrange(len(mine)))
                op, data = "delete", None
            else:
                key = f"c{self.cycle}/t{tid}/hot" if n % 5 == 0 else f"c{self.cycle}/t{tid}/{n:05d}"
                large = n % 4 == 1
                size = rng.randint(2 << 20, 4 << 20) if large else rng.randint(1 << 10, 64 << 10)
                data = os.urandom(size)
                op = "put"
            new_state = ABSENT if op == "delete" else version_of(data, n)
            try:
                if op == "put":
                    resp = self.client.put_object(
                        Bucket=self.bucket, Key=key, Body=data,
                        Metadata=new_state["meta"], ContentType=new_state["ctype"])
                    if resp["ETag"] != '"%s"' % new_state["md5"]:
                        raise AssertionError(f"PUT {key}: ETag {resp['ETag']} != md5 {new_state['md5']}")
                else:
                    self.client.delete_object(Bucket=self.bucket, Key=key)
            except Exception as e:  # noqa: BLE001 - connection errors after the kill
                with self.ledger.lock:
                    self.ledger.uncertain[key] = new_state
                    if not self.killed.is_set():
                        self.ledger.errors.append(f"{op} {key}: {e!r}")
                return
            with self.ledger.lock:
                self.ledger.acked[key] = new_state
                self.ledger.uncertain.pop(key, None)
                self.ledger.acks += 1
                if op == "put" and data is not None and len(data) >= (2 << 20):
                    self.ledger.large_acks += 1
            if op == "put" and not key.endswith("/hot"):
                mine.append(key)


def run_load_and_kill(server, bucket, ledger, cycle):
    client = server.client(read_timeout=120)
    load = Load(client, bucket, ledger, cycle)
    start_acks, start_large = ledger.acks, ledger.large_acks
    pool = ThreadPoolExecutor(max_workers=THREADS)
    futures = [pool.submit(load.writer, t) for t in range(THREADS)]
    deadline = time.monotonic() + LOAD_WAIT_S
    try:
        while True:
            with ledger.lock:
                done = (ledger.acks - start_acks >= MIN_ACKS
                        and ledger.large_acks - start_large >= MIN_LARGE_ACKS)
                errors = list(ledger.errors)
            assert not errors, f"writes failed before the kill: {errors[:5]}\n{server.log()}"
            if done:
                break
            assert all(not f.done() for f in futures), "a writer stopped before the kill"
            assert time.monotonic() < deadline, (
                f"only {ledger.acks - start_acks} writes acknowledged in {LOAD_WAIT_S} s")
            time.sleep(0.02)
        # Writers are busy: kill -9 with requests in flight.
        load.killed.set()
        server.kill9()
    finally:
        load.stop.set()
        for f in futures:
            f.result()
        pool.shutdown()
    assert not ledger.errors, ledger.errors[:5]


def verify(server, bucket, ledger):
    s3 = server.client()
    listed = {}
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket):
        for o in page.get("Contents", []):
            listed[o["Key"]] = o
    known = ledger.keys()
    unknown = set(listed) - known
    assert not unknown, f"keys listed that were never written: {sorted(unknown)[:10]}"

    for key in sorted(known):
        allowed = ledger.allowed(key)
        try:
            got = s3.get_object(Bucket=bucket, Key=key)
            data = got["Body"].read()
            state = {
                "md5": hashlib.md5(data).hexdigest(),
                "size": len(data),
                "meta": got["Metadata"],
                "ctype": got["ContentType"],
            }
            assert got["ETag"] == '"%s"' % state["md5"], f"{key}: ETag does not match the bytes"
        except ClientError as e:
            assert e.response["Error"]["Code"] == "NoSuchKey", e.response
            state = ABSENT
        assert state in allowed, (
            f"{key}: after restart {summary(state)}, allowed {[summary(a) for a in allowed]}")
        if state is ABSENT:
            assert key not in listed, f"{key}: listed but GET says NoSuchKey"
        else:
            assert key in listed, f"{key}: readable but not listed"
            assert listed[key]["Size"] == state["size"]
            assert listed[key]["ETag"] == '"%s"' % state["md5"]
        # What the recovered server serves is now the state it must keep.
        ledger.acked[key] = state
        ledger.uncertain.pop(key, None)
    return listed


def summary(state):
    if state is ABSENT or state == ABSENT:
        return "absent"
    return f"{state['size']} bytes md5 {state['md5'][:8]} meta n={state['meta'].get('n')}"


def test_kill9_mid_load_keeps_every_acknowledged_write(fresh_kumo):
    server = fresh_kumo
    bucket = unique_bucket("dur")
    server.client().create_bucket(Bucket=bucket)
    ledger = Ledger()

    in_doubt = 0
    for cycle in range(2):
        run_load_and_kill(server, bucket, ledger, cycle)
        in_doubt += len(ledger.uncertain)
        server.start(port=server.port)  # bounded wait on /_kumo/health
        assert server.healthy()
        verify(server, bucket, ledger)
    print(f"acknowledged ops: {ledger.acks}, in flight at the kills: {in_doubt}")

    # The restarted server takes new writes and they are durable across a clean restart.
    s3 = server.client()
    s3.put_object(Bucket=bucket, Key="after", Body=b"after restart")
    server.restart()
    assert server.client().get_object(Bucket=bucket, Key="after")["Body"].read() == b"after restart"


def test_kill9_right_after_acknowledgement(fresh_kumo):
    """Small objects share group-committed segments: each acknowledged one must survive a
    kill -9 that comes immediately after its acknowledgement."""
    server = fresh_kumo
    s3 = server.client()
    bucket = unique_bucket("ack")
    s3.create_bucket(Bucket=bucket)
    expected = {}
    for round_ in range(3):
        batch = {f"r{round_}/k{i:03d}": os.urandom(random.randint(1, 8192)) for i in range(40)}
        with ThreadPoolExecutor(max_workers=8) as pool:
            list(pool.map(lambda kv: s3.put_object(Bucket=bucket, Key=kv[0], Body=kv[1]),
                          batch.items()))
        expected.update(batch)
        server.restart(hard=True)
        s3 = server.client()
        listed = {}
        for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket):
            listed.update({o["Key"]: o["Size"] for o in page.get("Contents", [])})
        assert listed == {k: len(v) for k, v in expected.items()}
        for k, v in expected.items():
            assert s3.get_object(Bucket=bucket, Key=k)["Body"].read() == v, k


def test_sigterm_is_clean_and_durable(fresh_kumo):
    server = fresh_kumo
    s3 = server.client()
    bucket = unique_bucket("term")
    s3.create_bucket(Bucket=bucket)
    objects = {f"k{i}": os.urandom(size) for i, size in
               enumerate([10, 5000, 70000, 1 << 20, (1 << 20) + 1, 3 << 20])}
    for k, v in objects.items():
        s3.put_object(Bucket=bucket, Key=k, Body=v, Metadata={"k": k})
    s3.delete_object(Bucket=bucket, Key="k0")
    del objects["k0"]
    status = server.stop()
    assert status == 0, f"kumod exit status after SIGTERM: {status}\n{server.log()}"
    server.start()
    s3 = server.client()
    assert sorted(o["Key"] for o in s3.list_objects_v2(Bucket=bucket)["Contents"]) == sorted(objects)
    for k, v in objects.items():
        got = s3.get_object(Bucket=bucket, Key=k)
        assert got["Body"].read() == v
        assert got["Metadata"] == {"k": k}
    assert bucket in [b["Name"] for b in s3.list_buckets()["Buckets"]]
