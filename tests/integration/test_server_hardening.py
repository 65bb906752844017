"""Server hardening against a real kumod: private data, sealed secrets, resource caps,
admin calls off the I/O threads, and an orderly SIGTERM.

Checks:
  * the data directory and everything kumod writes in it are private (0700 / 0600);
    generated root credentials and the master key are 0600 and survive restarts;
  * users' secret keys are nowhere in the data directory in plain text; they keep
    working across a restart and a master-key rotation; a wrong KUMO_MASTER_KEY is
    refused at start-up with a message;
  * server.max_connections: past the cap a new connection is answered only once another
    closes; a request with too many header fields gets 431; a chunk-size line longer than
    the read buffer ends the request and stores nothing;
  * a dead-letter retry that hangs in its receiver does not hold HTTP up, with a single
    I/O thread;
  * SIGTERM during a large CopyObject and during CompleteMultipartUpload: exit 0, the
    source intact, the destination absent or complete.
"""

import json
import os
import select
import signal
import socket
import stat
import subprocess
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from botocore.exceptions import ClientError

from conftest import ACCESS_KEY, _new_server, _tmp_root, free_port, kumo_bin, unique_bucket
from kumo_cli import cli_bin, cli_json, root_env, run_cli, wait_for

MIB = 1024 * 1024


def modes_open_to_others(root):
    """Paths under root (root included) that group or others may access."""
    found = []
    for dirpath, dirnames, filenames in os.walk(root):
        for name in [dirpath] + [os.path.join(dirpath, n) for n in dirnames + filenames]:
            mode = os.lstat(name).st_mode
            if not stat.S_ISLNK(mode) and mode & 0o077:
                found.append((name, oct(mode & 0o777)))
    return found


def files_containing(root, needle):
    hits = []
    for dirpath, _, filenames in os.walk(root):
        for name in filenames:
            path = os.path.join(dirpath, name)
            with open(path, "rb") as f:
                if needle in f.read():
                    hits.append(path)
    return hits


def add_user(server, name):
    res = run_cli(server, "user", "add", name)
    assert res.returncode == 0, res.stderr
    return dict(line.split(": ", 1) for line in res.stdout.splitlines() if ": " in line)


# ---- private data, sealed secrets -------------------------------------------------------
def test_data_directory_and_generated_credentials_are_private(request):
    # No root key in the environment: kumod generates one and keeps it in the data dir.
    server = _new_server(request, _tmp_root("kumo-it-private-"),
                         extra_env={"KUMO_ROOT_ACCESS_KEY": "", "KUMO_ROOT_SECRET_KEY": ""})
    creds = (server.data_dir / "root-credentials").read_text().split("\n")
    server.access_key, server.secret_key = creds[0], creds[1]
    s3 = server.client()
    bucket = unique_bucket("private")
    s3.create_bucket(Bucket=bucket)
    s3.put_object(Bucket=bucket, Key="small", Body=b"x" * 100)
    s3.put_object(Bucket=bucket, Key="large", Body=b"y" * (2 * MIB))
    server.restart()
    assert modes_open_to_others(server.data_dir) == []
    for name in ("root-credentials", "master-key"):
        assert stat.S_IMODE(os.stat(server.data_dir / name).st_mode) == 0o600, name
    # The same generated key after the restart.
    assert server.client().get_object(Bucket=bucket, Key="small")["Body"].read() == b"x" * 100


def test_user_secrets_are_sealed_and_survive_rotation(fresh_kumo):
    user = add_user(fresh_kumo, "sealed-user")
    secret = user["secret_key"]
    bucket = unique_bucket("sealed")
    fresh_kumo.client(access_key="sealed-user", secret_key=secret).create_bucket(Bucket=bucket)
    fresh_kumo.stop()
    assert files_containing(fresh_kumo.data_dir, secret.encode()) == []
    key_before = (fresh_kumo.data_dir / "master-key").read_text()
    fresh_kumo.extra_args = ["--rotate-master-key"]
    fresh_kumo.start()
    fresh_kumo.extra_args = []
    key_after = (fresh_kumo.data_dir / "master-key").read_text()
    assert key_after != key_before and len(key_after.split()) == 1
    user_s3 = fresh_kumo.client(access_key="sealed-user", secret_key=secret)
    user_s3.head_bucket(Bucket=bucket)
    fresh_kumo.restart()
    fresh_kumo.client(access_key="sealed-user", secret_key=secret).head_bucket(Bucket=bucket)
    assert files_containing(fresh_kumo.data_dir, secret.encode()) == []


