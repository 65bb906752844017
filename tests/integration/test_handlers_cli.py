"""Handlers and dead letters through the admin CLI (`kumo handlers`, `kumo deadletter`)
and the Prometheus endpoint /_kumo/metrics, end to end with a real webhook receiver.

Checks:
  * a receiver that refuses an event (400) makes it a dead letter at once
    dead letter (with the error) shown by `deadletter ls`, `handlers ls` and `events ls`;
  * once the receiver is fixed, `deadletter retry` delivers it: the dead letter is gone
    and the outcome becomes delivered;
  * `handlers replay --from SEQ` and `--from TIME` re-deliver (the same
    X-Kumo-Event-Sequence arrives again);
  * `deadletter drop` deletes a dead letter; unknown handlers and dead letters fail;
  * /_kumo/metrics (no credentials) shows the same counters as `handlers ls`.
Waits are bounded polls on behaviour, never timing assertions.
"""

import threading
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from conftest import _new_server, _tmp_root, free_port, unique_bucket
from kumo_cli import cli_json, run_cli, wait_for

ARN = "arn:kumo:sqs::dlq:webhook"


def cli(server, *args):
    res = run_cli(server, *args)
    assert res.returncode == 0, res.stderr
    return res.stdout


class Receiver:
    """Answers every POST with self.status and records its X-Kumo-Event-Sequence."""

    def __init__(self):
        self.port = free_port()
        self.status = 400
        self.lock = threading.Lock()
        self.sequences = []  # of the requests answered 2xx
        self.server = None

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}"

    def start(self):
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self):
                self.rfile.read(int(self.headers.get("Content-Length", "0")))
                status = receiver.status
                if 200 <= status < 300:
                    with receiver.lock:
                        receiver.sequences.append(
                            self.headers.get("X-Kumo-Event-Sequence", ""))
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        ThreadingHTTPServer.allow_reuse_address = True
        self.server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self):
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()
            self.server = None

    def count(self, seq):
        with self.lock:
            return self.sequences.count(str(seq))


@pytest.fixture(scope="module")
def receiver():
    r = Receiver().start()
    yield r
    r.stop()


@pytest.fixture(scope="module")
def server(request, receiver):
    env = {
        "KUMO_NOTIFY_WEBHOOK_ENDPOINT_DLQ": f"{receiver.url}/hook",
        "KUMO_NOTIFY_WEBHOOK_TIMEOUT_MS_DLQ": "2000",
        "KUMO_EVENTS_MAX_ATTEMPTS": "2",
        "KUMO_EVENTS_INITIAL_BACKOFF_MS": "10",
        "KUMO_EVENTS_MAX_BACKOFF_MS": "20",
    }
    return _new_server(request, _tmp_root("kumo-it-handlers-"), extra_env=env)


def handler_stats(server):
    for h in cli_json(server, "handlers", "ls")["handlers"]:
        if h["arn"] == ARN:
            return h
    pytest.fail(f"no handler with ARN {ARN}")


def dead_letter(server, name, key):
    for d in cli_json(server, "deadletter", "ls", "--handler", name)["deadletters"]:
        if d["key"] == key:
            return d
    return None


def event_of(server, bucket, key):
    events = cli_json(server, "events", "ls", "--bucket", bucket, "--key", key)["events"]
    assert len(events) == 1, events
    return events[0]


def outcome(server, bucket, key, name):
    for o in event_of(server, bucket, key)["outcomes"]:
        if o["handler"] == name:
            return o["status"]
    return None


