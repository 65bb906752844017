"""kumo-bench (tools/bench/) against a spawned kumod: behaviour, not speed.

Each mode runs a few hundred requests; the JSON line must report the requested number of
operations and no errors, and what boto3 sees afterwards must match what kumo-bench did.
--rate (open loop) is checked by counts and by the lower bound its schedule puts on the
wall time, against a kumod whose bucket is bound to the no-op test function, so that the
event delivery histogram of /_kumo/metrics (what tests/bench/events.sh reads) is checked
too: one sample per event, cumulative buckets.

Environment: KUMO_BENCH_BIN (default: kumo-bench beside KUMO_BIN, as CMake builds them);
KUMO_BUILD_DIR (ctest sets it; default: the directory of KUMO_BIN) for
tests/plugins/test_function.so.
"""

import json
import os
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

from conftest import _new_server, _tmp_root, kumo_bin, unique_bucket

BOUND_BUCKET = "bench-bound"
LATENCY = "kumo_event_dispatch_latency_seconds"
LATENCY_BOUNDS = ["0.001", "0.002", "0.005", "0.01", "0.02", "0.05", "0.1", "0.25", "0.5", "1",
                  "2.5", "5", "10", "+Inf"]


def bench_bin():
    path = os.environ.get("KUMO_BENCH_BIN") or str(Path(kumo_bin()).parent / "kumo-bench")
    if not os.access(path, os.X_OK):
        pytest.fail(f"kumo-bench not found or not executable: {path} (set KUMO_BENCH_BIN)")
    return path


def run_bench(kumo, *args, secret=None, check=True):
    env = dict(os.environ,
               KUMO_ROOT_ACCESS_KEY=kumo.access_key,
               KUMO_ROOT_SECRET_KEY=secret or kumo.secret_key)
    cmd = [bench_bin(), *map(str, args), "--endpoint", kumo.endpoint, "--json", "-q"]
    res = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=120)
    if check and res.returncode != 0:
        raise AssertionError(f"{' '.join(cmd)} failed ({res.returncode})\n"
                             f"stdout:\n{res.stdout}\nstderr:\n{res.stderr}")
    phases = [json.loads(line) for line in res.stdout.splitlines() if line.startswith("{")]
    return res, {p["phase"]: p for p in phases}


def keys_under(s3, bucket, prefix):
    pages = s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix)
    return [o for page in pages for o in page.get("Contents", [])]


@pytest.fixture
def bench_bucket():
    return unique_bucket("bench")


def test_put_then_get_then_delete(kumo, s3, bench_bucket):
    _, out = run_bench(kumo, "put", "--bucket", bench_bucket, "--prefix", "p/",
                       "--size", "1KiB", "-c", "8", "-n", "300")
    run = out["run"]
    assert (run["ops"], run["errors"], run["bytes"]) == (300, 0, 300 * 1024)
    assert run["client_cpu"]["user_s"] >= 0 and run["latency_ms"]["p99"] > 0
    objects = keys_under(s3, bench_bucket, "p/")
    assert len(objects) == 300
    assert {o["Size"] for o in objects} == {1024}
    assert objects[0]["Key"] == "p/0000000000" and objects[-1]["Key"] == "p/0000000299"

    _, out = run_bench(kumo, "get", "--bucket", bench_bucket, "--prefix", "p/", "--keys", "300",
                       "--size", "1KiB", "--verify", "-c", "8", "-n", "400")
    assert (out["run"]["ops"], out["run"]["errors"]) == (400, 0)
    assert out["run"]["bytes"] == 400 * 1024

    _, out = run_bench(kumo, "delete", "--bucket", bench_bucket, "--prefix", "p/",
                       "--keys", "300", "-c", "8", "-n", "300", "--presigned")
    assert (out["run"]["ops"], out["run"]["errors"]) == (300, 0)
    assert keys_under(s3, bench_bucket, "p/") == []


def test_prepare_and_presigned_mixed(kumo, s3, bench_bucket):
    _, out = run_bench(kumo, "mixed", "--bucket", bench_bucket, "--prefix", "m/",
                       "--keys", "50", "--prepare", "--size", "100-2000", "--read-ratio", "0.7",
                       "--presigned", "-c", "4", "--threads", "2", "-n", "250")
    assert (out["prepare"]["ops"], out["prepare"]["errors"]) == (50, 0)
    assert (out["run"]["ops"], out["run"]["errors"]) == (250, 0)
    sizes = [o["Size"] for o in keys_under(s3, bench_bucket, "m/")]
    assert len(sizes) == 50 and all(100 <= s <= 2000 for s in sizes)


def test_list_follows_continuation_tokens(kumo, bench_bucket):
    _, out = run_bench(kumo, "list", "--bucket", bench_bucket, "--prefix", "l/", "--keys", "250",
                       "--prepare", "--size", "16", "--page-size", "100", "-c", "1", "-n", "6")
    run = out["run"]
    # Two sweeps of 100 + 100 + 50 keys.
    assert (run["pages"], run["keys"], run["errors"]) == (6, 500, 0)


def test_multipart_objects(kumo, s3, bench_bucket):
    _, out = run_bench(kumo, "multipart", "--bucket", bench_bucket, "--prefix", "mp/",
                       "--size", "11MiB", "--part-size", "5MiB", "-c", "2", "-n", "2")
    assert (out["run"]["ops"], out["run"]["errors"]) == (2, 0)
    for key in ("mp/0000000000", "mp/0000000001"):
        head = s3.head_object(Bucket=bench_bucket, Key=key)
        assert head["ContentLength"] == 11 << 20
        assert head["ETag"].endswith('-3"')


