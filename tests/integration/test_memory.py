"""kumod streams object bodies: its resident memory stays flat however large the object.

Uploads a 2 GiB object with a single streamed PUT (a presigned URL, the body generated on
the fly and never stored by the test), reads it back streaming, and uploads 2 GiB more as
a multipart upload of 100 MiB parts through boto3's upload_part, while a thread samples
kumod's VmRSS from /proc/<pid>/status every 100 ms. Each phase asserts that the peak stays
below 256 MiB and prints it; at the end VmHWM (the kernel's own high-water mark of the
process, which no sampling interval can miss) is held to the same bound.
"""

import hashlib
import http.client
import io
import os
import threading
import time
import urllib.parse

import pytest

MiB = 1024 * 1024
GiB = 1024 * MiB
TOTAL = 2 * GiB
PART = 100 * MiB
LIMIT = 256 * MiB
BLOCK = MiB


# ---- data generated on the fly ------------------------------------------------------------
class Pattern:
    """Deterministic bytes: block i is a fixed random MiB with i stamped into its first
    8 bytes, so any offset can be produced again without storing anything."""

    def __init__(self, seed):
        self.base = hashlib.sha256(seed).digest() * (BLOCK // 32)
        self._cached = (None, b"")

    def block(self, index):
        if self._cached[0] != index:
            self._cached = (index, index.to_bytes(8, "big") + self.base[8:])
        return self._cached[1]

    def blocks(self, start, length):
        """Yields the bytes of [start, start + length) in pieces of at most BLOCK."""
        pos, end = start, start + length
        while pos < end:
            index, off = divmod(pos, BLOCK)
            piece = self.block(index)[off:off + min(BLOCK - off, end - pos)]
            yield piece
            pos += len(piece)


class PatternFile(io.RawIOBase):
    """A seekable read-only file over [start, start + length) of a Pattern: what boto3
    needs to sign (one read pass) and then send (a second pass) a part."""

    def __init__(self, pattern, start, length):
        super().__init__()
        self.pattern, self.start, self.length, self.pos = pattern, start, length, 0

    def readable(self):
        return True

    def seekable(self):
        return True

    def tell(self):
        return self.pos

    def seek(self, offset, whence=os.SEEK_SET):
        base = {os.SEEK_SET: 0, os.SEEK_CUR: self.pos, os.SEEK_END: self.length}[whence]
        self.pos = max(0, min(self.length, base + offset))
        return self.pos

    def read(self, n=-1):
        if n is None or n < 0:
            n = self.length - self.pos
        n = min(n, self.length - self.pos)
        out = b"".join(self.pattern.blocks(self.start + self.pos, n))
        self.pos += len(out)
        return out

    def readinto(self, buf):
        data = self.read(len(buf))
        buf[:len(data)] = data
        return len(data)

    def __len__(self):
        return self.length


# ---- RSS sampling ---------------------------------------------------------------------------
def status_kib(pid, field):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    raise AssertionError(f"{field} not in /proc/{pid}/status")


class RssSampler:
    """Samples VmRSS of a process every 100 ms in a background thread."""

    def __init__(self, pid, interval=0.1):
        self.pid, self.interval = pid, interval
        self.peak_kib = 0
        self.samples = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self):
        while not self._stop.is_set():
            self.peak_kib = max(self.peak_kib, status_kib(self.pid, "VmRSS"))
            self.samples += 1
            self._stop.wait(self.interval)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()
        self.peak_kib = max(self.peak_kib, status_kib(self.pid, "VmRSS"))


def announce(capsys, line):
    """Prints past pytest's capture, so that the numbers show in every run's log."""
    with capsys.disabled():
        print("\n" + line)


def check_peak(kumo, capsys, phase, sampler, seconds):
    peak = sampler.peak_kib * 1024
    line = (f"kumod peak RSS during {phase}: {peak / MiB:.1f} MiB "
            f"({sampler.samples} samples, {seconds:.1f} s, {TOTAL / MiB / seconds:.0f} MiB/s)")
    announce(capsys, line)
    assert not kumo.crashed(), kumo.log()
    assert peak < LIMIT, line