def test_dead_letters_retry_replay_drop_and_metrics(server, receiver):
    s3 = server.client()
    bucket = unique_bucket("hdl")
    s3.create_bucket(Bucket=bucket)
    s3.put_bucket_notification_configuration(
        Bucket=bucket,
        NotificationConfiguration={"QueueConfigurations": [
            {"Id": "all", "QueueArn": ARN, "Events": ["s3:ObjectCreated:*"]}]})
    name = handler_stats(server)["name"]

    # A receiver that refuses the event (400: the event's fault, not an outage): a dead
    # letter at once.
    receiver.status = 400
    s3.put_object(Bucket=bucket, Key="k1", Body=b"one")
    d1 = wait_for(lambda: dead_letter(server, name, "k1"), "the dead letter of k1")
    assert d1["handler"] == name
    assert d1["bucket"] == bucket
    assert d1["rule_id"] == "all"
    assert d1["event"].startswith("ObjectCreated:")
    assert d1["attempts"] == 1
    assert d1["error"], d1
    seq1 = d1["seq"]

    stats = handler_stats(server)
    assert stats["dead_lettered"] == 1
    assert stats["failed"] >= 1
    table = cli(server, "handlers", "ls").splitlines()
    assert table[0].split() == ["NAME", "ARN", "CURSOR", "LAG", "DELIVERED", "FAILED", "DEAD"]
    row = next(line.split() for line in table[1:] if line.split()[0] == name)
    assert row[1] == ARN and row[6] == "1"
    assert outcome(server, bucket, "k1", name) == "dead"
    text = cli(server, "deadletter", "ls")
    assert f"{seq1}  {name}" in text and "k1" in text

    # Fixed receiver: retry delivers it, the dead letter is gone.
    receiver.status = 200
    cli(server, "deadletter", "retry", name, seq1)
    assert receiver.count(seq1) == 1
    assert dead_letter(server, name, "k1") is None
    assert outcome(server, bucket, "k1", name) == "delivered"
    res = run_cli(server, "deadletter", "retry", name, seq1)
    assert res.returncode == 1 and "404" in res.stderr

    # Replay from a sequence: the same event arrives again.
    cli(server, "handlers", "replay", name, "--from", seq1)
    wait_for(lambda: receiver.count(seq1) >= 2, "the replayed event")

    # Replay from a time: k2 is delivered, then delivered again.
    s3.put_object(Bucket=bucket, Key="k2", Body=b"two")
    e2 = event_of(server, bucket, "k2")
    seq2 = e2["seq"]
    wait_for(lambda: receiver.count(seq2) == 1, "the delivery of k2")
    cli(server, "handlers", "replay", name, "--from", e2["time"])
    wait_for(lambda: receiver.count(seq2) >= 2, "k2 replayed from its time")
    assert receiver.count(seq1) == 2  # before that time: not replayed

    # Drop: a new dead letter, deleted without delivery.
    receiver.status = 400
    s3.put_object(Bucket=bucket, Key="k3", Body=b"three")
    d3 = wait_for(lambda: dead_letter(server, name, "k3"), "the dead letter of k3")
    cli(server, "deadletter", "drop", name, d3["seq"])
    assert dead_letter(server, name, "k3") is None
    assert receiver.count(d3["seq"]) == 0
    res = run_cli(server, "deadletter", "drop", name, d3["seq"])
    assert res.returncode == 1 and "404" in res.stderr

    # Unknown handler: 404 from every command.
    for args in (["handlers", "replay", "webhook:nosuch", "--from", "1"],
                 ["deadletter", "ls", "--handler", "webhook:nosuch"],
                 ["deadletter", "retry", "webhook:nosuch", "1"],
                 ["deadletter", "drop", "webhook:nosuch", "1"]):
        res = run_cli(server, *args)
        assert res.returncode == 1 and "404" in res.stderr, (args, res.stderr)

    # Metrics, without credentials, once the handler has caught up.
    stats = wait_for(lambda: (lambda s: s if s["lag"] == 0 else None)(handler_stats(server)),
                     "the handler to catch up")
    with urllib.request.urlopen(f"{server.endpoint}/_kumo/metrics", timeout=10) as resp:
        assert resp.status == 200
        assert resp.headers["Content-Type"] == "text/plain; version=0.0.4"
        body = resp.read().decode()
    samples = {}
    for line in body.splitlines():
        if line and not line.startswith("#"):
            metric, value = line.rsplit(" ", 1)
            # Counters are integers; a histogram's _sum is a float.
            samples[metric] = float(value) if "." in value or "e" in value else int(value)
    watermark = cli_json(server, "events", "ls", "--limit", "1")["watermark"]
    assert samples["kumo_events_written_total"] == watermark
    assert watermark >= d3["seq"]
    label = f'{{handler="{name}"}}'
    assert samples[f"kumo_events_dead_lettered_total{label}"] == 2 == stats["dead_lettered"]
    assert samples[f"kumo_events_delivered_total{label}"] == stats["delivered"]
    assert stats["delivered"] >= 4  # retry, replay, k2, k2 replayed
    assert samples[f"kumo_events_failed_total{label}"] == stats["failed"]
    assert stats["failed"] >= 2  # k1 and k3, one attempt each
    assert samples[f"kumo_events_lag{label}"] == 0
    assert samples[f"kumo_events_handler_unavailable{label}"] == 0
