"""The built-in metadata function (functions/metadata) in a real kumod.

kumod's catalog and search are built elsewhere, so this checks what the function itself
owns, through kumod and real clients:
  * bound with `aws s3api put-bucket-notification-configuration` (the README's binding),
    uploads of a JPEG with EXIF (python3-pil), a PNG that claims to be a JPEG, a
    truncated JPEG, a PDF, JSON, CSV, HTML, a WAV and an MP4 (the ffmpeg CLI) and random
    bytes are all delivered: the function succeeds on corrupt and lying files too, and
    nothing is dead-lettered;
  * a delete is delivered as nothing to do;
  * it is a built-in: kumod finds it beside itself with no [functions.metadata] table (a
    table only tunes it, without a plugin path);
  * kumod refuses to start, naming the key, on an unknown config key or a wrong type.
Waits are bounded polls on behaviour, never timing assertions.
"""

import io
import json
import os
import subprocess

import pytest
from PIL import Image

from conftest import AwsCli, _new_server, _tmp_root, unique_bucket
from kumo_cli import cli_json, wait_for
from test_plugins import build_dir, outcome, refused_start

HANDLER = "function:metadata"


def metadata_plugin():
    plugin = build_dir() / "functions" / "metadata" / "metadata.so"
    if not plugin.is_file():
        pytest.fail(f"no {plugin}: build the metadata target")
    return plugin


@pytest.fixture(scope="module")
def server(request, tmp_path_factory):
    metadata_plugin()
    config = tmp_path_factory.mktemp("metadata-config") / "kumo.toml"
    config.write_text(f"""
[events]
max_attempts = 2
initial_backoff_ms = 10
max_backoff_ms = 20

[functions.metadata]
concurrency = 2
[functions.metadata.config]
head_bytes = 65536
text_limit_kib = 16
""")
    return _new_server(request, _tmp_root("kumo-it-metadata-"),
                       extra_args=["--config", str(config)])


@pytest.fixture(scope="module")
def aws(server, tmp_path_factory):
    return AwsCli(server, tmp_path_factory.mktemp("aws-metadata"))


def jpeg_with_exif():
    img = Image.new("RGB", (320, 240), (200, 80, 40))
    exif = Image.Exif()
    exif[0x010F] = "Canon"   # Make
    exif[0x0110] = "EOS R5"  # Model
    exif[0x0112] = 6         # Orientation
    buf = io.BytesIO()
    img.save(buf, "JPEG", exif=exif.tobytes(), quality=85)
    return buf.getvalue()


def png():
    buf = io.BytesIO()
    Image.new("RGB", (10, 10)).save(buf, "PNG")
    return buf.getvalue()


def ffmpeg(tmp_path, args, name):
    out = tmp_path / name
    subprocess.run(["ffmpeg", "-v", "error", "-nostdin", "-y", *args.split(), str(out)],
                   check=True, timeout=120)
    return out.read_bytes()


PDF = (b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
       b"2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n"
       b"3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>\nendobj\n"
       b"trailer\n<< /Root 1 0 R >>\n%%EOF\n")  # no xref: poppler reconstructs it


def test_uploads_of_every_kind_are_delivered_without_dead_letters(server, aws, tmp_path):
    s3 = server.client()
    bucket = unique_bucket("meta")
    s3.create_bucket(Bucket=bucket)
    aws("s3api", "put-bucket-notification-configuration", "--bucket", bucket,
        "--notification-configuration", json.dumps({"LambdaFunctionConfigurations": [{
            "LambdaFunctionArn": "arn:kumo:lambda:::function:metadata",
            "Events": ["s3:ObjectCreated:*", "s3:ObjectRemoved:*"]}]}))
    jpeg = jpeg_with_exif()
    objects = {
        "photo.jpg": (jpeg, "image/jpeg"),
        "liar.jpg": (png(), "image/jpeg"),
        "cut.jpg": (jpeg[: len(jpeg) // 2], "image/jpeg"),
        "doc.pdf": (PDF, "application/pdf"),
        "data.json": (b'{"id": 1, "tags": ["a"], "owner": {"name": "x"}}', "application/json"),
        "table.csv": (b"name,age\nada,36\n", "text/csv"),
        "page.html": (b"<html><body><p>Hello &amp; welcome</p></body></html>", "text/html"),
        "tone.wav": (ffmpeg(tmp_path, "-f lavfi -i sine=sample_rate=8000 -t 0.5", "t.wav"),
                     "audio/wav"),
        "clip.mp4": (ffmpeg(tmp_path, "-f lavfi -i testsrc=size=64x48:rate=10 -t 1 -c:v mpeg4",
                            "c.mp4"), "video/mp4"),
        "random.bin": (os.urandom(200_000), ""),
    }
    for key, (body, content_type) in objects.items():
        extra = {"ContentType": content_type} if content_type else {}
        s3.put_object(Bucket=bucket, Key=key, Body=body, **extra)
    for key in objects:
        _, o = wait_for(lambda: outcome(server, bucket, key, HANDLER), f"{key}'s outcome")
        assert o["status"] == "delivered", (key, o)
    s3.delete_object(Bucket=bucket, Key="photo.jpg")
    def removal_outcomes():
        events = cli_json(server, "events", "ls", "--bucket", bucket, "--key", "photo.jpg")
        return [o for e in events["events"] if "ObjectRemoved" in json.dumps(e)
                for o in e["outcomes"] if o["handler"] == HANDLER]
    removed = wait_for(removal_outcomes, "the delete's outcome")
    assert [o["status"] for o in removed] == ["delivered"], removed
    letters = cli_json(server, "deadletter", "ls", "--handler", HANDLER)["deadletters"]
    assert letters == [], letters
    # The truncated JPEG is stored with an error attribute and logged, with its key.
    warnings = [line for line in server.log().splitlines()
                if "cut.jpg" in line and "metadata: image: " in line]
    assert warnings, server.log()[-4000:]


def test_built_in_without_configuration(request):
    metadata_plugin()
    server = _new_server(request, _tmp_root("kumo-it-metadata-bare-"))
    arns = {h["arn"] for h in cli_json(server, "handlers", "ls")["handlers"]}
    assert "arn:kumo:lambda:::function:metadata" in arns, arns


def test_bad_config_is_refused_naming_the_key(tmp_path):
    metadata_plugin()
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    refused_start(tmp_path / "a", '[functions.metadata.config]\nhead_byte = 4096\n',
                  "function 'metadata'", 'config key "head_byte": unknown key')
    refused_start(tmp_path / "b", '[functions.metadata]\nconfig = { extractors = "mime" }\n',
                  "function 'metadata'", 'config key "extractors": must be a list')
