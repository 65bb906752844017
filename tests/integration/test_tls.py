"""HTTPS: kumod's TLS listener beside the plain one, with real clients.

Certificates are made here with python3-cryptography: a CA and a server certificate for
`localhost` and 127.0.0.1, another CA for reloads, and an expired certificate. Covered:
aws CLI (--ca-bundle) and boto3 (verify=) over HTTPS, bodies streamed both ways (a
multipart upload of 2 x 5 MiB), plain HTTP on its own listener at the same time, an
expired certificate refused by clients, SIGHUP reloading the certificate without
dropping open connections (and keeping the old one when the new files are broken),
TLS 1.1 refused, a stalled handshake cut at the header timeout, HTTP and HTTPS
connections under one connection cap, a missing or bad certificate refusing the start,
and an HTTPS-only server.
"""

import datetime
import hashlib
import http.client
import ipaddress
import os
import signal
import socket
import ssl
import subprocess
import time
import uuid
from pathlib import Path

import boto3
import botocore.exceptions
import pytest
from botocore.config import Config
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from conftest import REGION, AwsCli, KumoServer, _tail, free_port, kumo_bin

MiB = 1024 * 1024
DEADLINE_S = 15.0


# ---- certificates --------------------------------------------------------------------
def _name(cn):
    return x509.Name([x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Kumo tests"),
                      x509.NameAttribute(NameOID.COMMON_NAME, cn)])


def _now():
    return datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None)


def _key_pem(key):
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption())


class Ca:
    """A self-signed CA that issues server certificates."""

    def __init__(self, cn):
        self.key = ec.generate_private_key(ec.SECP256R1())
        self.name = _name(cn)
        ski = x509.SubjectKeyIdentifier.from_public_key(self.key.public_key())
        self.cert = (
            x509.CertificateBuilder().subject_name(self.name).issuer_name(self.name)
            .public_key(self.key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(_now() - datetime.timedelta(days=1))
            .not_valid_after(_now() + datetime.timedelta(days=30))
            .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
            .add_extension(x509.KeyUsage(
                digital_signature=True, key_cert_sign=True, crl_sign=True,
                content_commitment=False, key_encipherment=False, data_encipherment=False,
                key_agreement=False, encipher_only=False, decipher_only=False), critical=True)
            .add_extension(ski, critical=False)
            .sign(self.key, hashes.SHA256()))
        self.pem = self.cert.public_bytes(serialization.Encoding.PEM)

    def write(self, path):
        Path(path).write_bytes(self.pem)
        return str(path)

    def issue(self, cn, days_valid=30, expired=False):
        """A server certificate for localhost and 127.0.0.1: (certificate PEM, key PEM)."""
        key = ec.generate_private_key(ec.SECP256R1())
        if expired:
            not_before = _now() - datetime.timedelta(days=30)
            not_after = _now() - datetime.timedelta(days=1)
        else:
            not_before = _now() - datetime.timedelta(days=1)
            not_after = _now() + datetime.timedelta(days=days_valid)
        cert = (
            x509.CertificateBuilder().subject_name(_name(cn)).issuer_name(self.name)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(not_before).not_valid_after(not_after)
            .add_extension(x509.SubjectAlternativeName([
                x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
                critical=False)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]),
                           critical=False)
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(
                self.key.public_key()), critical=False)
            .sign(self.key, hashes.SHA256()))
        return cert.public_bytes(serialization.Encoding.PEM), _key_pem(key)


def write_pair(directory, pair, stem="server"):
    """Writes (cert, key) PEMs atomically (a reload never sees half a file)."""
    directory = Path(directory)
    cert_path, key_path = directory / f"{stem}.crt", directory / f"{stem}.key"
    for path, data in ((cert_path, pair[0]), (key_path, pair[1])):
        tmp = path.with_suffix(path.suffix + ".tmp")
        tmp.write_bytes(data)
        os.replace(tmp, path)
    return str(cert_path), str(key_path)


