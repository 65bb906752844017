"""Event notifications end to end: a real kumod, real webhook receivers (http.server in
a thread), bindings set with boto3's put_bucket_notification_configuration.

Checks:
  * an unknown ARN is refused (InvalidArgument); setting a configuration sends
    s3:TestEvent;
  * put, copy, multipart, delete and delete_objects each produce exactly the right
    events, checked field by field (AWS event message 2.1), signed with HMAC-SHA256;
  * prefix/suffix filters select correctly; the "chat" format;
  * a receiver failing twice gets the event on the third attempt; one that always
    answers 503 pauses its handler (probing, no dead letter, the events behind it wait
    in order) until it answers again; a 4xx is not retried;
  * a receiver that sleeps 2 s per event slows neither PUTs nor another target
    (counts, not timings);
  * https targets: delivered to a certificate the trust store (SSL_CERT_FILE) accepts for
    the URL's host name; refused for a wrong name or an untrusted certificate;
  * kill -9 with undelivered events, restart with the receiver back: every event is
    delivered at least once, none missing.
"""

import hashlib
import hmac
import json
import re
import ssl
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import quote_plus

import pytest
from botocore.exceptions import ClientError

from conftest import KumoServer, _new_server, _tmp_root, free_port, unique_bucket
from kumo_cli import cli_json

SECRET = "hook-secret-0123"
MAX_ATTEMPTS = 3
ALERTS_ARN = "arn:kumo:sqs::alerts:webhook"
CHAT_ARN = "arn:kumo:sqs::teamchat:webhook"
SLOW_ARN = "arn:kumo:sqs::slow:webhook"
WAIT_S = 30
MIB = 1024 * 1024

# Test certificates (EC P-256, valid 2000-2999): a CA, a server certificate for DNS name
# "localhost" signed by it, and a self-signed one for the same name and key.
CA_PEM = """\
-----BEGIN CERTIFICATE-----
MIIBYTCCAQegAwIBAgIBATAKBggqhkjOPQQDAjAXMRUwEwYDVQQDDAxrdW1vIHRl
c3QgQ0EwIBcNMDAwMTAxMDAwMDAwWhgPMjk5OTAxMDEwMDAwMDBaMBcxFTATBgNV
BAMMDGt1bW8gdGVzdCBDQTBZMBMGByqGSM49AgEGCCqGSM49AwEHA0IABOVNjjkW
+yVe3lJZrTgTv32dPdS5DP4saRJ2CPZPQjSoAuvc/3aJsuSH0Rxmi1ayKsERY8f9
HWlj+fFuEHeVjpajQjBAMA8GA1UdEwEB/wQFMAMBAf8wDgYDVR0PAQH/BAQDAgEG
MB0GA1UdDgQWBBQVJv8T5EjzPwd41H+1m0M/3ZeULDAKBggqhkjOPQQDAgNIADBF
AiEA5gtWCPjX1i9KGqS/sv4lLPFyWSlYg+0DhoZmod/9NI8CICOnUPjYO9N05qOo
9tlRguWFKi9AYk7jO9fe+q9t5+IJ
-----END CERTIFICATE-----
"""
SERVER_PEM = """\
-----BEGIN CERTIFICATE-----
MIIBeTCCAR6gAwIBAgIBAjAKBggqhkjOPQQDAjAXMRUwEwYDVQQDDAxrdW1vIHRl
c3QgQ0EwIBcNMDAwMTAxMDAwMDAwWhgPMjk5OTAxMDEwMDAwMDBaMBQxEjAQBgNV
BAMMCWxvY2FsaG9zdDBZMBMGByqGSM49AgEGCCqGSM49AwEHA0IABNDs1Y4c24uI
7k007hkddu7rnAjGL0YPlOJVl85wjm2BJdmigLkh5gB+4s2HaamNxhCpU4v31AQg
5/vUWzhNYS+jXDBaMBQGA1UdEQQNMAuCCWxvY2FsaG9zdDAMBgNVHRMBAf8EAjAA
MBMGA1UdJQQMMAoGCCsGAQUFBwMBMB8GA1UdIwQYMBaAFBUm/xPkSPM/B3jUf7Wb
Qz/dl5QsMAoGCCqGSM49BAMCA0kAMEYCIQCmygEqXtyFnUqcZukFHHfLsi0zcZWq
Qr8Q0YlWWdamlgIhAMWWBYZZTQXb3u3RX33JTFEF0a4E/8MA4Z5vOpMSQATV
-----END CERTIFICATE-----
"""
SELF_SIGNED_PEM = """\
-----BEGIN CERTIFICATE-----
MIIBdjCCARugAwIBAgIBAzAKBggqhkjOPQQDAjAUMRIwEAYDVQQDDAlsb2NhbGhv
c3QwIBcNMDAwMTAxMDAwMDAwWhgPMjk5OTAxMDEwMDAwMDBaMBQxEjAQBgNVBAMM
CWxvY2FsaG9zdDBZMBMGByqGSM49AgEGCCqGSM49AwEHA0IABNDs1Y4c24uI7k00
7hkddu7rnAjGL0YPlOJVl85wjm2BJdmigLkh5gB+4s2HaamNxhCpU4v31AQg5/vU
WzhNYS+jXDBaMBQGA1UdEQQNMAuCCWxvY2FsaG9zdDAMBgNVHRMBAf8EAjAAMBMG
A1UdJQQMMAoGCCsGAQUFBwMBMB8GA1UdIwQYMBaAFNRTtDe3lmDSkUkMXfO6RjO7
nLzaMAoGCCqGSM49BAMCA0kAMEYCIQDMhoEeWBUZjeB2acELMGlF1n2Tyf6JihAo
DOj4zZ0nzwIhAM/yGBDXWWT3i+ZgRUZspFN2j1UIrii75Sao8gPnFXBg
-----END CERTIFICATE-----
"""
SERVER_KEY = """\
-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgraHpx8OD7dxYWywj
bf1vJLOl8+JHJv+KEgu06256FV2hRANCAATQ7NWOHNuLiO5NNO4ZHXbu65wIxi9G
D5TiVZfOcI5tgSXZooC5IeYAfuLNh2mpjcYQqVOL99QEIOf71Fs4TWEv
-----END PRIVATE KEY-----
"""