@pytest.fixture(scope="module")
def big_bucket(s3):
    name = "mem-" + os.urandom(6).hex()
    s3.create_bucket(Bucket=name)
    return name


def test_single_put_and_get_of_2gib_keep_rss_flat(kumo, s3, big_bucket, capsys):
    pid = kumo.proc.pid
    pattern = Pattern(b"single put")
    url = urllib.parse.urlsplit(s3.generate_presigned_url(
        "put_object", Params={"Bucket": big_bucket, "Key": "big"}, ExpiresIn=3600))
    sent = hashlib.sha256()
    with RssSampler(pid) as sampler:
        began = time.monotonic()
        conn = http.client.HTTPConnection(url.hostname, url.port, timeout=300)
        conn.putrequest("PUT", f"{url.path}?{url.query}", skip_accept_encoding=True)
        conn.putheader("Content-Length", str(TOTAL))
        conn.endheaders()
        for piece in pattern.blocks(0, TOTAL):
            sent.update(piece)
            conn.send(piece)
        resp = conn.getresponse()
        body = resp.read()
        conn.close()
        seconds = time.monotonic() - began
    assert resp.status == 200, body
    check_peak(kumo, capsys, "a 2 GiB streamed PUT", sampler, seconds)

    with RssSampler(pid) as sampler:
        began = time.monotonic()
        got = s3.get_object(Bucket=big_bucket, Key="big")
        received, size = hashlib.sha256(), 0
        for chunk in got["Body"].iter_chunks(BLOCK):
            received.update(chunk)
            size += len(chunk)
        seconds = time.monotonic() - began
    assert size == TOTAL
    assert received.hexdigest() == sent.hexdigest()
    check_peak(kumo, capsys, "a 2 GiB streamed GET", sampler, seconds)


def test_multipart_upload_of_2gib_keeps_rss_flat(kumo, s3, big_bucket, capsys):
    pid = kumo.proc.pid
    pattern = Pattern(b"multipart")
    key = "big-multipart"
    uid = s3.create_multipart_upload(Bucket=big_bucket, Key=key)["UploadId"]
    parts = []
    with RssSampler(pid) as sampler:
        began = time.monotonic()
        for number, start in enumerate(range(0, TOTAL, PART), start=1):
            length = min(PART, TOTAL - start)
            resp = s3.upload_part(Bucket=big_bucket, Key=key, UploadId=uid, PartNumber=number,
                                  Body=PatternFile(pattern, start, length))
            parts.append({"PartNumber": number, "ETag": resp["ETag"]})
        s3.complete_multipart_upload(Bucket=big_bucket, Key=key, UploadId=uid,
                                     MultipartUpload={"Parts": parts})
        seconds = time.monotonic() - began
    assert len(parts) == 21
    check_peak(kumo, capsys, "a 2 GiB multipart upload (100 MiB parts)", sampler,
               seconds)

    expected = hashlib.sha256()
    for piece in pattern.blocks(0, TOTAL):
        expected.update(piece)
    with RssSampler(pid) as sampler:
        began = time.monotonic()
        got = s3.get_object(Bucket=big_bucket, Key=key)
        received, size = hashlib.sha256(), 0
        for chunk in got["Body"].iter_chunks(BLOCK):
            received.update(chunk)
            size += len(chunk)
        seconds = time.monotonic() - began
    assert size == TOTAL
    assert received.hexdigest() == expected.hexdigest()
    check_peak(kumo, capsys, "a 2 GiB streamed GET of the multipart object", sampler,
               seconds)

    hwm = status_kib(pid, "VmHWM") * 1024
    line = f"kumod VmHWM (lifetime peak RSS): {hwm / MiB:.1f} MiB"
    announce(capsys, line)
    assert hwm < LIMIT, line
    s3.delete_object(Bucket=big_bucket, Key=key)
    s3.delete_object(Bucket=big_bucket, Key="big")