def client_context(ca_file, minimum=None, maximum=None):
    ctx = ssl.create_default_context(cafile=ca_file)
    if minimum is not None:
        ctx.minimum_version = minimum
    if maximum is not None:
        ctx.maximum_version = maximum
    return ctx


# ---- a kumod with both listeners ------------------------------------------------------
class TlsKumo(KumoServer):
    """kumod serving plain HTTP (--listen) and HTTPS (--tls-listen) side by side."""

    def __init__(self, workdir, cert, key, extra_env=None):
        env = {"KUMO_SERVER_TLS_CERT": cert, "KUMO_SERVER_TLS_KEY": key}
        env.update(extra_env or {})
        super().__init__(workdir, extra_env=env)
        self.tls_port = None

    def start(self, port=None):
        self.tls_port = free_port()
        self.extra_args = ["--tls-listen", f"127.0.0.1:{self.tls_port}"]
        return super().start(port)

    @property
    def https_endpoint(self):
        return f"https://127.0.0.1:{self.tls_port}"


def _https_client(server, ca_file, **config_kwargs):
    """boto3 S3 client on the HTTPS listener, trusting ca_file only."""
    cfg = dict(signature_version="s3v4", s3={"addressing_style": "path"},
               retries={"total_max_attempts": 1, "mode": "standard"},
               connect_timeout=10, read_timeout=60)
    cfg.update(config_kwargs)
    return boto3.session.Session().client(
        "s3", endpoint_url=server.https_endpoint, region_name=REGION,
        aws_access_key_id=server.access_key, aws_secret_access_key=server.secret_key,
        verify=ca_file, config=Config(**cfg))


def start_tls_kumo(request, tmp_path, cert, key, extra_env=None):
    server = TlsKumo(tmp_path / "kumod", cert, key, extra_env=extra_env)
    server.start()

    def finish():
        crashed = server.crashed()
        server.stop()
        if crashed:
            raise AssertionError(f"kumod died during the test; log:\n{server.log()}")

    request.addfinalizer(finish)
    return server


def wait_for(predicate, what, timeout=DEADLINE_S):
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        try:
            if predicate():
                return
        except Exception as e:  # noqa: BLE001 - the last failure is reported below
            last = e
        time.sleep(0.1)
    pytest.fail(f"timed out waiting for {what}; last error: {last!r}")


def https_health(port, ctx, timeout=10):
    """A new HTTPS connection: GET /_kumo/health; returns (status, peer certificate CN)."""
    conn = http.client.HTTPSConnection("127.0.0.1", port, context=ctx, timeout=timeout)
    try:
        conn.request("GET", "/_kumo/health")
        resp = conn.getresponse()
        resp.read()
        return resp.status, peer_cn(conn.sock)
    finally:
        conn.close()


def peer_cn(sock):
    for rdn in sock.getpeercert()["subject"]:
        for k, v in rdn:
            if k == "commonName":
                return v
    return None


def log_contains(server, text):
    return text in server.log()


# ---- fixtures ------------------------------------------------------------------------
@pytest.fixture(scope="module")
def pki(tmp_path_factory):
    d = tmp_path_factory.mktemp("pki")
    ca1, ca2 = Ca("Kumo test CA 1"), Ca("Kumo test CA 2")
    return {
        "dir": d,
        "ca1": ca1, "ca1_file": ca1.write(d / "ca1.pem"),
        "ca2": ca2, "ca2_file": ca2.write(d / "ca2.pem"),
    }


@pytest.fixture(scope="module")
def tls_kumo(request, pki, tmp_path_factory):
    cert, key = write_pair(pki["dir"], pki["ca1"].issue("kumo-a"), stem="module")
    tmp = tmp_path_factory.mktemp("tls-kumo")
    server = TlsKumo(tmp, cert, key, extra_env={"KUMO_SERVER_HEADER_TIMEOUT_SECONDS": "2"})
    server.start()

    def finish():
        crashed = server.crashed()
        server.stop()
        if crashed:
            raise AssertionError(f"kumod died during the tests; log:\n{server.log()}")

    request.addfinalizer(finish)
    return server