def is_test_event(doc):
    return doc.get("Event") == "s3:TestEvent" or doc.get("text", "").startswith("s3:TestEvent")


class Receiver:
    """Records every POST. policy(request, attempt) -> HTTP status, per bucket."""

    def __init__(self, port=None, delay_s=0.0, tls_cert=None):
        self.port = port or free_port()
        self.delay_s = delay_s
        self.tls_cert = tls_cert  # PEM: serve https with it and SERVER_KEY
        self.cond = threading.Condition()
        self.requests = []
        self.policies = {}
        self.server = None

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}"

    def start(self):
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                receiver._record(self, body)

            def log_message(self, *args):
                pass

        ThreadingHTTPServer.allow_reuse_address = True
        self.server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self.server.daemon_threads = True
        if self.tls_cert:
            ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            with tempfile.TemporaryDirectory(prefix="kumo-it-tls-") as files:
                with open(f"{files}/cert.pem", "w") as f:
                    f.write(self.tls_cert)
                with open(f"{files}/key.pem", "w") as f:
                    f.write(SERVER_KEY)
                ctx.load_cert_chain(f"{files}/cert.pem", f"{files}/key.pem")
            self.server.socket = ctx.wrap_socket(self.server.socket, server_side=True)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self):
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()
            self.server = None

    def _record(self, handler, body):
        headers = {k.lower(): v for k, v in handler.headers.items()}
        doc = json.loads(body)
        if "Records" in doc:
            bucket = doc["Records"][0]["s3"]["bucket"]["name"]
        elif "Bucket" in doc:
            bucket = doc["Bucket"]
        else:  # chat: "<event> s3://<bucket>/<key> ..." or "s3:TestEvent for bucket <b>"
            m = re.search(r"s3://([^/]+)/|for bucket (\S+)", doc["text"])
            bucket = m.group(1) or m.group(2)
        req = {"path": handler.path, "headers": headers, "body": body, "doc": doc,
               "bucket": bucket, "seq": headers.get("x-kumo-event-sequence")}
        with self.cond:
            attempt = 1 + sum(1 for r in self.requests
                              if r["seq"] == req["seq"] and r["bucket"] == bucket)
            policy = self.policies.get(bucket)
            req["status"] = policy(req, attempt) if policy else 200
            req["attempt"] = attempt
            self.requests.append(req)
            self.cond.notify_all()
        if self.delay_s:
            time.sleep(self.delay_s)  # a slow receiver: counted on arrival, answered late
        handler.send_response(req["status"])
        handler.send_header("Content-Length", "0")
        handler.send_header("Connection", "close")
        handler.end_headers()

    def of(self, bucket, delivered_only=True, test_events=False):
        with self.cond:
            return [r for r in self.requests if r["bucket"] == bucket
                    and (not delivered_only or 200 <= r["status"] < 300)
                    and (test_events or not is_test_event(r["doc"]))]

    def wait(self, predicate, timeout=WAIT_S):
        deadline = time.monotonic() + timeout
        with self.cond:
            while not predicate():
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self.cond.wait(min(left, 0.2))
            return True

    def wait_count(self, bucket, n, **kwargs):
        ok = self.wait(lambda: len(self.of(bucket, **kwargs)) >= n)
        got = self.of(bucket, **kwargs)
        assert ok, f"expected {n} requests for {bucket}, got {len(got)}: " \
                   f"{[r['doc'] for r in got]}"
        return got


