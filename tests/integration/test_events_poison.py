"""Events that used to stop kumod: a real kumod, a real webhook receiver (http.server).

Checks:
  * a receiver that refuses an event with a body that is not valid UTF-8 where kumod cuts
    it (400 with "a" + "é" * 200, cut at 256 bytes inside a character): the event is
    dead-lettered with a readable reason, kumod stays up, restarts (also after kill -9),
    and goes on delivering;
  * sequences keep increasing across kill -9 and restarts: an event written after a
    restart is delivered, with a sequence above every earlier one.
"""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from conftest import _new_server, _tmp_root, free_port, unique_bucket
from kumo_cli import cli_json, wait_for

ARN = "arn:kumo:sqs::refuser:webhook"
POISON_BODY = ("a" + "é" * 200).encode()


class RefusingReceiver:
    """Answers 400 with POISON_BODY for keys starting with "poison", 200 otherwise."""

    def __init__(self):
        self.port = free_port()
        self.lock = threading.Lock()
        self.delivered = []  # (key, sequence) of the events answered 200

    def start(self):
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self):
                doc = json.loads(self.rfile.read(int(self.headers.get("Content-Length", "0"))))
                key = doc["Records"][0]["s3"]["object"]["key"] if "Records" in doc else ""
                refuse = key.startswith("poison")
                body = POISON_BODY if refuse else b""
                if not refuse and key:
                    with receiver.lock:
                        receiver.delivered.append(
                            (key, int(self.headers["x-kumo-event-sequence"])))
                self.send_response(400 if refuse else 200)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def keys(self):
        with self.lock:
            return [k for k, _ in self.delivered]

    def sequence_of(self, key):
        with self.lock:
            return next(seq for k, seq in self.delivered if k == key)


@pytest.fixture
def receiver():
    r = RefusingReceiver().start()
    yield r
    r.server.shutdown()
    r.server.server_close()


@pytest.fixture
def kumo(request, receiver):
    env = {
        "KUMO_NOTIFY_WEBHOOK_ENDPOINT_REFUSER": f"http://127.0.0.1:{receiver.port}/hook",
        "KUMO_EVENTS_MAX_ATTEMPTS": "2",
        "KUMO_EVENTS_INITIAL_BACKOFF_MS": "20",
        "KUMO_EVENTS_MAX_BACKOFF_MS": "50",
    }
    return _new_server(request, _tmp_root("kumo-it-poison-"), extra_env=env)


def bind(s3, bucket):
    s3.create_bucket(Bucket=bucket)
    s3.put_bucket_notification_configuration(
        Bucket=bucket, NotificationConfiguration={"QueueConfigurations": [
            {"Id": "all", "QueueArn": ARN, "Events": ["s3:ObjectCreated:*"]}]})


def dead_letters(kumo):
    return cli_json(kumo, "deadletter", "ls")["deadletters"]


def test_a_reason_that_is_not_utf8_is_dead_lettered_and_kumod_survives(kumo, receiver):
    s3 = kumo.client()
    bucket = unique_bucket("poison")
    bind(s3, bucket)
    s3.put_object(Bucket=bucket, Key="poison", Body=b"x")
    s3.put_object(Bucket=bucket, Key="after", Body=b"y")
    wait_for(lambda: "after" in receiver.keys(), "the event after the poison one")
    dead = wait_for(lambda: dead_letters(kumo), "the dead letter")
    assert len(dead) == 1, dead
    assert dead[0]["key"] == "poison"
    # The reason quotes the receiver's body up to the character the limit would split.
    assert "HTTP 400" in dead[0]["error"], dead[0]
    assert "a" + "é" * 100 in dead[0]["error"], dead[0]
    assert kumo.healthy()
    # The next start reads the dead letter again: a clean restart, then kill -9.
    for hard in (False, True):
        kumo.restart(hard=hard)
        assert len(dead_letters(kumo)) == 1
    s3 = kumo.client()
    s3.put_object(Bucket=bucket, Key="later", Body=b"z")
    wait_for(lambda: "later" in receiver.keys(), "delivery after the restarts")
    assert not kumo.crashed()


def test_sequences_increase_across_kill9_and_restarts(kumo, receiver):
    s3 = kumo.client()
    bucket = unique_bucket("seq")
    bind(s3, bucket)
    last = 0
    for round_ in range(3):
        key = f"k{round_}"
        s3.put_object(Bucket=bucket, Key=key, Body=b"v")
        wait_for(lambda: key in receiver.keys(), f"delivery of {key}")
        seq = receiver.sequence_of(key)
        assert seq > last, (key, seq, last)
        last = seq
        kumo.restart(hard=(round_ % 2 == 0))
    # At least once: an event delivered just before a kill -9 may come again after the
    # restart, with its own sequence; never under another one.
    with receiver.lock:
        delivered = set(receiver.delivered)
    assert sorted(delivered, key=lambda d: d[1]) == sorted(delivered) and \
        [k for k, _ in sorted(delivered)] == ["k0", "k1", "k2"], delivered