@pytest.fixture(scope="module")
def s3_tls(tls_kumo, pki):
    return _https_client(tls_kumo, pki["ca1_file"])


# ---- clients over HTTPS --------------------------------------------------------------
def test_boto3_put_get_list_over_https_beside_plain_http(tls_kumo, s3_tls):
    bucket = f"tls-{uuid.uuid4().hex[:12]}"
    s3_tls.create_bucket(Bucket=bucket)
    s3_tls.put_object(Bucket=bucket, Key="a/hello.txt", Body=b"hello over TLS")
    got = s3_tls.get_object(Bucket=bucket, Key="a/hello.txt")["Body"].read()
    assert got == b"hello over TLS"
    listed = s3_tls.list_objects_v2(Bucket=bucket)
    assert [o["Key"] for o in listed["Contents"]] == ["a/hello.txt"]

    # The plain listener serves the same store at the same time.
    plain = tls_kumo.client()
    assert plain.get_object(Bucket=bucket, Key="a/hello.txt")["Body"].read() == b"hello over TLS"
    plain.put_object(Bucket=bucket, Key="b/plain.txt", Body=b"plain")
    assert s3_tls.get_object(Bucket=bucket, Key="b/plain.txt")["Body"].read() == b"plain"


def test_boto3_multipart_upload_streams_over_https(s3_tls):
    bucket = f"tls-mp-{uuid.uuid4().hex[:12]}"
    s3_tls.create_bucket(Bucket=bucket)
    parts_data = [os.urandom(5 * MiB), os.urandom(5 * MiB)]
    upload = s3_tls.create_multipart_upload(Bucket=bucket, Key="big.bin")
    parts = []
    for number, data in enumerate(parts_data, start=1):
        r = s3_tls.upload_part(Bucket=bucket, Key="big.bin", UploadId=upload["UploadId"],
                               PartNumber=number, Body=data)
        parts.append({"PartNumber": number, "ETag": r["ETag"]})
    done = s3_tls.complete_multipart_upload(Bucket=bucket, Key="big.bin",
                                            UploadId=upload["UploadId"],
                                            MultipartUpload={"Parts": parts})
    # URLs that point back at kumod keep the scheme the request came in with.
    assert done["Location"].startswith("https://"), done["Location"]
    whole = b"".join(parts_data)
    body = s3_tls.get_object(Bucket=bucket, Key="big.bin")["Body"].read()
    assert len(body) == len(whole)
    assert hashlib.sha256(body).hexdigest() == hashlib.sha256(whole).hexdigest()
    ranged = s3_tls.get_object(Bucket=bucket, Key="big.bin", Range="bytes=5242870-5242889")
    assert ranged["Body"].read() == whole[5242870:5242890]


class _HttpsEndpoint:
    """What AwsCli needs of a server, pointed at the HTTPS listener."""

    def __init__(self, server):
        self.endpoint = server.https_endpoint
        self.access_key = server.access_key
        self.secret_key = server.secret_key


def test_aws_cli_with_ca_bundle(tls_kumo, pki, tmp_path):
    aws = AwsCli(_HttpsEndpoint(tls_kumo), tmp_path / "aws")
    ca = ["--ca-bundle", pki["ca1_file"]]
    bucket = f"tls-cli-{uuid.uuid4().hex[:12]}"
    src = tmp_path / "file.bin"
    src.write_bytes(os.urandom(3 * MiB))
    aws(*ca, "s3", "mb", f"s3://{bucket}")
    aws(*ca, "s3", "cp", src, f"s3://{bucket}/dir/file.bin")
    listing = aws(*ca, "s3", "ls", f"s3://{bucket}/dir/").stdout
    assert "file.bin" in listing
    dst = tmp_path / "back.bin"
    aws(*ca, "s3", "cp", f"s3://{bucket}/dir/file.bin", dst)
    assert dst.read_bytes() == src.read_bytes()

    # Without the CA the CLI refuses the server's certificate.
    res = aws("s3", "ls", f"s3://{bucket}/", check=False)
    assert res.returncode != 0
    assert "SSL" in res.stderr or "certificate" in res.stderr, res.stderr