@pytest.fixture(scope="module")
def receivers():
    all_receivers = {
        "alerts": Receiver().start(),
        "slow": Receiver(delay_s=2.0).start(),
        "tls": Receiver(tls_cert=SERVER_PEM).start(),
        "selfsigned": Receiver(tls_cert=SELF_SIGNED_PEM).start(),
    }
    yield all_receivers
    for r in all_receivers.values():
        r.stop()


@pytest.fixture(scope="module")
def kumo(request, receivers, tmp_path_factory):
    alerts, slow = receivers["alerts"], receivers["slow"]
    ca_file = tmp_path_factory.mktemp("ca") / "ca.pem"
    ca_file.write_text(CA_PEM)
    tls_port, self_port = receivers["tls"].port, receivers["selfsigned"].port
    env = {
        # MinIO's convention; the <ID> is taken in lower case: "alerts".
        "KUMO_NOTIFY_WEBHOOK_ENDPOINT_ALERTS": f"{alerts.url}/hook",
        "KUMO_NOTIFY_WEBHOOK_SECRET_ALERTS": SECRET,
        "KUMO_NOTIFY_WEBHOOK_ENDPOINT_TEAMCHAT": f"{alerts.url}/chat",
        "KUMO_NOTIFY_WEBHOOK_FORMAT_TEAMCHAT": "chat",
        "KUMO_NOTIFY_WEBHOOK_ENDPOINT_SLOW": f"{slow.url}/slow",
        # https: the trust store is OpenSSL's default, pointed at the test CA.
        "SSL_CERT_FILE": str(ca_file),
        "KUMO_NOTIFY_WEBHOOK_ENDPOINT_TLSOK": f"https://localhost:{tls_port}/tls",
        "KUMO_NOTIFY_WEBHOOK_ENDPOINT_TLSNAME": f"https://127.0.0.1:{tls_port}/tls",
        "KUMO_NOTIFY_WEBHOOK_ENDPOINT_TLSUNTRUSTED": f"https://localhost:{self_port}/tls",
        "KUMO_EVENTS_MAX_ATTEMPTS": str(MAX_ATTEMPTS),
        "KUMO_EVENTS_INITIAL_BACKOFF_MS": "50",
        "KUMO_EVENTS_MAX_BACKOFF_MS": "200",
    }
    return _new_server(request, _tmp_root("kumo-it-events-"), extra_env=env)


@pytest.fixture(scope="module")
def s3(kumo):
    return kumo.client()


def queue_rule(rule_id, arn, events, prefix=None, suffix=None):
    rule = {"Id": rule_id, "QueueArn": arn, "Events": events}
    filters = [{"Name": n, "Value": v} for n, v in (("prefix", prefix), ("suffix", suffix)) if v]
    if filters:
        rule["Filter"] = {"Key": {"FilterRules": filters}}
    return rule


