"""A webhook receiver that is down is an outage, not 200 failed events (a real kumod,
a real http.server receiver).

The issue's scenario: the receiver is down, 200 PUTs are acknowledged, kumod is killed
with SIGKILL and restarted, the receiver comes back 2 minutes after the outage began:
all 200 events arrive, in order per key, and nothing is dead-lettered, although
max_attempts is 2. Meanwhile `kumo handlers ls` and /_kumo/metrics show the outage.
"""

import socket
import time
import urllib.request

from conftest import _new_server, _tmp_root, unique_bucket
from kumo_cli import cli_json, run_cli, wait_for
from test_events_webhook import Receiver, bind, queue_rule, record_of

ARN = "arn:kumo:sqs::down:webhook"
OUTAGE_S = 120
KEYS = 20
VERSIONS = 10


def handler_of(server):
    return next(h for h in cli_json(server, "handlers", "ls")["handlers"]
                if h["name"] == "webhook:down")


def metric(server, name):
    with urllib.request.urlopen(f"{server.endpoint}/_kumo/metrics", timeout=10) as r:
        for line in r.read().decode().splitlines():
            if line.startswith(f'{name}{{handler="webhook:down"}}'):
                return float(line.split()[-1])
    return None


def test_an_outage_with_a_crash_in_the_middle_loses_and_dead_letters_nothing(request):
    # The receiver's port is held bound but not listening for the whole outage: every
    # connection is refused, and no other test's server can take the port meanwhile.
    hold = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    hold.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    hold.bind(("127.0.0.1", 0))
    request.addfinalizer(hold.close)
    port = hold.getsockname()[1]
    server = _new_server(request, _tmp_root("kumo-it-outage-"), extra_env={
        "KUMO_NOTIFY_WEBHOOK_ENDPOINT_DOWN": f"http://127.0.0.1:{port}/hook",
        "KUMO_NOTIFY_WEBHOOK_TIMEOUT_MS_DOWN": "1000",
        "KUMO_EVENTS_MAX_ATTEMPTS": "2",
        "KUMO_EVENTS_INITIAL_BACKOFF_MS": "100",
        "KUMO_EVENTS_MAX_BACKOFF_MS": "3000",
    })
    s3 = server.client()
    bucket = unique_bucket("outage")
    s3.create_bucket(Bucket=bucket)
    bind(s3, bucket, queue_rule("all", ARN, ["s3:ObjectCreated:*"]))
    outage_began = time.monotonic()
    for version in range(VERSIONS):
        for k in range(KEYS):
            s3.put_object(Bucket=bucket, Key=f"key{k:02d}", Body=f"v{version}".encode())
    h = wait_for(lambda: (lambda h: h if h["unavailable_since"] else None)(handler_of(server)),
                 "the handler to report the outage")
    assert h["waiting"] == KEYS * VERSIONS, h
    assert "127.0.0.1" in h["unavailable_reason"], h

    server.kill9()
    server.start(port=server.port)
    h = wait_for(lambda: (lambda h: h if h["unavailable_since"] else None)(handler_of(server)),
                 "the outage to be seen again after the restart")
    listing = run_cli(server, "handlers", "ls")
    assert "webhook:down: unavailable since" in listing.stdout, listing.stdout
    assert f"{KEYS * VERSIONS} events waiting" in listing.stdout, listing.stdout
    assert metric(server, "kumo_events_handler_unavailable") == 1
    assert cli_json(server, "deadletter", "ls")["deadletters"] == []

    time.sleep(max(0.0, OUTAGE_S - (time.monotonic() - outage_began)))
    assert cli_json(server, "deadletter", "ls")["deadletters"] == []
    hold.close()
    receiver = Receiver(port=port).start()
    request.addfinalizer(receiver.stop)
    assert receiver.wait(lambda: len(receiver.of(bucket)) >= KEYS * VERSIONS, timeout=120), \
        f"{len(receiver.of(bucket))} of {KEYS * VERSIONS} events delivered"

    # Per key, the versions arrive in the order they were written.
    by_key = {}
    for r in receiver.of(bucket):
        key = record_of(r)["s3"]["object"]["key"]
        by_key.setdefault(key, []).append(int(record_of(r)["kumo"]["sequence"]))
    assert len(by_key) == KEYS
    for key, seqs in by_key.items():
        assert seqs == sorted(seqs), (key, seqs)
        assert len(set(seqs)) == VERSIONS, (key, seqs)
    wait_for(lambda: handler_of(server)["unavailable_since"] is None, "the outage to end")
    assert metric(server, "kumo_events_handler_unavailable") == 0
    assert cli_json(server, "deadletter", "ls")["deadletters"] == []
    assert handler_of(server)["dead_lettered"] == 0
