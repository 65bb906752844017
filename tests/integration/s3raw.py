"""Hand-built S3 requests for the tests that a well-behaved SDK refuses to send:
SigV4 with a chosen timestamp or payload hash, aws-chunked streaming uploads with chunk
signatures computed here, bodies cut short, raw XML bodies.

Signing uses botocore's S3SigV4Auth (the reference implementation); only the timestamp
and the payload hash are chosen by the caller. Requests go out over a raw socket so that
the test controls every byte on the wire.
"""

import datetime
import hashlib
import hmac
import http.client
import socket
import urllib.parse
import xml.etree.ElementTree as ET

from botocore.auth import SIGV4_TIMESTAMP, S3SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

EMPTY_SHA256 = hashlib.sha256(b"").hexdigest()
STREAMING_PAYLOAD = "STREAMING-AWS4-HMAC-SHA256-PAYLOAD"
UNSIGNED_PAYLOAD = "UNSIGNED-PAYLOAD"


def quote_key(key):
    """Path-encodes an object key the way the SDKs do (everything but unreserved and /)."""
    return urllib.parse.quote(key, safe="/~")


class _Signer(S3SigV4Auth):
    def __init__(self, credentials, region, payload_hash=None, when=None):
        super().__init__(credentials, "s3", region)
        self._payload_hash = payload_hash
        self._when = when

    def payload(self, request):
        if self._payload_hash is not None:
            return self._payload_hash
        return super().payload(request)

    def add_auth(self, request):
        if self._when is None:
            return super().add_auth(request)
        request.context["timestamp"] = self._when.strftime(SIGV4_TIMESTAMP)
        self._modify_request_before_signing(request)
        canonical_request = self.canonical_request(request)
        string_to_sign = self.string_to_sign(request, canonical_request)
        self._inject_signature_to_request(request, self.signature(string_to_sign, request))
        return None


def sign(method, url, access_key, secret_key, region="us-east-1", headers=None,
         body=b"", payload_hash=None, when=None):
    """Returns the headers (Host, X-Amz-Date, X-Amz-Content-SHA256, Authorization and the
    given ones) of a SigV4-signed request. `url` must be already percent-encoded.

    payload_hash: the x-amz-content-sha256 value to sign (default: sha256 of body).
    when: a naive UTC datetime to sign with (default: now)."""
    req = AWSRequest(method=method, url=url, headers=dict(headers or {}), data=body)
    signer = _Signer(Credentials(access_key, secret_key), region, payload_hash, when)
    signer.add_auth(req)
    out = dict(req.headers.items())
    out["Host"] = urllib.parse.urlsplit(url).netloc
    return out


def signing_key(secret_key, date, region="us-east-1", service="s3"):
    def h(key, msg):
        return hmac.new(key, msg.encode(), hashlib.sha256).digest()
    k = h(("AWS4" + secret_key).encode(), date)
    k = h(k, region)
    k = h(k, service)
    return h(k, "aws4_request")


def seed_signature(auth_header):
    return auth_header.rsplit("Signature=", 1)[1].strip()


def chunk_signature(key, timestamp, scope, previous_signature, data):
    string_to_sign = "\n".join([
        "AWS4-HMAC-SHA256-PAYLOAD", timestamp, scope, previous_signature, EMPTY_SHA256,
        hashlib.sha256(data).hexdigest()])
    return hmac.new(key, string_to_sign.encode(), hashlib.sha256).hexdigest()


def encode_chunk(data, signature):
    return b"%x;chunk-signature=%s\r\n%s\r\n" % (len(data), signature.encode(), data)