def bind(s3, bucket, *rules):
    s3.put_bucket_notification_configuration(
        Bucket=bucket, NotificationConfiguration={"QueueConfigurations": list(rules)})


def new_bucket(s3, prefix):
    name = unique_bucket(prefix)
    s3.create_bucket(Bucket=name)
    return name


def record_of(req):
    return req["doc"]["Records"][0]


def check_signed(req):
    expected = "sha256=" + hmac.new(SECRET.encode(), req["body"], hashlib.sha256).hexdigest()
    assert hmac.compare_digest(req["headers"].get("x-kumo-signature", ""), expected)


# ---- bindings ---------------------------------------------------------------------------
def test_unknown_arn_is_rejected(s3):
    bucket = new_bucket(s3, "ev-arn")
    with pytest.raises(ClientError) as e:
        bind(s3, bucket, queue_rule("x", "arn:kumo:sqs::nobody:webhook", ["s3:ObjectCreated:*"]))
    assert e.value.response["Error"]["Code"] == "InvalidArgument"


def test_configuration_sends_test_event(s3, receivers):
    alerts = receivers["alerts"]
    bucket = new_bucket(s3, "ev-test")
    bind(s3, bucket, queue_rule("all", ALERTS_ARN, ["s3:ObjectCreated:*"]))
    got = alerts.wait_count(bucket, 1, test_events=True)
    doc = got[0]["doc"]
    assert doc["Service"] == "Amazon S3"
    assert doc["Event"] == "s3:TestEvent"
    assert doc["Bucket"] == bucket
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", doc["Time"])
    check_signed(got[0])
    conf = s3.get_bucket_notification_configuration(Bucket=bucket)
    assert conf["QueueConfigurations"][0]["QueueArn"] == ALERTS_ARN
    assert conf["QueueConfigurations"][0]["Id"] == "all"


# ---- the events and their fields ----------------------------------------------------------
def test_object_events_field_by_field(s3, receivers):
    alerts = receivers["alerts"]
    bucket = new_bucket(s3, "ev-fields")
    bind(s3, bucket,
         queue_rule("created", ALERTS_ARN, ["s3:ObjectCreated:*"], prefix="in/"),
         queue_rule("removed", ALERTS_ARN, ["s3:ObjectRemoved:*"], prefix="in/"))
    key = "in/a b+c=ü.txt"
    data = b"hello events"
    put = s3.put_object(Bucket=bucket, Key=key, Body=data)
    s3.put_object(Bucket=bucket, Key="out/ignored", Body=b"x")
    copy = s3.copy_object(Bucket=bucket, Key="in/copy.txt",
                          CopySource={"Bucket": bucket, "Key": key})
    mpu = s3.create_multipart_upload(Bucket=bucket, Key="in/mp.bin")
    parts = []
    for n in (1, 2):
        r = s3.upload_part(Bucket=bucket, Key="in/mp.bin", UploadId=mpu["UploadId"],
                           PartNumber=n, Body=bytes([n]) * (5 * MIB))
        parts.append({"PartNumber": n, "ETag": r["ETag"]})
    done = s3.complete_multipart_upload(Bucket=bucket, Key="in/mp.bin", UploadId=mpu["UploadId"],
                                        MultipartUpload={"Parts": parts})
    s3.delete_object(Bucket=bucket, Key="in/copy.txt")
    s3.delete_objects(Bucket=bucket, Delete={"Objects": [{"Key": "in/mp.bin"}, {"Key": key}]})

    expected = [  # (eventName, key, size, etag, rule)
        ("ObjectCreated:Put", key, len(data), put["ETag"].strip('"'), "created"),
        ("ObjectCreated:Copy", "in/copy.txt", len(data),
         copy["CopyObjectResult"]["ETag"].strip('"'), "created"),
        ("ObjectCreated:CompleteMultipartUpload", "in/mp.bin", 10 * MIB,
         done["ETag"].strip('"'), "created"),
        ("ObjectRemoved:Delete", "in/copy.txt", None, None, "removed"),
        ("ObjectRemoved:Delete", "in/mp.bin", None, None, "removed"),
        ("ObjectRemoved:Delete", key, None, None, "removed"),
    ]
    got = alerts.wait_count(bucket, len(expected))
    time.sleep(1.0)  # nothing else may follow
    got = alerts.of(bucket)
    assert len(got) == len(expected), [record_of(r)["eventName"] for r in got]
    # DeleteObjects may emit its two events in either order.
    got[4:6] = sorted(got[4:6], key=lambda r: record_of(r)["s3"]["object"]["key"] != "in/mp.bin")

    sequencers = {}
    for req, (name, k, size, etag, rule) in zip(got, expected):
        check_signed(req)
        h = req["headers"]
        assert req["path"] == "/hook"
        assert h["content-type"] == "application/json"
        assert h["user-agent"] == "kumo"
        assert h["x-kumo-event-name"] == name
        rec = record_of(req)
        assert len(req["doc"]["Records"]) == 1
        assert rec["eventVersion"] == "2.1"
        assert rec["eventSource"] == "kumo:s3"
        assert rec["awsRegion"] == "us-east-1"
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", rec["eventTime"])
        assert rec["eventName"] == name
        assert rec["userIdentity"]["principalId"]
        assert rec["requestParameters"]["sourceIPAddress"] == "127.0.0.1"
        assert rec["responseElements"]["x-amz-request-id"]
        s3part = rec["s3"]
        assert s3part["s3SchemaVersion"] == "1.0"
        assert s3part["configurationId"] == rule
        assert s3part["bucket"]["name"] == bucket
        assert s3part["bucket"]["arn"] == f"arn:aws:s3:::{bucket}"
        assert s3part["bucket"]["ownerIdentity"]["principalId"]
        obj = s3part["object"]
        assert obj["key"] == quote_plus(k, safe="/"), obj["key"]
        if size is not None:
            assert obj["size"] == size
            assert obj["eTag"] == etag
        assert re.fullmatch(r"[0-9A-F]{16}", obj["sequencer"])
        assert int(h["x-kumo-event-sequence"]) == rec["kumo"]["sequence"]
        assert int(obj["sequencer"], 16) == rec["kumo"]["sequence"]
        assert obj["sequencer"] > sequencers.get(k, "")  # increasing per key
        sequencers[k] = obj["sequencer"]
    assert record_of(got[0])["responseElements"]["x-amz-request-id"] == \
        put["ResponseMetadata"]["RequestId"]


