"""The built-in `metadata` function and the catalog, end to end (README "Catalog and
search", "Built-in functions: metadata"): files made here (python3-pil, the ffmpeg CLI, a
PDF written by hand) are uploaded with the aws CLI and boto3 into a bucket bound to
arn:kumo:lambda:::function:metadata with no configuration at all, then found with
`kumo search` by type, size, dimensions, EXIF fields, GPS radius and words of their text,
and with `kumo sql`. An overwrite replaces an object's attributes, a delete removes them,
a replay of the function's events changes nothing, and a user sees only the buckets they
may read.
"""

import hashlib
import io
import json
import os
import re
import subprocess

import pytest
from PIL import Image

from conftest import AwsCli, _new_server, _tmp_root, unique_bucket
from kumo_cli import cli_json, run_cli, wait_for

# 35°40'48" N, 139°45'36" E: 35.68, 139.76 (Tokyo), 40 m up.
GPS = {1: "N", 2: (35.0, 40.0, 48.0), 3: "E", 4: (139.0, 45.0, 36.0), 5: b"\x00", 6: 40.0}


def jpeg_with_exif(width=640, height=480):
    img = Image.new("RGB", (width, height), (200, 120, 40))
    exif = Image.Exif()
    exif[0x010F] = "FUJIFILM"  # Make
    exif[0x0110] = "X-T5"  # Model
    exif[0x0112] = 1  # Orientation
    # Sub-IFDs assigned as dicts (Pillow 9.4 does not write what get_ifd() hands out).
    exif[0x8769] = {  # Exif IFD
        0x9003: "2024:05:01 10:20:30",  # DateTimeOriginal
        0x8827: 400,  # ISOSpeedRatings
        0xA434: "XF23mmF1.4 R LM WR",  # LensModel
    }
    exif[0x8825] = dict(GPS)  # GPS IFD
    out = io.BytesIO()
    img.save(out, "JPEG", exif=exif.tobytes(), quality=85)
    return out.getvalue()


def image(fmt, width, height, **kw):
    out = io.BytesIO()
    Image.new("RGB", (width, height), (10, 200, 90)).save(out, fmt, **kw)
    return out.getvalue()


def pdf_with_text(words, title, author):
    """A one-page PDF whose content stream draws `words`, with an Info dictionary."""
    stream = f"BT /F1 24 Tf 72 720 Td ({words}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
        b"/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        f"<< /Title ({title}) /Author ({author}) /CreationDate (D:20240102030405Z) >>".encode(),
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % i + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for off in offsets:
        out.write(b"%010d 00000 n \n" % off)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R /Info 6 0 R >>\nstartxref\n%d\n%%%%EOF\n"
              % (len(objects) + 1, xref))
    return out.getvalue()


def ffmpeg(tmp_path, name, *args):
    path = tmp_path / name
    subprocess.run(["ffmpeg", "-loglevel", "error", "-y", *args, str(path)], check=True,
                   timeout=120)
    return path.read_bytes()


def search(server, *args, env=None):
    res = run_cli(server, "search", *args, "--json", env=env)
    assert res.returncode == 0, res.stderr
    return json.loads(res.stdout)


def keys(server, *args, env=None):
    return sorted(r["key"] for r in search(server, *args, env=env)["results"])


def attributes(server, bucket, key):
    for r in search(server, "--bucket", bucket, "--prefix", key, "--limit", "1000")["results"]:
        if r["key"] == key:
            return r["attributes"]
    return None


def settled(server):
    """The metadata function and the catalog have handled every event so far."""
    handlers = {h["name"]: h for h in cli_json(server, "handlers", "ls")["handlers"]}
    status = cli_json(server, "catalog", "status")
    return handlers["function:metadata"]["lag"] == 0 and status["lag_events"] == 0


def wait_settled(server):
    wait_for(lambda: settled(server), "the metadata function and the catalog to catch up",
             timeout_s=120)


@pytest.fixture(scope="module")
def server(request):
    """A kumod with its embedded defaults: the catalog on, metadata available by name."""
    return _new_server(request, _tmp_root("kumo-it-metadata-"))