def test_a_wrong_master_key_is_refused_at_start(fresh_kumo):
    add_user(fresh_kumo, "locked-user")
    fresh_kumo.stop()
    env = dict(os.environ, KUMO_MASTER_KEY="00" * 32,
               KUMO_ROOT_ACCESS_KEY=ACCESS_KEY, KUMO_ROOT_SECRET_KEY="x" * 40)
    res = subprocess.run([kumo_bin(), "--data-dir",
                          str(fresh_kumo.data_dir), "--listen", f"127.0.0.1:{free_port()}"],
                         env=env, capture_output=True, text=True, timeout=60)
    assert res.returncode != 0
    assert "master key" in (res.stdout + res.stderr), res.stderr
    fresh_kumo.start()  # the right key still opens it


# ---- resource caps --------------------------------------------------------------------
@pytest.fixture
def capped(request):
    return _new_server(request, _tmp_root("kumo-it-capped-"),
                       extra_env={"KUMO_SERVER_MAX_CONNECTIONS": "8"})


def health_request():
    return b"GET /_kumo/health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"


def test_connections_past_the_cap_wait_for_one_to_close(capped):
    idle = [socket.create_connection(("127.0.0.1", capped.port)) for _ in range(8)]
    # An answer proves the 8 are accepted (the accept loop counted them).
    for s in idle:
        s.sendall(b"GET /_kumo/health HTTP/1.1\r\nHost: x\r\n\r\n")
        assert s.recv(64).startswith(b"HTTP/1.1 200")
    extra = socket.create_connection(("127.0.0.1", capped.port))
    extra.sendall(health_request())
    ready, _, _ = select.select([extra], [], [], 2.0)
    assert ready == [], "a ninth connection was served while 8 were open"
    idle.pop().close()
    ready, _, _ = select.select([extra], [], [], 30.0)
    assert ready == [extra]
    assert extra.recv(64).startswith(b"HTTP/1.1 200")
    for s in idle + [extra]:
        s.close()
    assert capped.healthy()


def test_too_many_header_fields_get_431(capped):
    with socket.create_connection(("127.0.0.1", capped.port)) as s:
        fields = "".join(f"x-h{i}: v\r\n" for i in range(600))
        s.sendall(f"GET /_kumo/health HTTP/1.1\r\nHost: x\r\n{fields}\r\n".encode())
        assert s.recv(64).startswith(b"HTTP/1.1 431")
    assert capped.healthy()


def test_an_endless_chunk_size_line_stores_nothing(capped):
    s3 = capped.client()
    bucket = unique_bucket("chunk")
    s3.create_bucket(Bucket=bucket)
    with socket.create_connection(("127.0.0.1", capped.port)) as s:
        s.settimeout(30)
        s.sendall(f"PUT /{bucket}/k HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                  .encode())
        # An extension that never ends: kumod closes the connection once its read buffer
        # is full, which may cut this send short.
        try:
            s.sendall(b"5;" + b"e" * (1 * MIB))
            while s.recv(65536):
                pass
        except (ConnectionResetError, BrokenPipeError):
            pass
    with pytest.raises(ClientError) as e:
        s3.head_object(Bucket=bucket, Key="k")
    assert e.value.response["Error"]["Code"] == "404"
    assert capped.healthy()


# ---- admin calls off the I/O threads -----------------------------------------------------
class GateReceiver:
    """Refuses events (400) until hold() is called; then each POST waits for release()."""

    def __init__(self):
        self.port = free_port()
        self.holding = threading.Event()
        self.released = threading.Event()
        self.waiting = threading.Event()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self):
                self.rfile.read(int(self.headers.get("Content-Length", "0")))
                doc_is_test = self.headers.get("x-kumo-event-name") == "s3:TestEvent"
                status = 200 if doc_is_test else 400
                if receiver.holding.is_set() and not doc_is_test:
                    receiver.waiting.set()
                    receiver.released.wait(60)
                    status = 200
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.released.set()
        self.server.shutdown()
        self.server.server_close()