def test_prefix_and_suffix_filters(s3, receivers):
    alerts = receivers["alerts"]
    bucket = new_bucket(s3, "ev-filter")
    bind(s3, bucket,
         queue_rule("jpg", ALERTS_ARN, ["s3:ObjectCreated:Put"], prefix="images/", suffix=".jpg"),
         queue_rule("logs", ALERTS_ARN, ["s3:ObjectCreated:*"], prefix="logs/"))
    for key in ("images/a.jpg", "images/a.png", "other/a.jpg", "images/b.JPG", "logs/x",
                "images/sub/c.jpg", "logs"):
        s3.put_object(Bucket=bucket, Key=key, Body=b"x")
    s3.delete_object(Bucket=bucket, Key="logs/x")  # removals are not bound
    s3.copy_object(Bucket=bucket, Key="images/copy.jpg",  # a Copy, not a Put
                   CopySource={"Bucket": bucket, "Key": "images/a.jpg"})
    s3.put_object(Bucket=bucket, Key="logs/last", Body=b"x")
    alerts.wait_count(bucket, 4)
    time.sleep(1.0)
    got = [(record_of(r)["s3"]["object"]["key"], record_of(r)["s3"]["configurationId"])
           for r in alerts.of(bucket)]
    assert got == [("images/a.jpg", "jpg"), ("logs/x", "logs"), ("images/sub/c.jpg", "jpg"),
                   ("logs/last", "logs")]


def test_chat_format(s3, receivers):
    alerts = receivers["alerts"]
    bucket = new_bucket(s3, "ev-chat")
    bind(s3, bucket, queue_rule("chat", CHAT_ARN, ["s3:ObjectCreated:*"]))
    s3.put_object(Bucket=bucket, Key="report.pdf", Body=b"12345")
    got = alerts.wait_count(bucket, 1)
    assert got[0]["path"] == "/chat"
    assert got[0]["doc"] == {"text": f"ObjectCreated:Put s3://{bucket}/report.pdf (5 bytes)"}
    assert "x-kumo-signature" not in got[0]["headers"]