# ---- protocol versions and handshakes ------------------------------------------------
def test_tls_1_2_and_1_3_accepted(tls_kumo, pki):
    for version in (ssl.TLSVersion.TLSv1_2, ssl.TLSVersion.TLSv1_3):
        ctx = client_context(pki["ca1_file"], minimum=version, maximum=version)
        with socket.create_connection(("127.0.0.1", tls_kumo.tls_port), timeout=10) as raw:
            with ctx.wrap_socket(raw, server_hostname="localhost") as tls:
                assert tls.version() == {ssl.TLSVersion.TLSv1_2: "TLSv1.2",
                                         ssl.TLSVersion.TLSv1_3: "TLSv1.3"}[version]
                tls.sendall(b"GET /_kumo/health HTTP/1.1\r\nHost: localhost\r\n"
                            b"Connection: close\r\n\r\n")
                reply = b""
                while chunk := tls.recv(65536):
                    reply += chunk
                assert reply.startswith(b"HTTP/1.1 200"), reply[:100]


@pytest.mark.filterwarnings("ignore:ssl.TLSVersion.TLSv1:DeprecationWarning")
def test_tls_1_1_refused(tls_kumo, pki):
    # The client's OpenSSL refuses TLS 1.1 at its default security level before sending
    # anything; at level 0 it offers TLS 1.1 only, so the refusal tested is kumod's.
    ctx = client_context(pki["ca1_file"], minimum=ssl.TLSVersion.TLSv1,
                         maximum=ssl.TLSVersion.TLSv1_1)
    ctx.set_ciphers("DEFAULT:@SECLEVEL=0")
    with socket.create_connection(("127.0.0.1", tls_kumo.tls_port), timeout=10) as raw:
        with pytest.raises(ssl.SSLError) as err:
            ctx.wrap_socket(raw, server_hostname="localhost")
    # kumod's alert, not the client's refusal to offer TLS 1.1 ("no protocols available").
    assert err.value.reason == "TLSV1_ALERT_PROTOCOL_VERSION", err.value
    assert tls_kumo.healthy()


def test_stalled_handshake_is_cut_at_the_header_timeout(tls_kumo):
    # The module's kumod has a 2 s header timeout: a client that connects and sends no
    # ClientHello is disconnected then, as one that sends no request head.
    with socket.create_connection(("127.0.0.1", tls_kumo.tls_port), timeout=15) as raw:
        started = time.monotonic()
        assert raw.recv(1) == b""
        elapsed = time.monotonic() - started
    assert 1.0 <= elapsed < 10.0, elapsed


def test_plain_http_on_the_tls_port_gets_no_answer(tls_kumo):
    with socket.create_connection(("127.0.0.1", tls_kumo.tls_port), timeout=15) as raw:
        raw.sendall(b"GET /_kumo/health HTTP/1.1\r\nHost: localhost\r\n\r\n")
        data = raw.recv(4096)
    assert not data.startswith(b"HTTP/1.1 200")
    assert tls_kumo.healthy()