def streaming_put(endpoint_host, bucket, key, chunks, access_key, secret_key,
                  region="us-east-1", tamper=None, extra_headers=None):
    """Builds a STREAMING-AWS4-HMAC-SHA256-PAYLOAD PutObject (aws-chunked).

    chunks: list of bytes (the final empty chunk is added here).
    tamper(index, data, signature) -> (data, signature): lets a test corrupt one chunk
    after the signatures have been computed.
    Returns (headers, encoded_body)."""
    decoded_len = sum(len(c) for c in chunks)
    now = datetime.datetime.utcnow()
    timestamp = now.strftime(SIGV4_TIMESTAMP)
    date = timestamp[:8]
    scope = f"{date}/{region}/s3/aws4_request"
    all_chunks = list(chunks) + [b""]
    sig_len = 64
    encoded_len = sum(len(b"%x;chunk-signature=" % len(c)) + sig_len + 2 + len(c) + 2
                      for c in all_chunks)
    url = f"http://{endpoint_host}/{bucket}/{quote_key(key)}"
    headers = {
        "Content-Encoding": "aws-chunked",
        "x-amz-decoded-content-length": str(decoded_len),
        "Content-Length": str(encoded_len),
        "Content-Type": "application/octet-stream",
    }
    headers.update(extra_headers or {})
    signed = sign("PUT", url, access_key, secret_key, region, headers=headers,
                  payload_hash=STREAMING_PAYLOAD, when=now)
    key_bytes = signing_key(secret_key, date, region)
    previous = seed_signature(signed["Authorization"])
    body = bytearray()
    for i, data in enumerate(all_chunks):
        sig = chunk_signature(key_bytes, timestamp, scope, previous, data)
        previous = sig
        if tamper is not None:
            data, sig = tamper(i, data, sig)
        body += encode_chunk(data, sig)
    assert len(body) == encoded_len or tamper is not None
    return signed, bytes(body)


class RawResponse:
    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers
        self.body = body

    def header(self, name):
        for k, v in self.headers:
            if k.lower() == name.lower():
                return v
        return None

    def error(self):
        """(Code, Message, root element) of an S3 XML error body."""
        if not self.body:
            return None, None, None
        root = ET.fromstring(self.body)
        return root.findtext("Code"), root.findtext("Message"), root

    @property
    def code(self):
        return self.error()[0]

    def __repr__(self):
        return f"<{self.status} {self.headers} {self.body[:2000]!r}>"


def _read_response(sock, method):
    resp = http.client.HTTPResponse(sock, method=method)
    resp.begin()
    body = resp.read()
    return RawResponse(resp.status, resp.getheaders(), body)


def send_raw(host_port, method, path, headers, body=b"", timeout=30, shutdown_after=False):
    """Sends one request over a fresh socket and reads the response.

    The body is sent as given (it may be shorter or longer than Content-Length).
    A server that answers early and closes is fine: send errors are swallowed and the
    response is read anyway. Returns RawResponse, or None when the server closed the
    connection without a response."""
    host, port = host_port.rsplit(":", 1)
    sock = socket.create_connection((host, int(port)), timeout=timeout)
    try:
        head = f"{method} {path} HTTP/1.1\r\n"
        for k, v in headers.items():
            head += f"{k}: {v}\r\n"
        head += "\r\n"
        try:
            sock.sendall(head.encode("latin-1"))
            if body:
                sock.sendall(body)
            if shutdown_after:
                sock.shutdown(socket.SHUT_WR)
        except (BrokenPipeError, ConnectionResetError):
            pass
        try:
            return _read_response(sock, method)
        except (http.client.RemoteDisconnected, ConnectionResetError,
                http.client.IncompleteRead, http.client.BadStatusLine):
            return None
    finally:
        sock.close()


def signed_request(server, method, path, body=b"", headers=None, query="",
                   payload_hash=None, when=None, secret_key=None, access_key=None,
                   send_body=None, shutdown_after=False):
    """Signs and sends a request to kumod. `path` is the percent-encoded path
    (e.g. /bucket/key), `query` the raw query string without '?'.
    send_body: bytes actually sent (default: body)."""
    url = f"{server.endpoint}{path}" + (f"?{query}" if query else "")
    hdrs = dict(headers or {})
    hdrs.setdefault("Content-Length", str(len(body)))
    signed = sign(method, url, access_key or server.access_key,
                  secret_key or server.secret_key, headers=hdrs, body=body,
                  payload_hash=payload_hash, when=when)
    target = path + (f"?{query}" if query else "")
    return send_raw(server.host, method, target, signed,
                    body if send_body is None else send_body,
                    shutdown_after=shutdown_after)