def test_a_hanging_dead_letter_retry_does_not_hold_http(request):
    gate = GateReceiver()
    request.addfinalizer(gate.close)
    server = _new_server(request, _tmp_root("kumo-it-admin-"), extra_env={
        "KUMO_SERVER_IO_THREADS": "1",
        "KUMO_NOTIFY_WEBHOOK_ENDPOINT_GATE": f"http://127.0.0.1:{gate.port}/hook",
        "KUMO_EVENTS_MAX_ATTEMPTS": "1"})
    s3 = server.client()
    bucket = unique_bucket("gate")
    s3.create_bucket(Bucket=bucket)
    s3.put_bucket_notification_configuration(
        Bucket=bucket, NotificationConfiguration={"QueueConfigurations": [
            {"Id": "all", "QueueArn": "arn:kumo:sqs::gate:webhook",
             "Events": ["s3:ObjectCreated:*"]}]})
    s3.put_object(Bucket=bucket, Key="k", Body=b"v")
    dead = wait_for(lambda: cli_json(server, "deadletter", "ls")["deadletters"], "a dead letter")
    gate.holding.set()
    retry = subprocess.Popen(
        [cli_bin(), "deadletter", "retry", "webhook:gate",
         str(dead[0]["seq"])], env=root_env(server), stdout=subprocess.PIPE,
        stderr=subprocess.PIPE)
    assert gate.waiting.wait(30), "the retry never reached the receiver"
    # The retry is now inside the receiver; S3 requests and other admin calls still answer.
    s3.put_object(Bucket=bucket, Key="while-retrying", Body=b"w")
    assert s3.get_object(Bucket=bucket, Key="while-retrying")["Body"].read() == b"w"
    assert cli_json(server, "handlers", "ls") is not None
    assert retry.poll() is None, "the retry finished before the receiver answered"
    gate.released.set()
    assert retry.wait(60) == 0, retry.stderr.read()


# ---- SIGTERM in the middle of long commits ------------------------------------------------
def sigterm_during(server, start_operation):
    """Starts start_operation() in a thread, sends SIGTERM while it runs (or just after:
    either must be safe), and returns kumod's exit status."""
    outcome = {}

    def run():
        try:
            start_operation()
            outcome["error"] = None
        except Exception as e:  # noqa: BLE001: the operation may be cut off
            outcome["error"] = e

    t = threading.Thread(target=run)
    t.start()
    time.sleep(0.3)
    proc = server.proc
    proc.send_signal(signal.SIGTERM)
    code = proc.wait(120)
    server.proc = None
    t.join(120)
    return code


def test_sigterm_during_a_large_copy_and_a_multipart_complete(fresh_kumo):
    s3 = fresh_kumo.client()
    bucket = unique_bucket("term")
    s3.create_bucket(Bucket=bucket)
    source = os.urandom(MIB) * 192
    s3.put_object(Bucket=bucket, Key="source", Body=source)
    code = sigterm_during(fresh_kumo, lambda: s3.copy_object(
        Bucket=bucket, Key="copy", CopySource={"Bucket": bucket, "Key": "source"}))
    assert code == 0, fresh_kumo.log()
    fresh_kumo.start()
    s3 = fresh_kumo.client()
    assert s3.get_object(Bucket=bucket, Key="source")["Body"].read() == source
    try:
        assert s3.get_object(Bucket=bucket, Key="copy")["Body"].read() == source
    except ClientError as e:
        assert e.response["Error"]["Code"] == "NoSuchKey"

    mpu = s3.create_multipart_upload(Bucket=bucket, Key="mp")
    parts = []
    for n in range(1, 9):
        r = s3.upload_part(Bucket=bucket, Key="mp", UploadId=mpu["UploadId"], PartNumber=n,
                           Body=source[(n - 1) * 16 * MIB:n * 16 * MIB])
        parts.append({"PartNumber": n, "ETag": r["ETag"]})
    code = sigterm_during(fresh_kumo, lambda: s3.complete_multipart_upload(
        Bucket=bucket, Key="mp", UploadId=mpu["UploadId"], MultipartUpload={"Parts": parts}))
    assert code == 0, fresh_kumo.log()
    fresh_kumo.start()
    s3 = fresh_kumo.client()
    try:
        assert s3.get_object(Bucket=bucket, Key="mp")["Body"].read() == source[:128 * MIB]
    except ClientError as e:
        assert e.response["Error"]["Code"] == "NoSuchKey"