def test_text_bodies_with_a_content_type(kumo, s3, bench_bucket):
    """--text-body: each object a different slice of words; --content-type on every PUT."""
    _, out = run_bench(kumo, "put", "--bucket", bench_bucket, "--prefix", "t/", "--size", "300",
                       "--text-body", "--content-type", "text/plain; charset=utf-8",
                       "-c", "2", "-n", "20")
    assert (out["run"]["ops"], out["run"]["errors"]) == (20, 0)
    bodies = set()
    for i in range(20):
        got = s3.get_object(Bucket=bench_bucket, Key=f"t/{i:010d}")
        assert got["ContentType"] == "text/plain; charset=utf-8"
        body = got["Body"].read()
        assert len(body) == 300
        words = body.decode("ascii").split()
        assert len(words) > 20 and all(w.isalpha() for w in words[1:-1])
        bodies.add(body)
    assert len(bodies) == 20


def test_body_file(kumo, s3, bench_bucket, tmp_path):
    """--body-file: every object is the file's bytes, whatever --size says."""
    body = bytes(range(256)) * 40
    path = tmp_path / "photo.bin"
    path.write_bytes(body)
    _, out = run_bench(kumo, "put", "--bucket", bench_bucket, "--prefix", "f/", "--body-file",
                       path, "--content-type", "image/jpeg", "-c", "2", "-n", "5")
    assert (out["run"]["ops"], out["run"]["errors"], out["run"]["bytes"]) == (5, 0, 5 * len(body))
    got = s3.get_object(Bucket=bench_bucket, Key="f/0000000004")
    assert got["ContentType"] == "image/jpeg" and got["Body"].read() == body
    res, _ = run_bench(kumo, "get", "--bucket", bench_bucket, "--body-file", path, "-n", "1",
                       check=False)
    assert res.returncode == 2 and "--body-file is for put" in res.stderr


def test_wrong_secret_is_reported(kumo, bench_bucket):
    res, _ = run_bench(kumo, "put", "--bucket", bench_bucket, "-n", "10",
                       secret="wrong-secret-0123456789abcdefghijklmn", check=False)
    assert res.returncode == 1
    assert "403" in res.stderr


@pytest.fixture(scope="module")
def bound_kumo(request, tmp_path_factory):
    """kumod with the no-op test function bound to BOUND_BUCKET by the config file."""
    build = Path(os.environ.get("KUMO_BUILD_DIR") or Path(kumo_bin()).parent)
    plugin = build / "tests" / "plugins" / "test_function.so"
    if not plugin.is_file():
        pytest.fail(f"{plugin} not built (ninja test_function; set KUMO_BUILD_DIR)")
    config = tmp_path_factory.mktemp("bench-config") / "kumo.toml"
    config.write_text(f"""
[functions.noop]
plugin = "{plugin}"
config = {{ mode = "noop" }}

[[bindings]]
bucket = "{BOUND_BUCKET}"
function = "noop"
events = ["s3:ObjectCreated:*"]
""")
    return _new_server(request, _tmp_root("kumo-it-bench-"), extra_args=["--config", str(config)])


def dispatch_latency(server, handler):
    """The handler's histogram in /_kumo/metrics: ([(le, cumulative)], sum, count)."""
    with urllib.request.urlopen(f"{server.endpoint}/_kumo/metrics", timeout=10) as reply:
        text = reply.read().decode()
    assert f"# TYPE {LATENCY} histogram" in text
    buckets, total, count = [], None, None
    for line in text.splitlines():
        if not line.startswith(LATENCY) or f'handler="{handler}"' not in line:
            continue
        name, value = line.rsplit(" ", 1)
        if name.startswith(f"{LATENCY}_bucket"):
            buckets.append((name.split('le="')[1].split('"')[0], int(value)))
        elif name.startswith(f"{LATENCY}_sum"):
            total = float(value)
        elif name.startswith(f"{LATENCY}_count"):
            count = int(value)
    return buckets, total, count


def test_rate_count_is_open_loop_and_each_event_is_timed(bound_kumo):
    _, out = run_bench(bound_kumo, "put", "--bucket", BOUND_BUCKET, "--prefix", "r/",
                       "--size", "1KiB", "-c", "4", "--rate", "100", "-n", "60")
    run = out["run"]
    assert (run["ops"], run["errors"], run["target_rate"]) == (60, 0, 100)
    # Operation 59 is due 0.59 s after the start: an open loop cannot end sooner.
    assert 0.59 <= run["seconds"] < 60
    assert 0 < run["achieved_rate"] <= 60 / 0.59

    deadline = time.monotonic() + 30
    while dispatch_latency(bound_kumo, "function:noop")[2] != 60 and time.monotonic() < deadline:
        time.sleep(0.1)
    buckets, total, count = dispatch_latency(bound_kumo, "function:noop")
    assert count == 60
    assert [le for le, _ in buckets] == LATENCY_BOUNDS
    cumulative = [n for _, n in buckets]
    assert cumulative == sorted(cumulative) and cumulative[-1] == count
    assert 0 <= total < 60 * 10


def test_rate_with_duration_schedules_what_is_due_in_time(bound_kumo):
    _, out = run_bench(bound_kumo, "put", "--bucket", unique_bucket("rate"), "--size", "256",
                       "-c", "4", "--rate", "200", "-d", "1")
    run = out["run"]
    # Operations are due at 0, 5 ms, ... < 1 s: at most 200 (fewer only on a stalled machine).
    assert run["errors"] == 0 and 50 <= run["ops"] <= 200
    assert run["target_rate"] == 200