@pytest.fixture(scope="module")
def media(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("media")
    jpeg = jpeg_with_exif()
    png = image("PNG", 300, 200)
    return {
        "photos/tokyo.jpg": (jpeg, "image/jpeg"),
        "photos/wide.webp": (image("WEBP", 1920, 1080, quality=50), "image/webp"),
        "photos/small.png": (png, "image/png"),
        "photos/anim.gif": (image("GIF", 64, 48), "image/gif"),
        "photos/scan.tiff": (image("TIFF", 100, 50), "image/tiff"),
        "media/clip.mp4": (ffmpeg(tmp, "clip.mp4", "-f", "lavfi", "-i",
                                  "testsrc=size=320x240:rate=25", "-t", "2", "-c:v", "mpeg4",
                                  "-pix_fmt", "yuv420p"), "video/mp4"),
        "media/tone.wav": (ffmpeg(tmp, "tone.wav", "-f", "lavfi", "-i",
                                  "sine=frequency=440:duration=1"), "audio/wav"),
        "docs/report.pdf": (pdf_with_text("Quarterly harbor lantern report", "Harbor Report",
                                          "Ada Lovelace"), "application/pdf"),
        "docs/notes.txt": (b"The meridian glacier notes: quartz and saffron.\n", "text/plain"),
        "docs/data.json": (b'{"alpha": 1, "beta": [2, 3], "gamma": {"x": true}}',
                           "application/json"),
        "docs/table.csv": (b"name,age,city\nada,36,london\nalan,41,wilmslow\n", "text/csv"),
        "lies/not-text.txt": (png, "text/plain"),  # a PNG that claims to be text
        # A JPEG (without EXIF) cut inside its entropy-coded data.
        "broken/truncated.jpg": (image("JPEG", 640, 480)[:600], "image/jpeg"),
    }


@pytest.fixture(scope="module")
def loaded(server, media, tmp_path_factory):
    """A bucket bound to the metadata function (no [functions.metadata] at all) holding
    every file: half uploaded with the aws CLI, half with boto3."""
    s3 = server.client()
    bucket = unique_bucket("meta")
    s3.create_bucket(Bucket=bucket)
    aws = AwsCli(server, tmp_path_factory.mktemp("aws-meta"))
    conf = tmp_path_factory.mktemp("conf") / "notification.json"
    conf.write_text(json.dumps({"LambdaFunctionConfigurations": [{
        "Id": "extract", "LambdaFunctionArn": "arn:kumo:lambda:::function:metadata",
        "Events": ["s3:ObjectCreated:*"]}]}))
    aws("s3api", "put-bucket-notification-configuration", "--bucket", bucket,
        "--notification-configuration", f"file://{conf}")
    files = tmp_path_factory.mktemp("files")
    for i, (key, (body, content_type)) in enumerate(sorted(media.items())):
        if i % 2:
            s3.put_object(Bucket=bucket, Key=key, Body=body, ContentType=content_type,
                          Metadata={"project": "kumo"}, Tagging="team=media")
        else:
            path = files / key.replace("/", "_")
            path.write_bytes(body)
            aws("s3", "cp", str(path), f"s3://{bucket}/{key}", "--content-type", content_type)
    wait_settled(server)
    return bucket


def test_every_object_is_cataloged_with_its_real_type(server, loaded, media):
    got = search(server, "--bucket", loaded, "--limit", "1000")
    assert got["next"] is None
    results = {r["key"]: r for r in got["results"]}
    assert sorted(results) == sorted(media)
    for key, (body, content_type) in media.items():
        r = results[key]
        assert (r["bucket"], r["size"], r["content_type"]) == (loaded, len(body), content_type)
        assert r["last_modified"].endswith("Z") and len(r["etag"]) == 32
        assert "mime" in r["attributes"], (key, r)
    attrs = {k: r["attributes"] for k, r in results.items()}
    assert attrs["photos/tokyo.jpg"]["mime"] == "image/jpeg"
    assert attrs["photos/tokyo.jpg"]["mime_mismatch"] is False
    assert attrs["lies/not-text.txt"]["mime"] == "image/png"
    assert attrs["lies/not-text.txt"]["mime_mismatch"] is True
    assert attrs["docs/notes.txt"]["sha256"] == hashlib.sha256(media["docs/notes.txt"][0]).hexdigest()
    # A truncated JPEG: what could be read, plus the error; its event was not retried.
    assert "error" in attrs["broken/truncated.jpg"]
    assert attrs["broken/truncated.jpg"]["mime"] == "image/jpeg"


def test_images_by_type_dimensions_and_exif(server, loaded):
    assert keys(server, "--bucket", loaded, "--type", "image/*") == [
        "broken/truncated.jpg", "photos/anim.gif", "photos/scan.tiff", "photos/small.png",
        "photos/tokyo.jpg", "photos/wide.webp"]
    assert keys(server, "--bucket", loaded, "--where", "width>=1920") == ["photos/wide.webp"]
    assert keys(server, "--bucket", loaded, "--where", "width>=300", "--where", "height<300") == [
        "lies/not-text.txt", "media/clip.mp4", "photos/small.png"]
    tokyo = attributes(server, loaded, "photos/tokyo.jpg")
    assert (tokyo["format"], tokyo["width"], tokyo["height"]) == ("jpeg", 640, 480)
    assert (tokyo["exif.make"], tokyo["exif.model"]) == ("FUJIFILM", "X-T5")
    assert tokyo["exif.iso"] == 400 and tokyo["exif.lens"] == "XF23mmF1.4 R LM WR"
    assert tokyo["exif.taken_at"].startswith("2024-05-01T10:20:30")
    assert abs(tokyo["gps.lat"] - 35.68) < 1e-6 and abs(tokyo["gps.lon"] - 139.76) < 1e-6
    assert abs(tokyo["gps.alt"] - 40.0) < 1e-6
    assert keys(server, "--bucket", loaded, "--where", 'exif.model="X-T5"') == ["photos/tokyo.jpg"]
    assert keys(server, "--bucket", loaded, "--where", "exif.taken_at>=2024-05-01",
                "--where", "exif.taken_at<2024-05-02") == ["photos/tokyo.jpg"]
    assert keys(server, "--bucket", loaded, "--where", "exif.taken_at>=2024-05-02") == []
    assert keys(server, "--bucket", loaded, "--where", "exif.model~X-*") == ["photos/tokyo.jpg"]


def test_gps_radius(server, loaded):
    assert keys(server, "--bucket", loaded, "--near", "35.68,139.76,5km") == ["photos/tokyo.jpg"]
    # Shinjuku is about 6 km from that point: in a 10 km radius, not in a 5 km one.
    assert keys(server, "--bucket", loaded, "--near", "35.69,139.70,5km") == []
    assert keys(server, "--bucket", loaded, "--near", "35.69,139.70,10km") == ["photos/tokyo.jpg"]


def test_media_pdf_and_text(server, loaded):
    clip = attributes(server, loaded, "media/clip.mp4")
    assert (clip["width"], clip["height"]) == (320, 240)
    assert abs(clip["duration_s"] - 2.0) < 0.2 and abs(clip["fps"] - 25) < 0.01
    assert clip["video.codec"] == "mpeg4"
    tone = attributes(server, loaded, "media/tone.wav")
    assert abs(tone["duration_s"] - 1.0) < 0.1 and tone["audio.codec"].startswith("pcm")
    assert keys(server, "--bucket", loaded, "--where", "duration_s>1.5") == ["media/clip.mp4"]

    pdf = attributes(server, loaded, "docs/report.pdf")
    assert (pdf["pages"], pdf["title"], pdf["author"]) == (1, "Harbor Report", "Ada Lovelace")
    hits = search(server, "--bucket", loaded, "--text", "harbor lantern")["results"]
    assert [h["key"] for h in hits] == ["docs/report.pdf"]
    assert "harbor" in hits[0]["snippet"].lower()
    assert keys(server, "--bucket", loaded, "--text", "glacier quartz") == ["docs/notes.txt"]
    assert keys(server, "--bucket", loaded, "--text", "wilmslow") == ["docs/table.csv"]
    assert attributes(server, loaded, "docs/table.csv")["csv.columns"] == "name,age,city"
    assert set(attributes(server, loaded, "docs/data.json")["json.keys"].split(",")) == {
        "alpha", "beta", "gamma"}


def test_system_fields_tags_and_user_metadata(server, loaded, media):
    by_size = keys(server, "--bucket", loaded, "--where", "size<100")
    assert by_size == sorted(k for k, (b, _) in media.items() if len(b) < 100)
    tagged = keys(server, "--bucket", loaded, "--where", "tag.team=media")
    with_meta = keys(server, "--bucket", loaded, "--where", "meta.project=kumo")
    assert tagged == with_meta and len(tagged) == len(media) // 2
    assert keys(server, "--bucket", loaded, "--prefix", "docs/") == [
        "docs/data.json", "docs/notes.txt", "docs/report.pdf", "docs/table.csv"]


def test_sql_returns_the_same(server, loaded):
    got = cli_json(server, "sql",
                   f"SELECT key FROM attributes WHERE bucket = '{loaded}' AND name = 'width' "
                   "AND num >= 1920 ORDER BY key")
    assert got["columns"] == ["key"] and got["rows"] == [["photos/wide.webp"]]
    got = cli_json(server, "sql", f"SELECT count(*) FROM objects WHERE bucket = '{loaded}'")
    assert got["rows"] == [[13]]


def test_overwrite_replay_and_delete(server, loaded):
    s3 = server.client()
    before = search(server, "--bucket", loaded, "--limit", "1000")["results"]

    # A replay of every metadata event re-delivers them all: nothing changes.
    res = run_cli(server, "handlers", "replay", "function:metadata", "--from", "1")
    assert res.returncode == 0, res.stderr
    wait_settled(server)
    assert search(server, "--bucket", loaded, "--limit", "1000")["results"] == before

    # An overwrite replaces the attributes of the old bytes.
    s3.put_object(Bucket=loaded, Key="photos/wide.webp", Body=image("WEBP", 200, 100),
                  ContentType="image/webp")
    wait_for(lambda: (attributes(server, loaded, "photos/wide.webp") or {}).get("width") == 200,
             "the new width")
    assert keys(server, "--bucket", loaded, "--where", "width>=1920") == []

    s3.delete_object(Bucket=loaded, Key="photos/anim.gif")
    wait_settled(server)
    assert attributes(server, loaded, "photos/anim.gif") is None
    got = cli_json(server, "sql",
                   f"SELECT count(*) FROM attributes WHERE bucket = '{loaded}' "
                   "AND key = 'photos/anim.gif'")
    assert got["rows"] == [[0]]


def test_a_user_sees_only_the_buckets_they_may_read(server, loaded, tmp_path):
    s3 = server.client()
    own = unique_bucket("alice")
    s3.create_bucket(Bucket=own)
    s3.put_bucket_notification_configuration(Bucket=own, NotificationConfiguration={
        "LambdaFunctionConfigurations": [{
            "LambdaFunctionArn": "arn:kumo:lambda:::function:metadata",
            "Events": ["s3:ObjectCreated:*"]}]})
    policy = tmp_path / "alice.json"
    policy.write_text(json.dumps({"Version": "2012-10-17", "Statement": [{
        "Effect": "Allow", "Action": "s3:*",
        "Resource": [f"arn:aws:s3:::{own}", f"arn:aws:s3:::{own}/*"]}]}))
    res = run_cli(server, "user", "add", "alice-meta", "--policy", policy)
    assert res.returncode == 0, res.stderr
    secret = re.search(r"^secret_key: (\S+)$", res.stdout, re.MULTILINE).group(1)
    s3.put_object(Bucket=own, Key="mine.txt", Body=b"lantern of alice", ContentType="text/plain")
    wait_settled(server)
    env = {k: v for k, v in os.environ.items() if not k.startswith("KUMO_")}
    env.update(KUMO_ENDPOINT=server.endpoint, KUMO_ROOT_ACCESS_KEY="alice-meta",
               KUMO_ROOT_SECRET_KEY=secret)
    got = search(server, "--text", "lantern", env=env)["results"]
    assert [(r["bucket"], r["key"]) for r in got] == [(own, "mine.txt")]
    assert search(server, "--bucket", loaded, env=env)["results"] == []
    # Root sees both.
    assert {r["bucket"] for r in search(server, "--text", "lantern")["results"]} == {own, loaded}
    # SQL needs kumo:CatalogSql.
    res = run_cli(server, "sql", "SELECT count(*) FROM objects", env=env)
    assert res.returncode != 0 and "AccessDenied" in res.stderr