def test_https_and_http_connections_share_the_connection_cap(request, pki, tmp_path):
    cert, key = write_pair(tmp_path, pki["ca1"].issue("kumo-capped"))
    server = start_tls_kumo(request, tmp_path, cert, key,
                            extra_env={"KUMO_SERVER_MAX_CONNECTIONS": "2"})
    ctx = client_context(pki["ca1_file"])
    plain = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    request.addfinalizer(plain.close)
    tls = http.client.HTTPSConnection("127.0.0.1", server.tls_port, context=ctx, timeout=10)
    request.addfinalizer(tls.close)
    for conn in (plain, tls):  # an answer proves the connection is counted
        conn.request("GET", "/_kumo/health")
        resp = conn.getresponse()
        resp.read()
        assert resp.status == 200

    # A third connection waits in the backlog: its handshake gets no answer.
    with socket.create_connection(("127.0.0.1", server.tls_port), timeout=10) as raw:
        raw.settimeout(1.5)
        with pytest.raises(TimeoutError):
            ctx.wrap_socket(raw, server_hostname="localhost")

    # Once one closes, new HTTPS connections are served again.
    plain.close()
    wait_for(lambda: https_health(server.tls_port, ctx, timeout=2)[0] == 200,
             "an HTTPS connection after one closed")


# ---- certificates that clients refuse, and ones kumod refuses -------------------------
def test_expired_certificate_is_refused_by_clients(request, pki, tmp_path):
    cert, key = write_pair(tmp_path, pki["ca1"].issue("kumo-expired", expired=True))
    server = start_tls_kumo(request, tmp_path, cert, key)

    s3 = _https_client(server, pki["ca1_file"])
    with pytest.raises(botocore.exceptions.SSLError):
        s3.list_buckets()
    with pytest.raises(ssl.SSLCertVerificationError) as err:
        https_health(server.tls_port, client_context(pki["ca1_file"]))
    assert err.value.verify_code == 10, err.value  # X509_V_ERR_CERT_HAS_EXPIRED
    assert server.healthy()
    wait_for(lambda: log_contains(server, "expired on"), "the expiry warning in the log")


def _run_kumod(tmp_path, env_extra, args=(), timeout=30):
    env = dict(os.environ)
    env.update({"KUMO_ROOT_ACCESS_KEY": "KUMOTESTACCESSKEY001",
                "KUMO_ROOT_SECRET_KEY": "kumo/test+Secret0123456789abcdefghijKLMN"})
    env.update(env_extra)
    return subprocess.run(
        [kumo_bin(), "--data-dir", str(tmp_path / "data"),
         "--listen", f"127.0.0.1:{free_port()}",
         "--tls-listen", f"127.0.0.1:{free_port()}", *args],
        env=env, capture_output=True, text=True, timeout=timeout, stdin=subprocess.DEVNULL)


def test_missing_or_bad_certificate_refuses_to_start(pki, tmp_path):
    good_cert, good_key = write_pair(tmp_path, pki["ca1"].issue("kumo-good"), stem="good")
    other_cert, other_key = write_pair(tmp_path, pki["ca1"].issue("kumo-other"), stem="other")
    garbage = tmp_path / "garbage.pem"
    garbage.write_text("this is not PEM\n")
    cases = [
        ({"KUMO_SERVER_TLS_CERT": str(tmp_path / "missing.crt"),
          "KUMO_SERVER_TLS_KEY": good_key}, "No such file"),
        ({"KUMO_SERVER_TLS_CERT": good_cert,
          "KUMO_SERVER_TLS_KEY": str(tmp_path / "missing.key")}, "No such file"),
        ({"KUMO_SERVER_TLS_CERT": str(garbage), "KUMO_SERVER_TLS_KEY": good_key}, "garbage.pem"),
        ({"KUMO_SERVER_TLS_CERT": good_cert, "KUMO_SERVER_TLS_KEY": str(garbage)}, "garbage.pem"),
        ({"KUMO_SERVER_TLS_CERT": good_cert, "KUMO_SERVER_TLS_KEY": other_key},
         "does not match"),
        ({"KUMO_SERVER_TLS_CERT": good_cert}, "go together"),
    ]
    del other_cert
    for env, message in cases:
        res = _run_kumod(tmp_path, env)
        out = res.stdout + res.stderr
        assert res.returncode == 2, f"{env}: exit {res.returncode}\n{out}"
        assert message in out, f"{env}: {out}"