# ---- retries and dead letters -------------------------------------------------------------
def test_fails_twice_then_delivered_on_third_attempt(s3, receivers):
    alerts = receivers["alerts"]
    bucket = new_bucket(s3, "ev-retry")
    alerts.policies[bucket] = lambda req, attempt: 500 if attempt <= 2 else 200
    bind(s3, bucket, queue_rule("r", ALERTS_ARN, ["s3:ObjectCreated:*"]))
    s3.put_object(Bucket=bucket, Key="k", Body=b"x")
    alerts.wait_count(bucket, 1)
    time.sleep(1.0)
    attempts = alerts.of(bucket, delivered_only=False)
    assert [r["status"] for r in attempts] == [500, 500, 200]
    assert len({r["seq"] for r in attempts}) == 1  # same idempotency key
    assert len({r["body"] for r in attempts}) == 1


def test_unavailable_receiver_pauses_the_handler_and_loses_nothing(kumo, s3, receivers):
    """503 is "not now", not a verdict on the event: the handler pauses and probes with
    the event at its head (no dead letter whatever max_attempts says), the events behind
    it wait in order, and everything is delivered once the receiver answers again."""
    alerts = receivers["alerts"]
    bucket = new_bucket(s3, "ev-pause")
    down = threading.Event()
    down.set()
    alerts.policies[bucket] = lambda req, attempt: 503 if down.is_set() and \
        req["doc"].get("Records") else 200
    bind(s3, bucket, queue_rule("d", ALERTS_ARN, ["s3:ObjectCreated:*"]))
    s3.put_object(Bucket=bucket, Key="first", Body=b"x")
    s3.put_object(Bucket=bucket, Key="second", Body=b"x")
    assert alerts.wait(lambda: len(alerts.of(bucket, delivered_only=False)) > MAX_ATTEMPTS)
    handler = next(h for h in cli_json(kumo, "handlers", "ls")["handlers"]
                   if h["name"] == "webhook:alerts")
    assert handler["unavailable_since"], handler
    assert "HTTP 503" in handler["unavailable_reason"]
    assert handler["waiting"] >= 2
    tried = alerts.of(bucket, delivered_only=False)
    assert {record_of(r)["s3"]["object"]["key"] for r in tried} == {"first"}
    down.clear()
    got = alerts.wait_count(bucket, 2)
    assert [record_of(r)["s3"]["object"]["key"] for r in got] == ["first", "second"]
    dead = cli_json(kumo, "deadletter", "ls", "--handler", "webhook:alerts")["deadletters"]
    assert [d for d in dead if d["bucket"] == bucket] == []
    handler = next(h for h in cli_json(kumo, "handlers", "ls")["handlers"]
                   if h["name"] == "webhook:alerts")
    assert handler["unavailable_since"] is None


def test_client_error_is_not_retried(s3, receivers):
    alerts = receivers["alerts"]
    bucket = new_bucket(s3, "ev-4xx")
    alerts.policies[bucket] = lambda req, attempt: 400 if "Records" in req["doc"] else 200
    bind(s3, bucket, queue_rule("p", ALERTS_ARN, ["s3:ObjectCreated:*"]))
    s3.put_object(Bucket=bucket, Key="k", Body=b"x")
    assert alerts.wait(lambda: len(alerts.of(bucket, delivered_only=False)) >= 1)
    time.sleep(1.0)
    assert [r["status"] for r in alerts.of(bucket, delivered_only=False)] == [400]


# ---- TLS ---------------------------------------------------------------------------------
def test_https_targets_verify_the_certificate_and_host_name(s3, receivers):
    trusted, selfsigned = receivers["tls"], receivers["selfsigned"]
    bucket = new_bucket(s3, "ev-tls")
    bind(s3, bucket,
         queue_rule("ok", "arn:kumo:sqs::tlsok:webhook", ["s3:ObjectCreated:*"], prefix="ok/"),
         queue_rule("name", "arn:kumo:sqs::tlsname:webhook", ["s3:ObjectCreated:*"],
                    prefix="name/"),
         queue_rule("untrusted", "arn:kumo:sqs::tlsuntrusted:webhook", ["s3:ObjectCreated:*"],
                    prefix="untrusted/"))
    for key in ("name/1", "untrusted/1", "ok/1"):
        s3.put_object(Bucket=bucket, Key=key, Body=b"x")
    got = trusted.wait_count(bucket, 1)
    assert record_of(got[0])["s3"]["object"]["key"] == "ok/1"
    assert got[0]["path"] == "/tls"
    time.sleep(1.5)  # every attempt of the other two targets has failed by now
    assert [record_of(r)["s3"]["object"]["key"] for r in trusted.of(bucket)] == ["ok/1"]
    assert selfsigned.of(bucket, delivered_only=False, test_events=True) == []