def test_https_only_when_plain_listener_is_off(pki, tmp_path):
    cert, key = write_pair(tmp_path, pki["ca1"].issue("kumo-only"))
    tls_port = free_port()
    env = dict(os.environ, KUMO_ROOT_ACCESS_KEY="KUMOTESTACCESSKEY001",
               KUMO_ROOT_SECRET_KEY="kumo/test+Secret0123456789abcdefghijKLMN",
               KUMO_SERVER_TLS_CERT=cert, KUMO_SERVER_TLS_KEY=key)
    log_path = tmp_path / "kumod.log"
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(
            [kumo_bin(), "--data-dir", str(tmp_path / "data"), "--listen", "",
             "--tls-listen", f"127.0.0.1:{tls_port}"],
            env=env, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
            start_new_session=True)
    try:
        ctx = client_context(pki["ca1_file"])
        wait_for(lambda: https_health(tls_port, ctx, timeout=2)[0] == 200, "HTTPS health")
        assert proc.poll() is None
        wait_for(lambda: "listening for HTTPS" in _tail(log_path), "the HTTPS listening line")
        assert "kumod listening on" not in _tail(log_path)
    finally:
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(20) == 0, _tail(log_path)

    # Neither listener: nothing to serve, refused.
    res = subprocess.run([kumo_bin(), "--data-dir", str(tmp_path / "data2"), "--listen", ""],
                         env=dict(os.environ), capture_output=True, text=True, timeout=30)
    assert res.returncode == 2, res.stdout + res.stderr
    assert "nothing to serve" in res.stdout + res.stderr


# ---- SIGHUP reload -------------------------------------------------------------------
def test_sighup_reloads_the_certificate_without_dropping_connections(request, pki, tmp_path):
    cert, key = write_pair(tmp_path, pki["ca1"].issue("kumo-a"))
    server = start_tls_kumo(request, tmp_path, cert, key)
    ca1_ctx, ca2_ctx = client_context(pki["ca1_file"]), client_context(pki["ca2_file"])
    assert https_health(server.tls_port, ca1_ctx) == (200, "kumo-a")

    # A keep-alive connection made with certificate A.
    old = http.client.HTTPSConnection("127.0.0.1", server.tls_port, context=ca1_ctx,
                                      timeout=10)
    request.addfinalizer(old.close)
    old.request("GET", "/_kumo/health")
    first = old.getresponse()
    first.read()
    assert first.status == 200
    old_sock = old.sock
    assert old_sock is not None and peer_cn(old_sock) == "kumo-a"

    # Certificate B from another CA replaces the files; SIGHUP.
    write_pair(tmp_path, pki["ca2"].issue("kumo-b"))
    server.proc.send_signal(signal.SIGHUP)
    wait_for(lambda: https_health(server.tls_port, ca2_ctx, timeout=2) == (200, "kumo-b"),
             "a new connection trusting CA 2")
    wait_for(lambda: log_contains(server, "subject CN=kumo-b"), "the reload in the log")

    # The old connection was not dropped: same socket, still certificate A.
    old.request("GET", "/_kumo/health")
    second = old.getresponse()
    second.read()
    assert second.status == 200
    assert old.sock is old_sock and peer_cn(old.sock) == "kumo-a"

    # New clients trusting only CA 1 now fail.
    with pytest.raises(ssl.SSLCertVerificationError):
        https_health(server.tls_port, ca1_ctx)

    # A broken key: the reload fails, is logged, and B keeps being served.
    Path(key).write_text("-----BEGIN PRIVATE KEY-----\nbroken\n-----END PRIVATE KEY-----\n")
    server.proc.send_signal(signal.SIGHUP)
    wait_for(lambda: log_contains(server, "TLS reload failed"), "the reload error in the log")
    assert https_health(server.tls_port, ca2_ctx) == (200, "kumo-b")
    assert server.healthy()