# ---- isolation ------------------------------------------------------------------------------
def test_slow_receiver_slows_neither_puts_nor_other_targets(s3, receivers):
    alerts, slow = receivers["alerts"], receivers["slow"]
    bucket = new_bucket(s3, "ev-slow")
    # S3 refuses overlapping rules for one event type: the targets split by prefix.
    bind(s3, bucket,
         queue_rule("slow", SLOW_ARN, ["s3:ObjectCreated:*"], prefix="slow/"),
         queue_rule("fast", ALERTS_ARN, ["s3:ObjectCreated:*"], prefix="fast/"))
    n = 10
    for i in range(n):
        s3.put_object(Bucket=bucket, Key=f"slow/{i}", Body=b"x")
    # All PUTs are acknowledged while the slow receiver (2 s per event) still has a
    # backlog...
    assert len(slow.of(bucket, delivered_only=False)) < n
    s3.put_object(Bucket=bucket, Key="fast/1", Body=b"x")
    # ...and the other target gets its event before that backlog is gone.
    alerts.wait_count(bucket, 1)
    assert len(slow.of(bucket, delivered_only=False)) < n


# ---- crash safety ---------------------------------------------------------------------------
def test_kill9_with_undelivered_events_delivers_all_after_restart(request):
    receiver = Receiver().start()
    env = {
        "KUMO_NOTIFY_WEBHOOK_ENDPOINT_ALERTS": f"{receiver.url}/hook",
        "KUMO_NOTIFY_WEBHOOK_TIMEOUT_MS_ALERTS": "1000",
        "KUMO_EVENTS_MAX_ATTEMPTS": "100000",  # keep retrying while the receiver is down
        "KUMO_EVENTS_INITIAL_BACKOFF_MS": "20",
        "KUMO_EVENTS_MAX_BACKOFF_MS": "200",
    }
    server = _new_server(request, _tmp_root("kumo-it-events-crash-"), extra_env=env)
    request.addfinalizer(receiver.stop)
    s3 = server.client()
    bucket = new_bucket(s3, "ev-crash")
    bind(s3, bucket, queue_rule("all", ALERTS_ARN, ["s3:ObjectCreated:*"]))
    receiver.wait_count(bucket, 1, test_events=True)

    keys = [f"k{i:03d}" for i in range(30)]
    for key in keys[:5]:  # delivered before the crash: the cursor is mid-stream
        s3.put_object(Bucket=bucket, Key=key, Body=b"x")
    receiver.wait_count(bucket, 5)
    receiver.stop()  # the receiver goes down: the rest stays undelivered
    for key in keys[5:]:
        s3.put_object(Bucket=bucket, Key=key, Body=b"x")
    time.sleep(0.5)
    server.kill9()
    receiver.start()  # same port
    server.start(port=server.port)

    assert receiver.wait(lambda: {record_of(r)["s3"]["object"]["key"]
                                  for r in receiver.of(bucket)} >= set(keys)), \
        f"missing: {set(keys) - {record_of(r)['s3']['object']['key'] for r in receiver.of(bucket)}}"
    by_key = {}
    for r in receiver.of(bucket):
        by_key.setdefault(record_of(r)["s3"]["object"]["key"], set()).add(
            record_of(r)["kumo"]["sequence"])
    assert set(by_key) == set(keys)
    assert all(len(seqs) == 1 for seqs in by_key.values())  # re-deliveries keep their sequence
    seqs = [next(iter(by_key[k])) for k in keys]
    assert seqs == sorted(seqs) and len(set(seqs)) == len(keys)  # PUT order, none missing
